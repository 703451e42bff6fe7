"""Text policies over messages, proposals, feedback comments and profiles.

A flagged text becomes one signal per policy, under the rule of the family that carried it
(`text_<family>` in the rules file). Its weight rises from half the rule's weight at the
policy's model threshold to one and a half times it at certainty: a text scored halfway from
its threshold to certainty reaches a policy threshold of 1.0 alone, a text just over its
threshold needs another.
"""

from __future__ import annotations

from scoring.detector import At, Detector, DetectorRule, RuleBook
from scoring.records import AccountEvent, Feedback, Message, Proposal
from scoring.signals import Signal, Span, TextRef
from scoring.state import AccountState
from scoring.text import BY_PREVIOUS, TextContext, TextHit, analyze
from scoring.text.explain import quote
from scoring.text.families import DERIVED, PREFIX, RULES, WORDING_FAMILY

MAX_EXAMPLE_CHARS = 500  # of the text kept with the evidence, for reviewers and retraining
MAX_SPAN_CHARS = 200  # of a span's text quoted in the evidence


def _rule(detector: str, policy: str, rules: RuleBook) -> tuple[str, DetectorRule | None]:
    """The rule a hit counts under: its family's, or, when that one is off, its policy's wording
    rule (the model still flagged the text). A flag read from another policy's has none
    (`DERIVED`): its own policy's model did not flag the text."""
    family, _, _pattern = detector.partition(".")
    rule = rules.detector(PREFIX + family)
    if rule is not None or family in DERIVED:
        return detector, rule
    wording = WORDING_FAMILY[policy]
    return f"{wording}.model", rules.detector(PREFIX + wording)


def example(text: str, spans: tuple[tuple[int, int], ...]) -> tuple[int, str]:
    """At most MAX_EXAMPLE_CHARS of the text, around its first span, and where that part starts
    in the text (the spans' offsets are the whole text's): what a verdict labels."""
    if len(text) <= MAX_EXAMPLE_CHARS:
        return 0, text
    start = min((s for s, _ in spans), default=0)
    lo = max(0, min(start - MAX_EXAMPLE_CHARS // 4, len(text) - MAX_EXAMPLE_CHARS))
    return lo, text[lo : lo + MAX_EXAMPLE_CHARS]


def detect(text: str, context: TextContext, event_id: str, ts: int, rules: RuleBook) -> list[Signal]:
    """Signals for each flagged policy whose family rule runs."""
    if not text or not rules.text_enabled:
        return []
    model = rules.text_model
    reading = analyze(text, context, model)
    # policies the room's earlier messages gave a pattern hit for: their flags need those messages
    with_earlier = {h.policy for h in reading.patterns if h.detector in BY_PREVIOUS}
    signals = []
    for hit in reading.hits:
        detector, rule = _rule(hit.detector, hit.policy, rules)
        if rule is None:
            continue
        threshold = model.threshold(hit.policy)
        strength = 0.5 + (hit.weight - threshold) / max(1.0 - threshold, 1e-6)
        signals.append(Signal(
            policy=hit.policy,
            detector=PREFIX + detector,
            weight=rule.weight * min(1.5, max(0.5, strength)),
            reason=hit.reason,
            event_id=event_id,
            ts=ts,
            spans=tuple(Span(s, e, quote(text, (s, e), MAX_SPAN_CHARS)) for s, e in hit.spans),
            text=_ref(text, hit, context.kind, model.version, hit.policy in with_earlier),
        ))
    return signals


def _ref(text: str, hit: TextHit, kind: str, model_version: str, with_earlier: bool) -> TextRef:
    offset, body = example(text, hit.spans)
    return TextRef(kind, body, model_version, with_earlier, offset)


# The handlers: each event's text, with what is known of it beyond its characters. A family
# of rules, they get no rule of their own (`at.rules` has them all).


def on_message(state: AccountState, event: Message, rule: DetectorRule | None, at: At) -> list[Signal]:
    """A message, read with the last ones of its room (a detail split across messages); contact
    details are allowed on an active contract and between accounts the rules relate."""
    allowed = event.contract_stage == "active" or at.rules.contact_allowed(event.sender_id, event.recipient_id)
    context = TextContext(kind="message", contact_allowed=allowed, direct_contract=event.direct_contract,
                          previous=state.room_tail(event.room_id))
    signals = detect(event.text, context, event.event_id, event.ts, at.rules)
    state.push_room_text(event.room_id, event.text)
    return signals


def on_proposal(state: AccountState, event: Proposal, rule: DetectorRule | None, at: At) -> list[Signal]:
    return detect(event.cover_letter, TextContext(kind="proposal"), event.event_id, event.ts, at.rules)


def on_feedback(state: AccountState, event: Feedback, rule: DetectorRule | None, at: At) -> list[Signal]:
    context = TextContext(kind="feedback", direct_contract=event.direct_contract)
    return detect(event.comment, context, event.event_id, event.ts, at.rules)


def on_account(state: AccountState, event: AccountEvent, rule: DetectorRule | None, at: At) -> list[Signal]:
    if not event.profile_text:
        return []
    return detect(event.profile_text, TextContext(kind="profile"), event.event_id, event.ts, at.rules)


DETECTORS = (
    Detector(
        "text", "", rank=120, family=RULES, state=("rooms",),
        finds={"message": on_message, "proposal": on_proposal, "feedback.rating": on_feedback,
               "feedback.request": on_feedback, "account": on_account},
    ),
)
