"""Cross-account cover-letter index: one letter sent by many accounts is a farm.

Each proposal's sketch (`scoring.sketch`, 32 one-byte MinHash bins) is cut into
8 LSH bands of 4 bins. A band key holds, per account, its latest letter in that
band: proposal id, time and sketch. A batch reads the band keys of its
proposals in one pipelined round trip, estimates the similarity of every letter
found there from the two sketches, and writes its own letters back (one more
round trip). Letters of the same batch see the earlier ones of the batch. Short
letters (sketches with empty bins) are not indexed. Keys expire after the
window; a band key keeps at most `max_per_band` accounts (a farm's letter fills
it; more accounts add nothing a reviewer needs). Re-observing a proposal writes
the same values: replays change nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from redis.asyncio import Redis

from scoring import sketch
from scoring.letters import LetterMatch
from scoring.records import Proposal

Entries = dict[str, str]  # account -> "proposal id|ts|sketch"


def _entry(event: Proposal, sk: str) -> str:
    return f"{event.event_id}|{event.ts}|{sk}"


class _LetterIndex:
    def __init__(self, ttl_s: int, max_per_band: int) -> None:
        self.ttl_s = ttl_s
        self.max_per_band = max_per_band

    async def _read(self, keys: list[str]) -> list[Entries]:
        raise NotImplementedError

    async def _write(self, writes: dict[str, Entries]) -> None:
        raise NotImplementedError

    async def observe(self, proposals: Sequence[Proposal]) -> dict[str, tuple[LetterMatch, ...]]:
        """Per proposal event id, the other accounts' letters sharing a band with it."""
        banded = [(p, sk, sketch.bands(sk)) for p in proposals if (sk := sketch.sketch(p.cover_letter))]
        banded = [(p, sk, keys) for p, sk, keys in banded if keys]
        if not banded:
            return {}
        names = sorted({k for _, _, keys in banded for k in keys})
        found = dict(zip(names, await self._read(names), strict=True))
        writes: dict[str, Entries] = {}
        views: dict[str, tuple[LetterMatch, ...]] = {}
        for event, sk, keys in banded:
            seen: dict[str, LetterMatch] = {}
            for key in keys:
                entries = found[key]
                for account, value in entries.items():
                    if account == event.freelancer_id or account in seen:
                        continue
                    proposal_id, ts, other = value.split("|", 2)
                    seen[account] = LetterMatch(account, proposal_id, sketch.similarity(sk, other), int(ts))
                if event.freelancer_id in entries or len(entries) < self.max_per_band:
                    entries[event.freelancer_id] = _entry(event, sk)
                    writes.setdefault(key, {})[event.freelancer_id] = entries[event.freelancer_id]
            views[event.event_id] = tuple(sorted(seen.values(), key=lambda m: m.account_id))
        await self._write(writes)
        return views


class MemoryLetterIndex(_LetterIndex):
    """The same index in a dict, for the backtest and tests (no expiry)."""

    def __init__(self, ttl_s: int = 7 * 86_400, max_per_band: int = 50) -> None:
        super().__init__(ttl_s, max_per_band)
        self.bands: dict[str, Entries] = {}

    def observe_now(self, proposals: Sequence[Proposal]) -> dict[str, tuple[LetterMatch, ...]]:
        """`observe` for synchronous callers (the backtest): this index never waits."""
        step = self.observe(proposals)
        try:
            step.send(None)
        except StopIteration as done:
            views: dict[str, tuple[LetterMatch, ...]] = done.value
            return views
        step.close()
        raise RuntimeError("MemoryLetterIndex.observe suspended")

    async def _read(self, keys: list[str]) -> list[Entries]:
        return [dict(self.bands.get(k, {})) for k in keys]

    async def _write(self, writes: dict[str, Entries]) -> None:
        for key, entries in writes.items():
            self.bands.setdefault(key, {}).update(entries)


class RedisLetterIndex(_LetterIndex):
    """The index in Redis: one hash per band key, expiring with the window."""

    def __init__(self, redis: Redis, ttl_s: int, max_per_band: int = 50,
                 prefix: str = "riskscorer:letters:") -> None:
        super().__init__(ttl_s, max_per_band)
        self.redis = redis
        self.prefix = prefix

    async def _read(self, keys: list[str]) -> list[Entries]:
        pipe = self.redis.pipeline(transaction=False)
        for key in keys:
            pipe.hgetall(self.prefix + key)
        return [{_text(a): _text(v) for a, v in raw.items()} for raw in await pipe.execute()]

    async def _write(self, writes: dict[str, Entries]) -> None:
        if not writes:
            return
        pipe = self.redis.pipeline(transaction=False)
        for key, entries in writes.items():
            pipe.hset(self.prefix + key, mapping={account: value for account, value in entries.items()})
            pipe.expire(self.prefix + key, self.ttl_s)
        await pipe.execute()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
