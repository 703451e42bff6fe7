"""An account's escalation list in Redis, as support tooling reads it: a withdrawn escalation
leaves it, and a reviewer's decision on it can still be applied."""

import asyncio
import uuid

import pytest
from redis.asyncio import Redis

from scoring.records import SubjectEvent
from scoring.state import AccountState
from scoring.step import step
from streams.adapters.profiles import ProfileStore
from tests.unit.helpers import rules

pytestmark = pytest.mark.integration


def bad_outcome(i: int) -> SubjectEvent:
    return SubjectEvent(f"r{i}", i * 60_000, "rated", "f1", "freelancer", f"k{i}", f"c{i}", 1)


async def written_and_read(redis_url: str) -> tuple[list[str], list[str], set[str], list[str]]:
    state, loaded = AccountState(), rules()
    outs = [step(state, bad_outcome(i), loaded).escalations for i in (2, 3, 4, 1)]
    redis = Redis.from_url(redis_url)
    store = ProfileStore(redis, 600, f"test-{uuid.uuid4().hex[:8]}")
    try:
        listed = []
        for out in outs:
            await store.write({"f1": {"scores": {}}}, out)
            profile = await store.read("f1")
            listed.append([e["escalation_id"] for e in profile["escalations"]] if profile else [])
        made = [e.escalation_id for out in outs for e in out if not e.withdraws]
        gone = {e.withdraws for out in outs for e in out if e.withdraws}
        known = await store.escalations(made)
        return made, listed[-1], gone, list(known)
    finally:
        await redis.aclose()


def test_a_withdrawn_escalation_leaves_the_account_list(services):
    made, listed, gone, known = asyncio.run(written_and_read(services.redis_url))
    assert len(made) == 2 and len(gone) == 1 and gone < set(made)
    assert listed == [i for i in made if i not in gone]
    assert sorted(known) == sorted(made)  # decisions on either still find it


async def listed_after_expiry(redis_url: str) -> tuple[list[str], list[str]]:
    from scoring.escalation import Escalation
    from streams.adapters import keys

    def esc(i: str, ts: int) -> Escalation:
        return Escalation(i, "f1", ("spam_scam",), 1.0, {"spam_scam": 1.0}, "low", ("why",), (), "v1", "m1", ts, "m")

    redis = Redis.from_url(redis_url)
    store = ProfileStore(redis, 600, f"test-{uuid.uuid4().hex[:8]}")
    try:
        await store.write({"f1": {"scores": {}}}, [esc("e1", 1000)])
        await redis.delete(store.key(keys.ESCALATION, "e1"))  # its record expired; the list lives on
        await store.write({"f1": {"scores": {}}}, [esc("e2", 2000)])
        profile = await store.read("f1")
        assert profile is not None
        left = await redis.hkeys(store.key(keys.ESCALATIONS, "f1"))
        return [e["escalation_id"] for e in profile["escalations"]], sorted(k.decode() for k in left)
    finally:
        await redis.aclose()


def test_the_lookup_lists_only_escalations_a_decision_can_still_find(services):
    shown, left = asyncio.run(listed_after_expiry(services.redis_url))
    assert shown == ["e2"] and left == ["e2"]


async def published_twice(redis_url: str) -> tuple[int, int]:
    import orjson

    from scoring.escalation import Escalation
    from streams.adapters import keys

    esc = Escalation("e1", "f1", ("spam_scam",), 1.0, {"spam_scam": 1.0}, "low", ("why",), (), "v1", "m1", 1, "m")
    redis = Redis.from_url(redis_url)
    store = ProfileStore(redis, 600, f"test-{uuid.uuid4().hex[:8]}")
    try:
        await store.write({}, [esc])
        first = orjson.loads(await redis.get(store.key(keys.ESCALATION, "e1")))["published_ms"]
        await asyncio.sleep(0.01)
        await store.write({}, [esc])  # the same escalation stored again (a batch redone)
        again = orjson.loads(await redis.get(store.key(keys.ESCALATION, "e1")))["published_ms"]
        return first, again
    finally:
        await redis.aclose()


def test_an_escalation_stored_again_keeps_when_it_was_first_published(services):
    first, again = asyncio.run(published_twice(services.redis_url))
    assert first == again  # a rule reinstated in between still sees it as older


async def listed_past_the_cap(redis_url: str) -> tuple[list[str], int]:
    from scoring.escalation import Escalation
    from streams.adapters import keys
    from streams.adapters.profiles import MAX_LISTED

    def esc(n: int) -> Escalation:
        return Escalation(f"e{n:03d}", "f1", ("spam_scam",), 1.0, {"spam_scam": 1.0}, "low", ("why",), (), "v1",
                          "m1", 1_000 * n, "m")

    redis = Redis.from_url(redis_url)
    store = ProfileStore(redis, 600, f"test-{uuid.uuid4().hex[:8]}")
    try:
        order = [*range(MAX_LISTED + 5, 5, -1), *range(1, 6)]  # newest first, the five oldest last
        for n in order:
            await store.write({"f1": {"scores": {}}}, [esc(n)])
        left = sorted(k.decode() for k in await redis.hkeys(store.key(keys.ESCALATIONS, "f1")))
        return left, await redis.ttl(store.key(keys.ESCALATIONS, "f1"))
    finally:
        await redis.aclose()


def test_an_account_lists_its_newest_escalations_up_to_the_cap(services):
    from streams.adapters.profiles import MAX_LISTED

    left, ttl = asyncio.run(listed_past_the_cap(services.redis_url))
    assert left == [f"e{n:03d}" for n in range(6, MAX_LISTED + 6)]  # the five oldest dropped, whenever written
    assert 0 < ttl <= 600
