"""Text policies over messages, proposals, feedback comments and profiles.

A flagged text becomes one signal per policy, under the rule of the family that carried it
(`text_<family>` in the rules file). Its weight rises from half the rule's weight at the
policy's model threshold to one and a half times it at certainty: a text scored halfway from
its threshold to certainty reaches a policy threshold of 1.0 alone, a text just over its
threshold needs another.
"""

from __future__ import annotations

from scoring.rules import DetectorRule, Rules
from scoring.signals import Signal, Span, TextRef
from scoring.text import TextContext, detect_text
from scoring.text.explain import quote
from scoring.text.families import PREFIX, WORDING_FAMILY

MAX_EXAMPLE_CHARS = 500  # of the text kept with the evidence, for reviewers and retraining
MAX_SPAN_CHARS = 200  # of a span's text quoted in the evidence


def _rule(detector: str, policy: str, rules: Rules) -> tuple[str, DetectorRule | None]:
    """The rule a hit counts under: its family's, or, when that one is off, its policy's wording
    rule (the model still flagged the text)."""
    family, _, _pattern = detector.partition(".")
    rule = rules.detector(PREFIX + family)
    if rule is not None:
        return detector, rule
    wording = WORDING_FAMILY[policy]
    return f"{wording}.model", rules.detector(PREFIX + wording)


def excerpt(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """At most MAX_EXAMPLE_CHARS of the text, around its first span: what a verdict labels."""
    if len(text) <= MAX_EXAMPLE_CHARS:
        return text
    start = min((s for s, _ in spans), default=0)
    lo = max(0, min(start - MAX_EXAMPLE_CHARS // 4, len(text) - MAX_EXAMPLE_CHARS))
    return text[lo : lo + MAX_EXAMPLE_CHARS]


def detect(text: str, context: TextContext, event_id: str, ts: int, rules: Rules) -> list[Signal]:
    """Signals for each flagged policy whose family rule runs."""
    if not text or not rules.text_enabled:
        return []
    model = rules.text_model
    signals = []
    for hit in detect_text(text, context, model):
        detector, rule = _rule(hit.detector, hit.policy, rules)
        if rule is None:
            continue
        threshold = model.thresholds[model.policies.index(hit.policy)]
        strength = 0.5 + (hit.weight - threshold) / max(1.0 - threshold, 1e-6)
        signals.append(Signal(
            policy=hit.policy,
            detector=PREFIX + detector,
            weight=rule.weight * min(1.5, max(0.5, strength)),
            reason=hit.reason,
            event_id=event_id,
            ts=ts,
            spans=tuple(Span(s, e, quote(text, (s, e), MAX_SPAN_CHARS)) for s, e in hit.spans),
            text=TextRef(context.kind, excerpt(text, hit.spans), model.version),
        ))
    return signals
