"""Decisions waiting for their escalation, in a real Redis: read a page at a time, every one reached,
none taken out until it is settled."""

from __future__ import annotations

import asyncio
import time
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


async def retry_during_broker_outage(redis_url: str, waiting_decisions: int) -> set[str]:
    from aiokafka.errors import KafkaTimeoutError
    from prometheus_client import CollectorRegistry

    from streams.adapters.profiles import ProfileStore
    from streams.training.verdicts import ExampleStore
    from streams.worker.agents.reviewer import DecisionsAgent, VerdictStore
    from streams.worker.health import Health
    from streams.worker.metrics import Metrics

    redis, app = Redis.from_url(redis_url), f"test-{uuid.uuid4().hex[:8]}"
    metrics = Metrics.create(CollectorRegistry())
    health = Health(metrics.dependency_up)
    health.failed(KafkaTimeoutError())  # the broker is down
    waiting = WaitingDecisions(redis, app)
    decision = b'{"escalation_id": "e-not-yet", "decision": "dismissed", "reviewer": "r"}'
    now_ms = int(time.time() * 1000)
    await waiting.keep((Incoming("decisions", "decisions", 0, i, b"e-not-yet", decision, now_ms), now_ms)
                       for i in range(waiting_decisions))
    agent = DecisionsAgent(
        topics=None, profiles=ProfileStore(redis, 600, app), store=VerdictStore(redis, app),  # type: ignore[arg-type]
        board=None, examples=ExampleStore(redis, app), metrics=metrics,  # type: ignore[arg-type]
        max_text_chars=1000, batch_max=10, batch_window_s=0.1, producer=lambda: None,  # type: ignore[arg-type,return-value]
        health=health, attempts=1, waiting=waiting, wait_ms=3_600_000, worker_id="w1")
    try:
        await agent.retry_waiting()  # Redis read alone: still waiting, nothing sent
        return set(health.down)
    finally:
        await redis.aclose()


@pytest.mark.parametrize("waiting_decisions", [0, 2])
def test_retrying_waiting_decisions_never_reports_the_broker_back(services, waiting_decisions):
    """The retry runs at each rules poll; one that reads Redis alone shows nothing about the
    broker, and the readiness endpoint must keep reporting it down."""
    assert asyncio.run(retry_during_broker_outage(services.redis_url, waiting_decisions)) == {"broker"}


class FailingOnce:
    """A rule board whose first refresh fails, as a Redis blip would fail it."""

    def __init__(self) -> None:
        self.refreshes = 0

    async def refresh(self) -> None:
        self.refreshes += 1
        if self.refreshes == 1:
            raise RuntimeError("refresh failed")


async def decide_with_one_failure(redis_url: str) -> tuple[float, float, int]:
    from prometheus_client import CollectorRegistry

    from scoring.escalation import Escalation
    from streams.adapters.profiles import ProfileStore
    from streams.training.verdicts import ExampleStore
    from streams.worker.agents.reviewer import DecisionsAgent, VerdictStore
    from streams.worker.health import Health
    from streams.worker.metrics import Metrics

    redis, app = Redis.from_url(redis_url), f"test-{uuid.uuid4().hex[:8]}"
    registry = CollectorRegistry()
    metrics, board = Metrics.create(registry), FailingOnce()
    profiles = ProfileStore(redis, 600, app)
    await profiles.write({"f1": {"scores": {}}}, [Escalation(
        "e1", "f1", ("spam_scam",), 2.0, {}, "high", ("why",), (), "v1", "text-x", 500, "m1")])
    agent = DecisionsAgent(
        topics=None, profiles=profiles, store=VerdictStore(redis, app), board=board,  # type: ignore[arg-type]
        examples=ExampleStore(redis, app), metrics=metrics, max_text_chars=1000, batch_max=10,
        batch_window_s=0.1, producer=lambda: None, health=Health(metrics.dependency_up),  # type: ignore[arg-type,return-value]
        attempts=3, waiting=WaitingDecisions(redis, app), wait_ms=3_600_000, worker_id="w1")
    decision = Incoming("decisions", "decisions", 0, 7, b"e1",
                        b'{"escalation_id": "e1", "decision": "confirmed", "reviewer": "r"}', 1000)
    try:
        await agent.retrier.settle([decision], agent.handle, agent.reject, agent.attempts)
    finally:
        await redis.aclose()
    return (registry.get_sample_value("riskscorer_decisions_total", {"decision": "confirmed"}) or 0.0,
            registry.get_sample_value("riskscorer_events_total", {"topic": "decisions", "outcome": "applied"}) or 0.0,
            board.refreshes)


def test_a_decisions_batch_redone_after_a_failure_is_counted_once(services):
    confirmed, applied, refreshes = asyncio.run(decide_with_one_failure(services.redis_url))
    assert refreshes == 2  # failed once, redone
    assert (confirmed, applied) == (1.0, 1.0)


async def admit_past_the_limit(redis_url: str) -> tuple[list[int], list[int]]:
    from streams.worker.agents.reviewer import DecisionsAgent

    redis, app = Redis.from_url(redis_url), f"test-{uuid.uuid4().hex[:8]}"
    waiting = WaitingDecisions(redis, app)
    agent = DecisionsAgent(
        topics=None, profiles=None, store=None, board=None, examples=None, metrics=None,  # type: ignore[arg-type]
        max_text_chars=1000, batch_max=10, batch_window_s=0.1, producer=lambda: None,  # type: ignore[arg-type,return-value]
        health=None, attempts=1, waiting=waiting, wait_ms=3_600_000, wait_max=3)  # type: ignore[arg-type]
    try:
        await waiting.keep([(record(0), 5_000), (record(1), 5_000)])
        kept, full = await agent._admitted([(record(i), 6_000) for i in range(2, 5)], {})
        return [item.offset for item, _ in kept], [item.offset for item in full]
    finally:
        await redis.aclose()


def test_decisions_past_the_waiting_limit_do_not_wait(services):
    assert asyncio.run(admit_past_the_limit(services.redis_url)) == ([2], [3, 4])
