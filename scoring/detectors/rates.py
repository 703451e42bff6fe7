"""Signals of counters that go over a limit in one of their windows (bursts, fan-out, proposals)."""

from __future__ import annotations

from collections.abc import Callable

from scoring import windows
from scoring.detector import Detector, DetectorRule
from scoring.signals import Counter, Signal
from scoring.units import DAY_MS, HOUR_MS, MINUTE_MS
from scoring.windows import Buckets

DETECTORS: tuple[Detector, ...] = ()  # helpers of burst, fanout and proposal_rate: no rule of its own
# window parameter in the rules -> (its length, its name in a reason)
WINDOWS = {"per_minute": (MINUTE_MS, "1 min"), "per_hour": (HOUR_MS, "an hour"), "per_day": (DAY_MS, "a day")}


def over_limits(
    rule: DetectorRule,
    buckets: Buckets,
    bucket_ms: int,
    event_id: str,
    ts: int,
    counter: str,
    reason: Callable[[int, str, int], str],
    params: tuple[str, ...] = ("per_hour", "per_day"),
) -> list[Signal]:
    """One signal per window of `params` that this event takes over the rule's limit for it;
    `reason(count, window words, limit)` says it in plain words."""
    signals = []
    for name in params:
        window_ms, words = WINDOWS[name]
        limit = int(rule.param(name))
        count = windows.first_over(buckets, ts, bucket_ms, window_ms, limit)
        if count is not None:
            signals.append(Signal(rule.policy, rule.name, rule.weight, reason(count, words, limit), event_id, ts,
                                  (Counter(f"{counter}_{name}", count, window_ms // 1000, limit),)))
    return signals
