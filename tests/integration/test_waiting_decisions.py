"""Decisions waiting for their escalation, in a real Redis: read a page at a time, every one reached,
none taken out until it is settled."""

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


async def pages(redis_url: str) -> tuple[list[set[int]], int, list[int]]:
    redis, app = Redis.from_url(redis_url), f"test-{uuid.uuid4().hex[:8]}"
    waiting = WaitingDecisions(redis, app)
    try:
        await waiting.keep((record(i), 5_000) for i in range(1000))
        await waiting.keep([(record(0), 9_999)])  # delivered again: keeps when it first waited
        seen = [{i.offset for i, _ in await waiting.next_page(200)} for _ in range(8)]
        await waiting.forget([record(1)])  # applied from its topic: waits no more
        left = await waiting.count()
        sinces = sorted({since for _, since in await waiting.next_page(2000)})
        return seen, left, sinces
    finally:
        await redis.aclose()


def test_pages_of_waiting_decisions_reach_every_one_and_leave_them_in_place(services):
    seen, left, sinces = asyncio.run(pages(services.redis_url))
    assert set().union(*seen[:6]) == set(range(1000))  # a page goes on where the last stopped
    assert all(seen)  # after the last page, the first again
    assert left == 999 and sinces == [5_000]
