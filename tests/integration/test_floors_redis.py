"""Partition numbers' floors shared in Redis: each only rises, every worker reads them all."""

import asyncio
import uuid

import pytest
from redis.asyncio import Redis

from streams.adapters.floors import Floors

pytestmark = pytest.mark.integration


async def exchanges(redis_url: str) -> list[dict[int, int]]:
    redis = Redis.from_url(redis_url)
    key = f"test:{uuid.uuid4().hex}:floors"
    one, other = Floors(redis, key, 60), Floors(redis, key, 60)
    try:
        return [
            await one.exchange({0: 100, 1: 50}),
            await other.exchange({2: -70}),
            await one.exchange({0: 90, 1: 55}),  # 0 lower (a restart reads again): kept at 100
            await other.exchange({}),
            {-1: await redis.ttl(key)},
        ]
    finally:
        await redis.aclose()


def test_floors_rise_only_and_are_read_whole(services):
    first, second, third, read, ttl = asyncio.run(exchanges(services.redis_url))
    assert first == {0: 100, 1: 50}
    assert second == {0: 100, 1: 50, 2: -70}
    assert third == read == {0: 100, 1: 55, 2: -70}
    assert 0 < ttl[-1] <= 60
