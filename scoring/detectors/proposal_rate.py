"""Proposal floods: more proposals per hour or per day than a freelancer writes by hand.

Counted in 10-minute buckets kept for a day, so the state stays small; the hour
window is therefore aligned to 10 minutes.
"""

from __future__ import annotations

from scoring import windows
from scoring.records import Proposal
from scoring.rules import DetectorRule
from scoring.signals import Counter, Signal
from scoring.state import AccountState

BUCKET_MS = 600_000
HOUR_MS = 3_600_000
DAY_MS = 86_400_000


def detect(state: AccountState, event: Proposal, rule: DetectorRule | None) -> list[Signal]:
    """Count the proposal; signal once when a window first goes over its limit."""
    windows.add(state.proposal_buckets, event.ts, BUCKET_MS, DAY_MS)
    if rule is None:
        return []
    signals = []
    for name, window_ms, words in (("per_hour", HOUR_MS, "an hour"), ("per_day", DAY_MS, "a day")):
        limit = int(rule.param(name))
        count = windows.total(state.proposal_buckets, event.ts, BUCKET_MS, window_ms)
        if count == limit + 1:
            signals.append(Signal(
                policy=rule.policy,
                detector=rule.name,
                weight=rule.weight,
                reason=f"sent {count} proposals within {words} (limit {limit})",
                event_id=event.event_id,
                ts=event.ts,
                counters=(Counter(f"proposals_{name}", count, window_ms // 1000, limit),),
            ))
    return signals
