"""Message bursts: more messages per minute or per hour than a person types."""

from __future__ import annotations

from scoring import windows
from scoring.records import Message
from scoring.rules import DetectorRule
from scoring.signals import Counter, Signal
from scoring.state import AccountState

MINUTE_MS = 60_000
HOUR_MS = 3_600_000


def detect(state: AccountState, event: Message, rule: DetectorRule | None) -> list[Signal]:
    """Count the message; signal once when a window first goes over its limit."""
    windows.add(state.msg_minutes, event.ts, MINUTE_MS, HOUR_MS)
    if rule is None:
        return []
    signals = []
    for name, window_ms in (("per_minute", MINUTE_MS), ("per_hour", HOUR_MS)):
        limit = int(rule.param(name))
        count = windows.total(state.msg_minutes, event.ts, MINUTE_MS, window_ms)
        if count == limit + 1:
            window_s = window_ms // 1000
            signals.append(
                Signal(
                    policy=rule.policy,
                    detector=rule.name,
                    weight=rule.weight,
                    reason=f"sent {count} messages within {window_s // 60} min (limit {limit})",
                    event_id=event.event_id,
                    ts=event.ts,
                    counters=(Counter(f"messages_{name}", count, window_s, limit),),
                )
            )
    return signals
