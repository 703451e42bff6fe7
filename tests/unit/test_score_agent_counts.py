"""A batch whose states fail to reach the changelog after its outputs were sent: the table keeps
them only once delivered, the store alone is retried (the outputs are not sent again), and the
batch is counted once."""

from __future__ import annotations

import asyncio
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
from streams.worker.ordering import Reorder
from streams.worker.settings import DEFAULT_RULES


class StoreDown(ConnectionError):
    """The broker gone as a batch's states are stored."""


def counts(registry: CollectorRegistry, name: str, label: str) -> dict[str, float]:
    """A counter's values summed by one label."""
    out: dict[str, float] = {}
    for sample in (s for m in registry.collect() for s in m.samples if s.name == name):
        out[sample.labels[label]] = out.get(sample.labels[label], 0.0) + sample.value
    return out


def test_a_store_that_fails_after_the_outputs_were_sent_is_retried_alone_and_counted_once(monkeypatch):
    events = [e for e in generate(SimConfig(accounts=30, days=1, seed=3)).events if e.value is not None][:120]
    batch = list(incoming(events))
    registry = CollectorRegistry()
    sent: list[str] = []
    calls: list[str] = []  # send_keyed's, one per output topic and attempt that sent outputs
    changelog: list[int] = []  # states sent, per record batch
    table = SimpleNamespace(data={}, changelog_topic=SimpleNamespace(get_topic_name=lambda: "changelog"))

    async def send_keyed(out: Any, topic: str, records: list[Any]) -> list[Any]:
        calls.append(topic)
        sent.extend([topic] * len(records))
        return []

    async def send_batches(out: Any, topic: str, partition: int, records: list[Any]) -> list[Any]:
        changelog.append(len(records))
        if len(changelog) == 1:  # the broker gone as the first partition's states go out
            raise StoreDown("broker gone")
        return []

    async def write(*_: Any) -> None:
        return None

    monkeypatch.setattr(score, "send_keyed", send_keyed)
    monkeypatch.setattr(score.changelog, "send_batches", send_batches)
    agent = ScoreAgent(
        topics=SimpleNamespace(**{name: SimpleNamespace(get_topic_name=lambda name=name: name)
                                  for name in ("escalations", "dead_letters", "subjects", "shadow")}),
        table=SimpleNamespace(get=table.data.get, data=table.data, changelog_topic=table.changelog_topic),
        scoring=InlinePool(Processor(load_rules(DEFAULT_RULES, load_model(None)), 65536, 20000)),
        profiles=SimpleNamespace(write=write), links=MemoryLinkIndex(), letters=MemoryLetterIndex(),
        metrics=Metrics.create(registry), batch_max=len(batch), batch_window_s=0.01, producer=lambda: None,
        continuity=Continuity(), refetcher=None, mark_read=None,
        health=SimpleNamespace(down=set(), failed=lambda exc: "broker", ok=lambda *_: None),
        attempts=1, reorder=Reorder(0, {}), assigned=lambda: [], highwater=lambda _: None, ack=lambda _: None,
    )

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
