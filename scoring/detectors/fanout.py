"""Fan-out: first messages to many distinct recipients within an hour, or within a day."""

from __future__ import annotations

from scoring import windows
from scoring.records import Message
from scoring.rules import DetectorRule
from scoring.signals import Counter, Signal
from scoring.state import AccountState

MINUTE_MS = 60_000
HOUR_MS = 3_600_000
DAY_MS = 86_400_000


def detect(state: AccountState, event: Message, rule: DetectorRule | None) -> list[Signal]:
    """Count a first message to a new recipient; signal once when a window goes over."""
    if not state.remember_contact(event.recipient_id, event.ts // MINUTE_MS):
        return []
    windows.add(state.first_hours, event.ts, MINUTE_MS, DAY_MS)
    if rule is None:
        return []
    signals = []
    for name, window_ms, words in (("per_hour", HOUR_MS, "an hour"), ("per_day", DAY_MS, "a day")):
        limit = int(rule.param(name))
        count = windows.total(state.first_hours, event.ts, MINUTE_MS, window_ms)
        if count == limit + 1:
            signals.append(Signal(
                policy=rule.policy,
                detector=rule.name,
                weight=rule.weight,
                reason=f"first messages to {count} different people within {words} (limit {limit})",
                event_id=event.event_id,
                ts=event.ts,
                counters=(Counter(f"first_messages_{name}", count, window_ms // 1000, limit),),
            ))
    return signals
