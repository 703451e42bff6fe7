"""Message bursts: more messages per minute or per hour than a person types."""

from __future__ import annotations

from scoring import windows
from scoring.detectors.rates import HOUR_MS, MINUTE_MS, over_limits
from scoring.records import Message
from scoring.rules import DetectorRule
from scoring.signals import Signal
from scoring.state import AccountState


def detect(state: AccountState, event: Message, rule: DetectorRule | None) -> list[Signal]:
    """Count the message; signal once when a window first goes over its limit."""
    windows.add(state.msg_minutes, event.ts, MINUTE_MS, HOUR_MS)
    if rule is None:
        return []
    return over_limits(
        rule, state.msg_minutes, MINUTE_MS, event.event_id, event.ts, "messages",
        lambda count, words, limit: f"sent {count} messages within {words} (limit {limit})",
        params=("per_minute", "per_hour"),
    )
