"""The score agent takes in deliveries while a batch is scored, and acknowledges each event
only once it is scored."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from prometheus_client import CollectorRegistry

from streams.faust_fixes.continuity import Continuity
from streams.worker.agents.score import ScoreAgent
from streams.worker.metrics import Metrics
from streams.worker.ordering import Reorder

PARTS = [("m", 0), ("p", 0)]


def event(topic: str, offset: int, ts: int) -> Any:
    msg = SimpleNamespace(topic=topic, partition=0, offset=offset, key=b"a", value=b'{"ts":%d}' % ts,
                          timestamp=ts / 1000, acked=True)
    return SimpleNamespace(message=msg)


def agent(ends: dict[tuple[str, int], int], acked: list[tuple[str, int]],
          scored: list[list[tuple[str, int]]], gate: asyncio.Event) -> ScoreAgent:
    class Gated(ScoreAgent):
        """Scores by recording the batch's offsets, each batch held until `gate` opens."""

        async def settle(self, batch: list[Any], holes: list[Any]) -> None:
            scored.append([(i.topic, i.offset) for i in batch])
            await gate.wait()

    continuity = Continuity()
    continuity.sought(dict.fromkeys(PARTS, 0))
    made = Gated(
        topics=SimpleNamespace(kind_of={"m": "messages", "p": "proposals"}), table=None, scoring=None,
        profiles=None, links=None, letters=None, metrics=Metrics.create(CollectorRegistry()), batch_max=2,
        batch_window_s=0.01, producer=None, continuity=continuity, refetcher=None, mark_read=None,
        health=None, attempts=1, reorder=Reorder(0, {"m": 0, "p": 1}), assigned=lambda: PARTS,
        highwater=ends.get, ack=lambda e: acked.append((e.message.topic, e.message.offset)),
    )
    made.reorder.epoch = continuity.epoch
    return made


def test_deliveries_are_taken_in_and_released_in_order_while_a_batch_is_scored():
    async def run() -> tuple[list[Any], list[Any], list[Any]]:
        ends = {("m", 0): 1, ("p", 0): 0}
        acked: list[tuple[str, int]] = []
        scored: list[list[tuple[str, int]]] = []
        gate = asyncio.Event()
        scorer = agent(ends, acked, scored, gate)
        scorer.take_in([event("m", 0, 10)])  # p read to its end: m's first is due
        draining = asyncio.ensure_future(scorer.drain())
        await asyncio.sleep(0.01)
        assert scored == [[("m", 0)]] and not acked  # being scored: not acknowledged yet
        ends.update({("m", 0): 3, ("p", 0): 1})
        scorer.take_in([event("p", 0, 15), event("m", 1, 20), event("m", 2, 30)])
        released = [(h.item.topic, h.item.offset) for h in scorer.ready]  # taken in meanwhile, in time order
        gate.set()
        await asyncio.sleep(0.01)
        draining.cancel()
        return released, scored, acked

    released, scored, acked = asyncio.run(run())
    assert released == [("p", 0), ("m", 1), ("m", 2)]
    assert scored == [[("m", 0)], [("p", 0), ("m", 1)], [("m", 2)]]  # batches of at most batch_max
    assert acked == [("m", 0), ("p", 0), ("m", 1), ("m", 2)]


def test_events_taken_in_while_a_seek_runs_are_scored_and_those_from_before_it_are_dropped():
    async def run() -> tuple[list[Any], list[Any]]:
        ends = {("m", 0): 4, ("p", 0): 0}
        acked: list[tuple[str, int]] = []
        scored: list[list[tuple[str, int]]] = []
        gate = asyncio.Event()
        gate.set()
        scorer = agent(ends, acked, scored, gate)
        scorer.take_in([event("m", 0, 10), event("m", 1, 20)])  # delivered again after the seek
        scorer.continuity.seeking()
        scorer.take_in([event("m", 2, 30), event("m", 3, 40)])  # delivered once the consumer moved
        scorer.continuity.sought({("m", 0): 2, ("p", 0): 0})
        draining = asyncio.ensure_future(scorer.drain())
        await asyncio.sleep(0.05)
        draining.cancel()
        return scored, acked

    scored, acked = asyncio.run(run())
    assert [offset for batch in scored for _, offset in batch] == [2, 3]
    assert acked == [("m", 2), ("m", 3)]

