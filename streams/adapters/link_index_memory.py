"""The link index in memory, for the backtest and tests: the Lua script's merges over dicts.

Same sightings, merges and views as `streams.adapters.link_index.RedisLinkIndex` (the integration tests
compare the two, document by document); nothing expires.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scoring.link_plan import AGAIN, ALONE, SHARED, Plan
from scoring.links import LinkView
from scoring.records import AccountEvent
from scoring.units import DAY_MS
from streams.adapters.link_index import BaseLinkIndex
from streams.adapters.redis_index import run_now


def merge_sightings(docs: dict[str, dict[str, list[Any]]], sightings: list[tuple[str, str, str, int]],
                    event_ids: list[str], probes: list[bool], limit: int) -> list[int]:
    """The WRITE script over dicts (account -> [first seen, day last seen, role, event id])."""
    grown = set()
    for (name, account, role, ts), event_id in zip(sightings, event_ids, strict=True):
        doc = docs.setdefault(name, {})
        entry = doc.get(account)
        day = ts - ts % DAY_MS
        if entry is None:
            doc[account] = [ts, day, role, event_id]
            grown.add(name)
            continue
        if ts < entry[0] or (ts == entry[0] and (not entry[3] or event_id < entry[3])):
            entry[0], entry[3] = ts, event_id
        if (day, role) > (entry[1], entry[2]):
            entry[1], entry[2] = day, role
    for name in grown:
        doc = docs[name]
        if len(doc) > limit:
            kept = set(sorted(doc, key=lambda a: (-doc[a][1], -doc[a][0], a))[:limit])
            docs[name] = {a: e for a, e in doc.items() if a in kept}
    flags = []
    for (name, account, _, ts), probe in zip(sightings, probes, strict=True):
        entry, held = docs[name].get(account), len(docs[name]) > 1
        if entry is not None and entry[0] == ts:
            flags.append(SHARED if held else ALONE)
            continue
        flags.append(AGAIN if entry is not None and held and probe else 0)
    return flags


class MemoryLinkIndex(BaseLinkIndex):
    """In-memory twin of `RedisLinkIndex` (same merges and views); nothing expires."""

    def __init__(self, ttl_s: int = 30 * 86_400, max_per_fingerprint: int = 50) -> None:
        super().__init__(ttl_s, max_per_fingerprint)
        self.fps: dict[str, dict[str, list[Any]]] = {}

    def observe_now(self, events: Sequence[AccountEvent]) -> dict[str, LinkView]:
        """`observe` for synchronous callers (the backtest): this index never waits."""
        return run_now(self.observe(events))

    async def _write(self, plan: Plan, send: list[int]) -> list[int]:
        flags = [0] * len(plan.sightings)
        sent = merge_sightings(self.fps, [plan.sightings[n] for n in send], [plan.event_id(n) for n in send],
                               [plan.probes[n] for n in send], self.max_per_fingerprint)
        for n, flag in zip(send, sent, strict=True):
            flags[n] = flag
        return flags

    async def _read(self, names: list[str]) -> list[dict[str, str]]:
        return [self.stored(name) for name in names]

    def stored(self, name: str) -> dict[str, str]:
        """A fingerprint's document as the Redis index stores it."""
        return {a: f"{first},{last},{role},{event_id}"
                for a, (first, last, role, event_id) in self.fps.get(name, {}).items()}
