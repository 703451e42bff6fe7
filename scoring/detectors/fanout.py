"""Fan-out: first messages to many distinct recipients within an hour, or within a day."""

from __future__ import annotations

from scoring import windows
from scoring.detectors.rates import DAY_MS, MINUTE_MS, over_limits
from scoring.records import Message
from scoring.rules import DetectorRule
from scoring.signals import Signal
from scoring.state import AccountState


def detect(state: AccountState, event: Message, rule: DetectorRule | None) -> list[Signal]:
    """Count a first message to a new recipient; signal once when a window goes over."""
    if not state.remember_contact(event.recipient_id, event.ts // MINUTE_MS):
        return []
    windows.add(state.first_hours, event.ts, MINUTE_MS, DAY_MS)
    if rule is None:
        return []
    return over_limits(
        rule, state.first_hours, MINUTE_MS, event.event_id, event.ts, "first_messages",
        lambda count, words, limit: f"first messages to {count} different people within {words} (limit {limit})",
    )
