"""The link index on the real Redis behaves exactly as the in-memory one."""

import asyncio
import random
import uuid

import pytest
from redis.asyncio import Redis

from scoring.records import AccountEvent
from streams.adapters.link_index import RedisLinkIndex
from streams.adapters.link_index_memory import MemoryLinkIndex
from tests.unit.test_linked import SCENARIOS, T0, login

pytestmark = pytest.mark.integration

TTL_S = 7 * 86_400
MONTH_S = 30 * 86_400  # refreshes are deferred only well within the TTL


def mixed(n, seed=7, days=4, in_order=False):
    """Out-of-order times, role changes, shared devices, IPs and payments, and evictions."""
    rng = random.Random(seed)
    times = [T0 + rng.randrange(days * 86_400_000) for _ in range(n)]
    return [
        AccountEvent(f"m{i}", sorted(times)[i] if in_order else times[i], "login", f"a{rng.randrange(60)}",
                     rng.choice(["client", "freelancer"]), rng.choice(["US", "FR", "DE", ""]),
                     device_fp=rng.choice(["", f"d{rng.randrange(25)}"]), ip_fp=f"i{rng.randrange(6)}",
                     payment_fp=rng.choice(["", f"p{rng.randrange(10)}"]), phone_fp=rng.choice(["", "ph"]))
        for i in range(n)
    ]


CASES = {**{name: events for name, (events, _) in SCENARIOS.items()}, "mixed": mixed(800),
         "mixed, evicting": mixed(800),
         # refreshes deferred and written early, accounts returning after the horizon
         "mixed, over 90 days": mixed(800, days=90, in_order=True)}


async def both(redis_url, events, batch, max_per_fp=50, ttl_s=TTL_S):
    """Views from Redis and from memory, batch by batch, with the Redis index and its prefix."""
    redis = Redis.from_url(redis_url)
    prefix = f"test:{uuid.uuid4().hex}:"
    red = RedisLinkIndex(redis, ttl_s, max_per_fp, prefix=prefix)
    mem = MemoryLinkIndex(ttl_s, max_per_fp)
    batches = [events[i:i + batch] for i in range(0, len(events), batch)]
    from_redis, from_memory = {}, {}
    for part in batches:
        from_redis |= await red.observe(part)
        from_memory |= await mem.observe(part)
    await red.flush()
    return redis, prefix, red, mem, batches, from_redis, from_memory


async def snapshot(redis, prefix):
    keys = sorted([k async for k in redis.scan_iter(match=f"{prefix}*", count=1000)])
    return {k: await redis.hgetall(k) for k in keys}, [await redis.ttl(k) for k in keys]


def stored(red, mem):
    """The memory index's documents as the Redis index stores them, by Redis key."""
    names = list(mem.fps)
    return {red.key(n).encode(): {f.encode(): v.encode() for f, v in mem.stored(n).items()} for n in names}


@pytest.mark.parametrize("batch", [1, 7, 1000])
@pytest.mark.parametrize("name", list(CASES))
def test_same_views_as_memory_and_replay_changes_nothing(services, name, batch):
    async def run():
        events = CASES[name]
        evicting = name == "mixed, evicting"  # full fingerprints, and links older than 2 days dropped
        ttl_s = 2 * 86_400 if evicting else 30 * 86_400 if "90 days" in name else TTL_S
        redis, prefix, red, mem, batches, from_redis, from_memory = await both(
            services.redis_url, events, batch, 4 if evicting else 100, ttl_s)
        try:
            assert from_redis == from_memory
            before, ttls = await snapshot(redis, prefix)
            assert before == stored(red, mem)
            assert all(0 < t <= ttl_s for t in ttls)
            last = batches[-1]  # what a restart re-delivers: the batch after the last commit
            again = await red.observe(last)  # the same views; `later` aside, which grows with what is read
            assert {k: v.shared for k, v in again.items() if v.shared} == {
                e.event_id: from_redis[e.event_id].shared for e in last
                if e.event_id in from_redis and from_redis[e.event_id].shared}
            # Replaying everything, even days old, changes nothing stored, unless accounts were
            # evicted or timed out of a fingerprint: an old event then lowers a re-admitted account's
            # first sighting, as a late event would.
            for part in [] if evicting else batches:
                await red.observe(part)
            await red.flush()
            assert (await snapshot(redis, prefix))[0] == before
        finally:
            await redis.aclose()

    asyncio.run(run())


