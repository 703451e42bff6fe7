"""The decisions agent's handling of records that must not wait for their escalation (fakes for
Redis and the broker: what is sent, and what waits)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from prometheus_client import CollectorRegistry

from streams.batch.pipeline import Incoming
from streams.worker.agents.reviewer import DecisionsAgent
from streams.worker.health import Health
from streams.worker.metrics import Metrics


class Stores:
    """Profiles, verdicts and texts that know no escalation; the waiting decisions kept."""

    def __init__(self) -> None:
        self.waiting: list[Any] = []

    async def escalations(self, ids: list[str]) -> dict[str, Any]:
        return {}

    async def record(self, items: Any) -> int:
        return len(list(items))

    async def decided(self, items: Any) -> None:
        list(items)

    async def keep(self, items: Any) -> None:
        self.waiting += list(items)

    async def forget(self, items: Any) -> None:
        list(items)

    async def count(self) -> int:
        return len(self.waiting)


class Producer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes]] = []

    async def send(self, topic: str, value: bytes, key: bytes | None = None) -> asyncio.Future[None]:
        self.sent.append((topic, value))
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


def agent(stores: Stores, producer: Producer, registry: CollectorRegistry) -> DecisionsAgent:
    metrics = Metrics.create(registry)
    topics = SimpleNamespace(dead_letters=SimpleNamespace(get_topic_name=lambda: "dead-letters"),
                             subjects=SimpleNamespace(get_topic_name=lambda: "subjects"))
    return DecisionsAgent(
        topics=topics, profiles=stores, store=stores, board=stores, examples=stores,  # type: ignore[arg-type]
        metrics=metrics, max_text_chars=20_000, batch_max=10, batch_window_s=0.1,
        producer=lambda: producer, health=Health(metrics.dependency_up), attempts=1,  # type: ignore[arg-type,return-value]
        waiting=stores, wait_ms=3_600_000, max_event_bytes=1_000)  # type: ignore[arg-type]


def test_a_decision_over_the_event_size_limit_is_dead_lettered_and_never_waits() -> None:
    stores, producer, registry = Stores(), Producer(), CollectorRegistry()
    small = b'{"escalation_id": "e-later", "decision": "dismissed", "reviewer": "r"}'
    big = b'{"escalation_id": "e-later", "decision": "dismissed", "reviewer": "r", "reason": "' + b"x" * 5000 + b'"}'
    batch = [Incoming("decisions", "decisions", 0, 1, b"e", small, 1000),
             Incoming("decisions", "decisions", 0, 2, b"e", big, 1000)]
    asyncio.run(agent(stores, producer, registry).handle(batch))
    assert [item.offset for item, _ in stores.waiting] == [1]  # the small one waits for its escalation
    assert [topic for topic, _ in producer.sent] == ["dead-letters"]
    assert b"too_large" in producer.sent[0][1]
    assert registry.get_sample_value("riskscorer_dead_letters_total",
                                     {"topic": "decisions", "reason": "too_large"}) == 1.0


class Unreadable(Stores):
    """Escalations that cannot be read (not an outage: the decision is dead-lettered), and a
    waiting hash whose first removal meets a Redis outage."""

    def __init__(self, page: list[tuple[Incoming, int]]) -> None:
        super().__init__()
        self.page, self.removals = page, 0

    async def escalations(self, ids: list[str]) -> dict[str, Any]:
        raise ValueError("unreadable record")

    async def claim(self, worker: str) -> bool:
        return True

    async def release(self, worker: str) -> None:
        return None

    async def next_page(self) -> list[tuple[Incoming, int]]:
        return self.page

    async def forget(self, items: Any) -> None:
        from redis.exceptions import ConnectionError as RedisDown

        list(items)
        self.removals += 1
        if self.removals == 1:
            raise RedisDown("Redis restarting")
        self.page = []


def test_a_waiting_decision_dead_lettered_leaves_the_hash_through_an_outage_and_is_counted_once() -> None:
    waiting = Incoming("decisions", "decisions", 0, 3, b"e",
                       b'{"escalation_id": "e-x", "decision": "confirmed", "reviewer": "r"}', 1000)
    stores, producer, registry = Unreadable([(waiting, 1000)]), Producer(), CollectorRegistry()
    decisions = agent(stores, producer, registry)
    asyncio.run(decisions.retry_waiting())  # the removal waits out the outage (one pause)
    asyncio.run(decisions.retry_waiting())  # the next poll finds nothing left to dead-letter
    assert stores.removals == 2 and stores.page == []
    assert len(producer.sent) == 1
    assert registry.get_sample_value("riskscorer_dead_letters_total",
                                     {"topic": "decisions", "reason": "unprocessable"}) == 1.0

