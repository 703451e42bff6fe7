"""Text policies over messages, proposals, feedback comments and profiles."""

from __future__ import annotations

from scoring.rules import DetectorRule
from scoring.signals import Signal, Span
from scoring.text import TextContext, detect_text


def detect(
    text: str, context: TextContext, event_id: str, ts: int, rule: DetectorRule | None
) -> list[Signal]:
    """Signals for each text hit, weighted by the hit's confidence times the rule weight."""
    if rule is None or not text:
        return []
    return [
        Signal(
            policy=hit.policy,
            detector=f"text.{hit.detector}",
            weight=hit.weight * rule.weight,
            reason=hit.reason,
            event_id=event_id,
            ts=ts,
            spans=tuple(Span(s, e, text[s:e]) for s, e in hit.spans),
        )
        for hit in detect_text(text, context)
    ]
