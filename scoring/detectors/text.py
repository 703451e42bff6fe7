"""Text policies over messages, proposals, feedback comments and profiles.

A flagged text becomes one signal per policy, under the rule of the family that carried it
(`text_<family>` in the rules file). Its weight rises from half the rule's weight at the
policy's model threshold to one and a half times it at certainty: a text scored halfway from
its threshold to certainty reaches a policy threshold of 1.0 alone, a text just over its
threshold needs another.
"""

from __future__ import annotations

from scoring.rules import Rules
from scoring.signals import Signal, Span, TextRef
from scoring.text import TextContext, detect_text
from scoring.text.explain import quote
from scoring.text.families import PREFIX

MAX_EXAMPLE_CHARS = 500  # of the text kept with the evidence, for reviewers and retraining
MAX_SPAN_CHARS = 200  # of a span's text quoted in the evidence


def detect(text: str, context: TextContext, event_id: str, ts: int, rules: Rules) -> list[Signal]:
    """Signals for each flagged policy whose family rule runs."""
    if not text or not rules.text_enabled:
        return []
    model = rules.text_model
    signals = []
    for hit in detect_text(text, context, model):
        family, _, _pattern = hit.detector.partition(".")
        rule = rules.detector(PREFIX + family)
        if rule is None:
            continue
        threshold = model.thresholds[model.policies.index(hit.policy)]
        strength = 0.5 + (hit.weight - threshold) / max(1.0 - threshold, 1e-6)
        signals.append(Signal(
            policy=hit.policy,
            detector=PREFIX + hit.detector,
            weight=rule.weight * min(1.5, max(0.5, strength)),
            reason=hit.reason,
            event_id=event_id,
            ts=ts,
            spans=tuple(Span(s, e, quote(text, (s, e), MAX_SPAN_CHARS)) for s, e in hit.spans),
            text=TextRef(context.kind, text[:MAX_EXAMPLE_CHARS], model.version),
        ))
    return signals
