"""Message bursts: more messages per minute or per hour than a person types.

The minute window slides on exact event times (the account's last few messages within a minute),
so a burst across a calendar-minute boundary counts whole; the hour window is counted in minute
buckets kept for an hour, so it slides by the minute.
"""

from __future__ import annotations

from scoring import windows
from scoring.detector import NOWHERE, At, Detector, DetectorRule, Param
from scoring.detectors.rates import over_limits
from scoring.records import Message
from scoring.signals import Counter, Signal
from scoring.state import AccountState
from scoring.units import HOUR_MS, MINUTE_MS

MAX_KEPT = 64  # message times kept for the minute window: a limit above 63 could not be seen


def detect(state: AccountState, event: Message, rule: DetectorRule | None, at: At = NOWHERE) -> list[Signal]:
    """Count the message; signal once when a window first goes over its limit."""
    windows.add(state.msg_minutes, event.ts, MINUTE_MS, HOUR_MS)
    limit = min(int(rule.param("per_minute")), MAX_KEPT - 1) if rule is not None else 0
    before, after = windows.slide(state.msg_recent, event.ts, MINUTE_MS, limit + 1 if rule else 1)
    if rule is None:
        return []
    signals = over_limits(
        rule, state.msg_minutes, MINUTE_MS, event.event_id, event.ts, "messages", _reason, params=("per_hour",),
    )
    if before == limit and after > limit:
        counter = Counter("messages_per_minute", after, MINUTE_MS // 1000, limit)
        reason = _reason(after, "1 min (sliding)", limit)
        signals.insert(0, Signal(rule.policy, rule.name, rule.weight, reason, event.event_id, event.ts, (counter,)))
    return signals


def _reason(count: int, words: str, limit: int) -> str:
    return f"sent {count} messages within {words} (limit {limit})"


DETECTORS = (
    Detector("message_burst", "spam_scam", rank=10, params=(Param("per_minute"), Param("per_hour")),
             state=("msg_minutes", "msg_recent"), finds={"message": detect}),
)
