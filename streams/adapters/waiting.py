"""Reviewers' decisions that came before the escalation they name was stored, kept to be tried again.

Live, an escalation is stored before it is published, so a decision on it finds it. A replay
deployment (docs/operating.md) reads the whole decisions topic at once while it rebuilds its
escalations from the backlog: its decisions come before their escalations. Each waits here (one
hash field per record, with the record itself and when it first waited) and the decisions agent
tries them again at each rules poll, one worker at a time, a bounded number per poll, each poll
going on from where the last one stopped (a stored scan cursor), so that all are reached. A
decision stays in the hash until it is applied or dead-lettered: a worker that dies or stops while
trying leaves it there, and the next try may apply it a second time (its effects are idempotent:
verdicts kept by decision time, dismissals applied once per escalation and policy), never lose it.
A decision whose escalation has not come within `RISKSCORER_DECISION_WAIT_S` of its first wait is
dead-lettered (`unknown_escalation`). One applied from its topic (delivered again after a restart)
leaves the hash too. At most `RISKSCORER_DECISION_WAIT_MAX` wait: past that, a decision with no
escalation yet is dead-lettered at once, so a flood of them cannot fill Redis.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import Any

import orjson
from redis.asyncio import Redis

from streams.adapters import keys
from streams.batch.pipeline import Incoming

TAKEN_MAX = 200  # decisions tried again per poll (a try well within the lock's time)
LOCK_S = 60  # one worker tries the waiting decisions again at a time; a worker gone frees it by then
# KEYS[1]: the lock; ARGV[1]: its holder. Deleted only by its holder.
RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def _field(item: Incoming) -> str:
    return ":".join(map(str, item.where))


def _bytes(raw: bytes | None) -> str | None:
    return None if raw is None else base64.b64encode(raw).decode()


def _raw(text: str | None) -> bytes | None:
    return None if text is None else base64.b64decode(text)


Waiter = tuple[Incoming, int]  # a decision, and when it first waited (epoch ms)


def admitted(waiters: list[Waiter], waited: Iterable[tuple[str, int, int]], room: int,
             ) -> tuple[list[Waiter], list[Incoming]]:
    """Of the decisions to wait, those that may (all that wait already, and new ones up to `room`)
    and the new ones past it."""
    before = set(waited)
    new = [w for w in waiters if w[0].where not in before]
    room = max(room, 0)
    return [w for w in waiters if w[0].where in before] + new[:room], [item for item, _ in new[room:]]


class WaitingDecisions:
    def __init__(self, redis: Redis, app_id: str) -> None:
        self.redis = redis
        self.key = keys.key(keys.WAITING, app_id)
        self.lock = self.key + ":lock"
        self.cursor = self.key + ":cursor"
        self._release = redis.register_script(RELEASE)

    async def keep(self, items: Iterable[tuple[Incoming, int]]) -> None:
        """Keep each (record, when it first waited, epoch ms); a record kept already keeps its time."""
        pipe = self.redis.pipeline(transaction=False)
        for item, since in items:
            pipe.hsetnx(self.key, _field(item), orjson.dumps({
                "kind": item.kind, "topic": item.topic, "partition": item.partition, "offset": item.offset,
                "key": _bytes(item.key), "value": _bytes(item.value), "timestamp_ms": item.timestamp_ms,
                "since": since}))
        await pipe.execute()

    async def claim(self, worker: str) -> bool:
        """Whether this worker is the one to try them again now."""
        return bool(await self.redis.set(self.lock, worker, nx=True, ex=LOCK_S))

    async def release(self, worker: str) -> None:
        await self._release(keys=[self.lock], args=[worker])

    async def next_page(self, limit: int = TAKEN_MAX) -> list[tuple[Incoming, int]]:
        """About `limit` waiting records from where the last page ended (the first page again after
        the last), each with when it first waited; they stay in the hash."""
        cursor = int(await self.redis.get(self.cursor) or 0)
        found: dict[bytes, bytes] = {}
        while True:
            cursor, page = await self.redis.hscan(self.key, cursor, count=limit)
            found.update(page)  # type: ignore[arg-type]
            if cursor == 0 or len(found) >= limit:
                break
        await self.redis.set(self.cursor, cursor)
        out = []
        for raw in found.values():
            doc: dict[str, Any] = orjson.loads(raw)
            item = Incoming(doc["kind"], doc["topic"], doc["partition"], doc["offset"], _raw(doc["key"]),
                            _raw(doc["value"]), doc["timestamp_ms"])
            out.append((item, int(doc["since"])))
        return sorted(out, key=lambda pair: (pair[0].topic, pair[0].partition, pair[0].offset))

    async def forget(self, items: Iterable[Incoming]) -> None:
        fields = [_field(item) for item in items]
        if fields:
            await self.redis.hdel(self.key, *fields)

    async def count(self) -> int:
        return int(await self.redis.hlen(self.key))
