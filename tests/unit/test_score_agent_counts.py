"""Batches counted once, on the real score and write path (in-memory indexes, a changelog that is
only waited for): a batch whose states fail to reach the changelog after its outputs were sent
(the table keeps them only once delivered, the store alone is retried, the outputs are not sent
again), and batches scored while the one before is written (`ScoreAgent.overlap`)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from prometheus_client import CollectorRegistry

from streams.adapters.letter_index import MemoryLetterIndex
from streams.adapters.link_index_memory import MemoryLinkIndex
from streams.batch.pipeline import Processor
from streams.batch.processes import InlinePool
from streams.batch.rules_file import load_model, load_rules
from streams.commands.backtest import incoming
from streams.devtools.simulator import SimConfig, generate
from streams.faust_fixes.continuity import Continuity
from streams.worker.agents import score
from streams.worker.agents.score import ScoreAgent
from streams.worker.metrics import Metrics
from streams.worker.ordering import Held, Reorder
from streams.worker.settings import DEFAULT_RULES

EVENTS = [e for e in generate(SimConfig(accounts=30, days=1, seed=3)).events if e.value is not None][:200]


class StoreDown(ConnectionError):
    """The broker gone as a batch's states are stored."""


def counts(registry: CollectorRegistry, name: str, label: str) -> dict[str, float]:
    """A counter's values summed by one label."""
    out: dict[str, float] = {}
    for sample in (s for m in registry.collect() for s in m.samples if s.name == name):
        out[sample.labels[label]] = out.get(sample.labels[label], 0.0) + sample.value
    return out


def changelog_table() -> Any:
    return SimpleNamespace(data={}, changelog_topic=SimpleNamespace(get_topic_name=lambda: "changelog"))


def in_memory(registry: CollectorRegistry, table: Any, batch_max: int, outage: str | None,
              ack: Callable[[Any], None]) -> ScoreAgent:
    """A score agent scoring in its own process, on the in-memory indexes, writing to `table`;
    `outage`: what its health checks take every failure for (None: no outage)."""

    async def write(*_: Any) -> None:
        return None

    return ScoreAgent(
        topics=SimpleNamespace(**{name: SimpleNamespace(get_topic_name=lambda name=name: name)
                                  for name in ("escalations", "dead_letters", "subjects", "shadow")}),
        table=SimpleNamespace(get=table.data.get, data=table.data, changelog_topic=table.changelog_topic),
        scoring=InlinePool(Processor(load_rules(DEFAULT_RULES, load_model(None)), 65536, 20000)),
        profiles=SimpleNamespace(write=write), links=MemoryLinkIndex(), letters=MemoryLetterIndex(),
        metrics=Metrics.create(registry), batch_max=batch_max, batch_window_s=0.01, producer=lambda: None,
        continuity=Continuity(), refetcher=None, mark_read=None,
        health=SimpleNamespace(down=set(), failed=lambda exc: outage, ok=lambda *_: None, up_since=0.0),
        attempts=1, reorder=Reorder(0, {}), assigned=lambda: [], highwater=lambda _: None, ack=ack,
    )


def test_a_store_that_fails_after_the_outputs_were_sent_is_retried_alone_and_counted_once(monkeypatch):
    batch = list(incoming(EVENTS[:120]))
    registry = CollectorRegistry()
    sent: list[str] = []
    calls: list[str] = []  # send_keyed's, one per output topic and attempt that sent outputs
    changelog: list[int] = []  # states sent, per record batch
    table = changelog_table()

    async def send_keyed(out: Any, topic: str, records: list[Any]) -> list[Any]:
        calls.append(topic)
        sent.extend([topic] * len(records))
        return []

    async def send_batches(out: Any, topic: str, partition: int, records: list[Any]) -> list[Any]:
        changelog.append(len(records))
        if len(changelog) == 1:  # the broker gone as the first partition's states go out
            raise StoreDown("broker gone")
        return []

    monkeypatch.setattr(score, "send_keyed", send_keyed)
    monkeypatch.setattr(score.changelog, "send_batches", send_batches)
    agent = in_memory(registry, table, batch_max=len(batch), outage="broker", ack=lambda _: None)

    asyncio.run(agent.settle(batch))

    accounts = {item.key for item in batch}
    assert set(table.data) == accounts  # every state in the table once its changelog record is out
    assert sum(changelog[1:]) == len(accounts)  # the retry sent every state again
    assert sorted(calls) == ["dead_letters", "escalations", "shadow", "subjects"]  # outputs sent once
    events_by_outcome = counts(registry, "riskscorer_events_total", "outcome")
    assert events_by_outcome == {"scored": len(batch)}  # none counted as replayed, none twice
    records = counts(registry, "riskscorer_records_sent_total", "output")
    assert records["subjects"] == sent.count("subjects") > 0  # what was sent, each time it was sent
    assert records["changelog"] == len(accounts)
    assert not agent.counted


def outputs_nowhere(monkeypatch, send_batches: Callable[..., Any]) -> None:
    """Outputs sent to no broker; the changelog's record batches through `send_batches`."""

    async def send_keyed(out: Any, topic: str, records: list[Any]) -> list[Any]:
        return []

    monkeypatch.setattr(score, "send_keyed", send_keyed)
    monkeypatch.setattr(score.changelog, "send_batches", send_batches)


