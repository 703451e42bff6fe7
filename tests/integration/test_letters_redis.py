"""The cover-letter index on the real Redis gives the same views as the in-memory one, expires
with its window and stays within its cap per band."""

import asyncio
import uuid

import pytest
from redis.asyncio import Redis

from streams.adapters.letter_index import MemoryLetterIndex, RedisLetterIndex
from tests.unit.test_letter_farm import FARM, proposal, tailored

pytestmark = pytest.mark.integration


def traffic():
    """A farm of five accounts among tailored letters, over three batches."""
    letters = [proposal(i, f"f{i % 12}", FARM if i % 12 < 5 else tailored(i)) for i in range(60)]
    return [letters[:20], letters[20:45], letters[45:]]


async def both(redis_url: str):
    redis = Redis.from_url(redis_url)
    prefix = f"test:{uuid.uuid4().hex}:"
    red, mem = RedisLetterIndex(redis, 3600, 4, prefix=prefix), MemoryLetterIndex(3600, 4)
    try:
        got = [(await red.observe(batch), mem.observe_now(batch)) for batch in traffic()]
        keys = [k async for k in redis.scan_iter(match=f"{prefix}*")]
        sizes = [await redis.hlen(k) for k in keys]
        ttls = [await redis.ttl(k) for k in keys]
    finally:
        await redis.aclose()
    return got, sizes, ttls


def test_redis_and_memory_agree_and_bands_are_capped_and_expire(services):
    got, sizes, ttls = asyncio.run(both(services.redis_url))
    for from_redis, from_memory in got:
        assert from_redis == from_memory
    farm_views = [v for batch, _ in got for eid, v in batch.items() if int(eid[1:]) % 12 in (3, 4)]
    assert any(len({m.account_id for m in v if m.similarity >= 0.9}) >= 3 for v in farm_views)
    assert sizes and max(sizes) <= 4
    assert all(0 < ttl <= 3600 for ttl in ttls)
