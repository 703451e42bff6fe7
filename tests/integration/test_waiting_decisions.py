"""Decisions waiting for their escalation, in a real Redis: each taken by one worker only."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from redis.asyncio import Redis

from streams.adapters.waiting import WaitingDecisions
from streams.batch.pipeline import Incoming

pytestmark = pytest.mark.integration


def record(offset: int) -> Incoming:
    return Incoming("decisions", "decisions", 0, offset, b"e1", b'{"escalation_id": "e1"}', 1000 + offset)


async def two_workers(redis_url: str) -> tuple[list[int], list[int], int, list[int]]:
    redis, app = Redis.from_url(redis_url), f"test-{uuid.uuid4().hex[:8]}"
    a, b = WaitingDecisions(redis, app), WaitingDecisions(redis, app)
    try:
        await a.keep((record(i), 5_000) for i in range(40))
        await a.keep([(record(0), 9_999)])  # delivered again: keeps when it first waited
        taken_a, taken_b = await asyncio.gather(a.take(30), b.take(30))
        left = await a.count()
        await a.keep(taken_a)  # put back, as a retry that still finds no escalation does
        await a.forget([record(1)])  # applied from its topic after a restart: waits no more
        again = await b.take(100)
        return ([i.offset for i, _ in taken_a], [i.offset for i, _ in taken_b], left,
                sorted({since for _, since in again}) + [len(again)])
    finally:
        await redis.aclose()


def test_a_waiting_decision_is_taken_by_one_worker_and_put_back_as_it_was(services):
    taken_a, taken_b, left, again = asyncio.run(two_workers(services.redis_url))
    assert not set(taken_a) & set(taken_b)  # never tried by two workers at once
    assert len(taken_a) + len(taken_b) + left == 40
    assert again[:-1] == [5_000]  # each keeps when it first waited
    assert again[-1] == len(taken_a) + left - (1 if 1 in taken_a else 0)