def overlapping(monkeypatch, registry: CollectorRegistry, acked: list[Any], batch_max: int) -> ScoreAgent:
    """An agent whose changelog takes a moment: the next batch is scored meanwhile."""

    async def send_batches(out: Any, topic: str, partition: int, records: list[Any]) -> list[Any]:
        await asyncio.sleep(0.001)
        return []

    outputs_nowhere(monkeypatch, send_batches)
    return in_memory(registry, changelog_table(), batch_max, outage=None, ack=acked.append)


async def drained(agent: ScoreAgent, items: list[Any], acked: list[Any]) -> None:
    agent.ready.extend(Held(i.timestamp_ms, 0, i, i) for i in items)
    agent.added.set()
    draining = asyncio.ensure_future(agent.drain())
    for _ in range(500):
        await asyncio.sleep(0.01)
        if not agent.ready and len(acked) >= len(items):
            break
    await asyncio.sleep(0.05)
    draining.cancel()
    await asyncio.gather(draining, return_exceptions=True)


def test_counted_is_emptied_once_batches_are_written(monkeypatch):
    """`counted` holds the batch being written or settled only: a batch written while the next is
    scored passes through no `settle`, and kept there every event would stay for good."""
    items = list(incoming(EVENTS))
    acked: list[Any] = []
    agent = overlapping(monkeypatch, CollectorRegistry(), acked, batch_max=20)
    asyncio.run(drained(agent, items, acked))
    assert len(acked) == len(items)
    assert not agent.counted, f"{len(agent.counted)} events kept in ScoreAgent.counted"


def test_a_redelivered_batch_counts_its_new_events(monkeypatch):
    """After a rebalance a worker is sent again what it scored but Faust had not committed yet,
    in batches with events it never saw. Those new events are scored and sent, and must be counted
    once: a batch with an event still taken as counted is counted not at all (events, signals,
    escalations, latency)."""
    items = list(incoming(EVENTS))
    first, rest = items[:100], items[100:]
    registry = CollectorRegistry()
    acked: list[Any] = []
    agent = overlapping(monkeypatch, registry, acked, batch_max=200)
    asyncio.run(drained(agent, first, acked))
    acked.clear()
    asyncio.run(drained(agent, first[-5:] + rest, acked))  # 5 replays, then 100 new events, one batch
    by_outcome = counts(registry, "riskscorer_events_total", "outcome")
    assert by_outcome.get("scored", 0) + by_outcome.get("dead_letter", 0) >= len(items), by_outcome



def test_partitions_revoked_wait_for_the_batch_being_written_and_nothing_more_is_scored(monkeypatch):
    """At a rebalance the worker rejoins the group only once what it was writing is written (its
    states then reach the changelog before another worker recovers them), and scores nothing more
    until the consumer is sought anew."""
    items = list(incoming(EVENTS))
    acked: list[Any] = []
    stored: list[int] = []
    storing = asyncio.Event()

    async def send_batches(out: Any, topic: str, partition: int, records: list[Any]) -> list[Any]:
        storing.set()
        await asyncio.sleep(0.02)
        stored.append(len(records))
        return []

    outputs_nowhere(monkeypatch, send_batches)
    agent = in_memory(CollectorRegistry(), changelog_table(), batch_max=20, outage=None, ack=acked.append)

    async def scenario() -> tuple[int, int, int]:
        agent.ready.extend(Held(i.timestamp_ms, 0, i, i) for i in items)
        agent.added.set()
        draining = asyncio.ensure_future(agent.drain())
        await storing.wait()  # a batch's states are being stored
        await agent.hand_over_partitions()
        at_hand_over = len(acked), len(stored)
        await asyncio.sleep(0.2)
        after = len(acked), len(stored)
        agent.room.clear()  # the intake waits for room, as with a batch or more ready
        agent.continuity.seeking()  # the assignment: held events are delivered again
        agent.continuity.sought({})
        await asyncio.sleep(0.1)
        assert agent.room.is_set(), "the intake left waiting for room once what was ready was dropped"
        draining.cancel()
        await asyncio.gather(draining, return_exceptions=True)
        assert after == at_hand_over, "scored or written after the partitions were revoked"
        return at_hand_over[0], len(acked), len(agent.ready)

    handed_over, acked_at_end, left = asyncio.run(scenario())
    assert 0 < handed_over < len(items) and handed_over % 20 == 0  # whole batches, each written
    assert acked_at_end == handed_over and left == 0  # the rest dropped, to be delivered again


def test_a_hand_over_that_cannot_wait_for_the_batch_is_counted(monkeypatch):
    items = list(incoming(EVENTS[:40]))
    registry = CollectorRegistry()
    storing, never = asyncio.Event(), asyncio.Event()

    async def send_batches(out: Any, topic: str, partition: int, records: list[Any]) -> list[Any]:
        storing.set()
        await never.wait()  # the broker gone as the states go out
        return []

    outputs_nowhere(monkeypatch, send_batches)
    agent = dataclasses.replace(in_memory(registry, changelog_table(), batch_max=20, outage=None,
                                          ack=lambda _: None), hand_over_s=0.05)

    async def scenario() -> None:
        agent.ready.extend(Held(i.timestamp_ms, 0, i, i) for i in items)
        agent.added.set()
        draining = asyncio.ensure_future(agent.drain())
        await storing.wait()
        await agent.hand_over_partitions()
        draining.cancel()
        await asyncio.gather(draining, return_exceptions=True)

    asyncio.run(scenario())
    assert registry.get_sample_value("riskscorer_handover_timeouts_total") == 1
