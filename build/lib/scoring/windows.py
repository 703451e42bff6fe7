"""Bucketed event-time counters: a list of [bucket, count] pairs, oldest first.

Buckets older than the retention are dropped on every update, so the state of
an idle account shrinks to nothing as its windows expire.
"""

from __future__ import annotations

import bisect

Buckets = list[list[int]]


def add(buckets: Buckets, ts: int, bucket_ms: int, retention_ms: int, n: int = 1) -> None:
    """Count `n` at event time `ts`; drop buckets that left the retention."""
    bucket = ts // bucket_ms
    if buckets and buckets[-1][0] == bucket:
        buckets[-1][1] += n
    elif not buckets or buckets[-1][0] < bucket:
        buckets.append([bucket, n])
    else:
        _insert_late(buckets, bucket, n)
    expire(buckets, ts, bucket_ms, retention_ms)


def _insert_late(buckets: Buckets, bucket: int, n: int) -> None:
    for pair in buckets:
        if pair[0] == bucket:
            pair[1] += n
            return
    buckets.append([bucket, n])
    buckets.sort()


def expire(buckets: Buckets, ts: int, bucket_ms: int, retention_ms: int) -> None:
    oldest = (ts - retention_ms) // bucket_ms
    drop = 0
    while drop < len(buckets) and buckets[drop][0] <= oldest:
        drop += 1
    if drop:
        del buckets[:drop]


def total(buckets: Buckets, ts: int, bucket_ms: int, window_ms: int) -> int:
    """Count in the window of `window_ms` ending at event time `ts` (bucket-aligned)."""
    first = (ts - window_ms) // bucket_ms + 1
    last = ts // bucket_ms
    return sum(n for b, n in buckets if first <= b <= last)


def first_over(buckets: Buckets, ts: int, bucket_ms: int, window_ms: int, limit: int) -> int | None:
    """The count of a window this event takes over `limit` (once per crossing), else None.

    The windows that hold the event end at its bucket or at a later one: an event read late
    (counts that other partitions send back arrive in any order) can take a window ending after
    it over the limit. It does when the fullest of them holds `limit + 1`: one more would mean
    that window was over before this event.
    """
    first = ts // bucket_ms
    span = window_ms // bucket_ms
    ends = {first} | {b for b, _ in buckets if first < b < first + span}
    fullest = max(total(buckets, end * bucket_ms, bucket_ms, window_ms) for end in ends)
    return fullest if fullest == limit + 1 else None


def slide(times: list[int], ts: int, window_ms: int, keep: int) -> tuple[int, int]:
    """Record event time `ts` in `times` (sorted, the newest `keep` within `window_ms` of the newest
    kept); return the fullest sliding window holding `ts`, before and after this event.

    Buckets align windows to the calendar: 16 messages in 45 s across a minute boundary are 8 in
    each minute. Exact times slide; keeping only `keep` of them bounds the state, and counts
    saturate at `keep`, which is enough to see a limit of `keep - 1` crossed once. The windows
    holding `ts` end at `ts` or at a later kept time, so a message read late still completes a
    burst it belongs to.
    """
    ends = [ts, *(t for t in times if ts < t < ts + window_ms)]
    before = max(_in_window(times, end, window_ms) for end in ends)
    bisect.insort(times, ts)
    after = max(_in_window(times, end, window_ms) for end in ends)
    newest = times[-1]
    drop = bisect.bisect_right(times, newest - window_ms)
    del times[: max(drop, len(times) - keep)]
    return min(before, keep), min(after, keep)


def _in_window(times: list[int], ts: int, window_ms: int) -> int:
    return bisect.bisect_right(times, ts) - bisect.bisect_right(times, ts - window_ms)