def test_one_round_trip_per_batch_two_when_a_link_may_show(services):
    async def run():
        redis = Redis.from_url(services.redis_url)
        # room for every account of a fingerprint: what eviction keeps depends on when it runs
        index = RedisLinkIndex(redis, MONTH_S, 100, prefix=f"test:{uuid.uuid4().hex}:")
        executes = 0
        make = redis.pipeline

        def counting(*args, **kwargs):
            pipe = make(*args, **kwargs)
            run_pipe = pipe.execute

            async def execute(*a, **k):
                nonlocal executes
                executes += 1
                return await run_pipe(*a, **k)

            pipe.execute = execute
            return pipe

        redis.pipeline = counting
        try:
            await index.observe(mixed(10))  # loads the scripts
            executes = 0
            first = await index.observe(mixed(1000, seed=3))
            assert first and executes == 2  # the sightings written, then the fingerprints of the views read
            executes = 0
            assert await index.observe([login(0, "lone", device="own-device")]) == {}
            assert executes == 1  # a first sighting no other account holds: written, nothing to read
            executes = 0
            assert await index.observe([login(1, "lone", device="own-device")]) == {}
            assert executes == 0  # written a minute ago: nothing to write
            week = RedisLinkIndex.REFRESH_MS
            assert await index.observe([login(2, "lone", device="own-device", ts=T0 + week)]) == {}
            await index.flush()
            assert executes == 1  # a week later, after the views: its day last seen
            assert 0 < await redis.ttl(index.key("fp:device:own-device")) <= MONTH_S
            assert not [k async for k in redis.scan_iter(match=f"{index.keys.prefix}*acct:*")]  # no account hashes
            await redis.script_flush()  # a restarted server has no scripts: reloaded, batch re-applied
            again = await index.observe(mixed(1000, seed=3))
            assert {k: v.shared for k, v in again.items()} == {k: v.shared for k, v in first.items()}
        finally:
            await redis.aclose()

    asyncio.run(run())


def test_a_refresh_that_fails_is_written_again_with_the_next_batch(services):
    """A deferred refresh that fails fails the batch (`flush`); it is not remembered as written,
    so the next sighting of the pair writes it."""
    async def run():
        redis = Redis.from_url(services.redis_url)
        index = RedisLinkIndex(redis, MONTH_S, prefix=f"test:{uuid.uuid4().hex}:")
        week = RedisLinkIndex.REFRESH_MS
        write = index._write

        async def failing(plan, send):
            raise ConnectionError("Redis went away")

        try:
            await index.observe([login(0, "f1", device="d1")])
            await index.flush()
            index._write = failing
            await index.observe([login(1, "f1", device="d1", ts=T0 + week)])  # due: deferred
            with pytest.raises(ConnectionError):
                await index.flush()
            index._write = write
            await index.observe([login(2, "f1", device="d1", ts=T0 + week + 60_000)])
            await index.flush()
            stored = (await redis.hget(index.key("fp:device:d1"), "f1")).decode()
            assert stored == f"{T0},{T0 + week},freelancer,f1-0"
        finally:
            await redis.aclose()

    asyncio.run(run())


def test_entries_written_before_event_ids_were_kept_are_read_and_completed(services):
    """An entry of three fields has no event id: read as such, left as it is by a later sighting,
    given the id of a sighting at its first-seen time (a replay of it)."""
    async def run():
        redis = Redis.from_url(services.redis_url)
        index = RedisLinkIndex(redis, MONTH_S, prefix=f"test:{uuid.uuid4().hex}:")
        key = index.key("fp:device:d1")
        try:
            await redis.hset(key, "f1", f"{T0},{T0},freelancer")
            view = (await index.observe([login(1, "f2", device="d1")]))["f2-1"]
            assert [(a.account_id, a.first) for a in view.shared[0].accounts] == [("f1", (T0, ""))]
            await index.observe([login(5, "f1", device="d1", ts=T0 + 3_600_000)])
            assert (await redis.hget(key, "f1")).decode() == f"{T0},{T0},freelancer"  # nothing to change
            await index.observe([login(0, "f1", device="d1")])
            assert (await redis.hget(key, "f1")).decode() == f"{T0},{T0},freelancer,f1-0"
        finally:
            await redis.aclose()

    asyncio.run(run())


def test_a_refresh_is_waited_for_by_every_flush_at_once(services):
    """A batch's write and the next batch's `observe` flush at once (`ScoreAgent.overlap`): both
    go on only once the refresh is written, and one of them cancelled does not cancel it."""
    async def run():
        redis = Redis.from_url(services.redis_url)
        index = RedisLinkIndex(redis, MONTH_S, prefix=f"test:{uuid.uuid4().hex}:")
        week = RedisLinkIndex.REFRESH_MS
        write, release = index._write, asyncio.Event()

        async def slow(plan, send):
            await release.wait()
            return await write(plan, send)

        try:
            await index.observe([login(0, "f1", device="d1")])
            await index.flush()
            index._write = slow
            await index.observe([login(1, "f1", device="d1", ts=T0 + week)])  # due: deferred
            first, second, cancelled = (asyncio.ensure_future(index.flush()) for _ in range(3))
            await asyncio.sleep(0.05)
            cancelled.cancel()
            await asyncio.sleep(0.05)
            assert not first.done() and not second.done()
            release.set()
            await asyncio.gather(first, second)
            stored = (await redis.hget(index.key("fp:device:d1"), "f1")).decode()
            assert stored == f"{T0},{T0 + week},freelancer,f1-0"
            assert index._pending is None
        finally:
            await redis.aclose()

    asyncio.run(run())
