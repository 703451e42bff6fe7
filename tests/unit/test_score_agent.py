"""The score agent takes in deliveries while a batch is scored, and acknowledges each event
only once it is scored."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import Any

from prometheus_client import CollectorRegistry

from streams.batch.pipeline import BatchResult
from streams.faust_fixes.continuity import Continuity, Hole
from streams.worker.agents import score
from streams.worker.agents.score import ScoreAgent, Stages
from streams.worker.metrics import FORCED_WHY, HOLES_FOUND, Metrics
from streams.worker.ordering import Reorder

PARTS = [("m", 0), ("p", 0)]


def event(topic: str, offset: int, ts: int) -> Any:
    msg = SimpleNamespace(topic=topic, partition=0, offset=offset, key=b"a", value=b'{"ts":%d}' % ts,
                          timestamp=ts / 1000, acked=True)
    return SimpleNamespace(message=msg)


def agent(ends: dict[tuple[str, int], int], acked: list[tuple[str, int]],
          scored: list[list[tuple[str, int]]], gate: asyncio.Event,
          tail: dict[int, int] | None = None, marked: list[Hole] | None = None,
          refetched: list[Hole] | None = None, given: list[dict[str, bytes]] | None = None,
          write: Callable[[list[Any]], Awaitable[None]] | None = None,
          broker_ends: dict[tuple[str, int], int] | None = None) -> ScoreAgent:
    """With `tail` (offset -> event time), offsets re-read from the broker are scored as the agent
    does (`refetched`: the holes read); otherwise a batch's offsets are recorded and none is read.
    `given`: the states each batch was scored on besides the table's; `write`: how a batch is written;
    `broker_ends`: the ends the broker gives when asked directly (None: it cannot be reached)."""

    class Gated(ScoreAgent):
        """Scores by recording the batch's offsets, each batch held until `gate` opens; each event
        leaves a state named by its offset."""

        async def score(self, batch: list[Any], states: dict[str, bytes] | None = None) -> tuple[Stages, BatchResult]:
            scored.append([(i.topic, i.offset) for i in batch])
            if given is not None:
                given.append(dict(states or {}))
            await gate.wait()
            return Stages(self.metrics), BatchResult(states={f"{i.topic}{i.offset}": (0, b"") for i in batch})

        async def write(self, batch: list[Any], result: BatchResult, stage: Stages) -> None:
            if write is not None:
                await write(batch)

    async def fetch(found: list[Hole]) -> list[Any]:
        if refetched is not None:
            refetched.extend(found)
        return [SimpleNamespace(topic=h.topic, partition=h.partition, offset=o, key=b"a",
                                value=b'{"ts":%d}' % (tail or {}).get(o, 0), timestamp=0)
                for h in found for o in range(h.start, h.end) if tail is None or o in tail]

    async def asked(keys: list[tuple[str, int]]) -> dict[tuple[str, int], int]:
        if broker_ends is None:
            raise ConnectionRefusedError
        return {key: broker_ends[key] for key in keys if key in broker_ends}

    async def mark_read(hole: Hole) -> None:
        if marked is not None:
            marked.append(hole)

    continuity = Continuity()
    continuity.sought(dict.fromkeys(PARTS, 0))
    made = Gated(
        topics=SimpleNamespace(kind_of={"m": "messages", "p": "proposals"}), table=None, scoring=None,
        profiles=None, links=None, letters=None, metrics=Metrics.create(CollectorRegistry()), batch_max=2,
        batch_window_s=0.01, producer=None, continuity=continuity, refetcher=SimpleNamespace(fetch=fetch, ends=asked),
        mark_read=mark_read,
        health=SimpleNamespace(down=set(), up_since=0.0, ok=lambda *_: None, failed=lambda exc: None),
        attempts=1, reorder=Reorder(0, {"m": 0, "p": 1}),
        assigned=lambda: PARTS, highwater=ends.get, ack=lambda e: acked.append((e.message.topic, e.message.offset)),
    )
    made.reorder.epoch = continuity.epoch
    return made


@dataclass
class Seen:
    """What an agent reading records anew did: batches scored, events acknowledged, holes marked read."""

    scored: list[list[tuple[str, int]]] = field(default_factory=list)
    acked: list[tuple[str, int]] = field(default_factory=list)
    marked: list[Hole] = field(default_factory=list)


def reading_anew(ends: dict[tuple[str, int], int], tail: dict[int, int]) -> tuple[ScoreAgent, Seen]:
    """An agent that scores as the agent does, reading `tail` (offset -> event time) from the broker."""
    seen, gate = Seen(), asyncio.Event()
    gate.set()
    return agent(ends, seen.acked, seen.scored, gate, tail=tail, marked=seen.marked), seen


def by_label(counter: Any, label: str, values: tuple[str, ...]) -> dict[str, float]:
    """A counter's values by `label`, where not 0; each of `values` exported, and no other."""
    counts = {sample.labels[label]: sample.value for metric in counter.collect()
              for sample in metric.samples if sample.name.endswith("_total")}
    assert set(counts) == set(values)
    return {value: count for value, count in counts.items() if count}


def found(scorer: ScoreAgent) -> dict[str, float]:
    """`riskscorer_offset_holes_total` by its `found` label."""
    return by_label(scorer.metrics.holes_refilled, "found", HOLES_FOUND)


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



def released_early(scorer: ScoreAgent) -> dict[str, float]:
    """`riskscorer_reorder_forced_total` by its `why` label."""
    return by_label(scorer.metrics.reorder_forced, "why", FORCED_WHY)


def test_events_released_early_are_counted_by_why():
    """Past the bound on held events the oldest go (held); a proposal that waited its longest for
    another partition number's letters passes the gate (gate)."""
    made = agent({("m", 0): 9, ("p", 0): 9}, [], [], asyncio.Event())  # neither read to its end
    scorer = replace(made, reorder=Reorder(0, {"m": 0, "p": 1}, max_held=2, gated="p", numbers=2))
    scorer.reorder.epoch = scorer.continuity.epoch
    scorer.take_in([event("m", 0, 10), event("m", 1, 20), event("m", 2, 30)])
    assert [h.item.offset for h in scorer.ready] == [0] and released_early(scorer) == {"held": 1}
    scorer.health.up_since = time.monotonic() - 100  # up and settled for longer than the gate's wait
    proposal = scorer.incoming(event("p", 0, 5))
    scorer.reorder.add("p", 0, 5, proposal, at=time.monotonic() - scorer.gate_max_s - 1)
    scorer.release()  # number 1's floor is unknown (its worker gone): the proposal waited its longest
    assert scorer.ready[-1].item is proposal and released_early(scorer) == {"held": 1, "gate": 1}


def test_a_partition_that_stops_short_of_its_end_has_its_tail_read_anew(monkeypatch):
    """After a seek, Faust's fetcher can skip a partition's last records: no later record shows
    the hole, so a partition that delivers nothing for long while its end says more is there is
    read from the broker (once)."""
    monkeypatch.setattr(score, "TAIL_HOLE_S", 0.02)

    async def run() -> tuple[list[Any], list[Hole], dict[str, float]]:
        ends = {("m", 0): 5, ("p", 0): 0}
        scored: list[list[tuple[str, int]]] = []
        read: list[Hole] = []
        gate = asyncio.Event()
        gate.set()
        scorer = agent(ends, [], scored, gate, tail={2: 30, 3: 40, 4: 50}, refetched=read)
        scorer.take_in([event("m", 0, 10), event("m", 1, 20)])  # then nothing more from m
        draining = asyncio.ensure_future(scorer.drain())
        await asyncio.sleep(0.2)
        draining.cancel()
        return scored, read, found(scorer)

    scored, read, counted = asyncio.run(run())
    assert read == [Hole("m", 0, 2, 5)]
    assert [offset for batch in scored for _, offset in batch] == [0, 1, 2, 3, 4]
    assert counted == {"tail": 1}


def test_no_tail_is_read_while_a_dependency_is_down_nor_soon_after(monkeypatch):
    """Nothing is taken in through an outage: what was fetched meanwhile waits in Faust's buffer."""
    monkeypatch.setattr(score, "TAIL_HOLE_S", 60.0)
    read: list[Hole] = []
    scorer = agent({("m", 0): 5, ("p", 0): 0}, [], [], asyncio.Event(), refetched=read)
    scorer.health.down.add("redis")
    assert not asyncio.run(scorer.find_tails())
    scorer.health.down.clear()
    scorer.health.up_since = time.monotonic()  # back a moment ago
    assert not asyncio.run(scorer.find_tails())
    scorer.health.up_since = time.monotonic() - 61
    scorer.short[("m", 0)] = (0, time.monotonic() - 61)  # short of its end all along
    assert asyncio.run(scorer.find_tails())
    assert read == [Hole("m", 0, 0, 5)]


def test_no_tail_is_read_while_the_group_rebalances(monkeypatch):
    """Faust delivers nothing while it recovers the table after an assignment: a partition is
    quiet then, and its tail read anew would be scored on states recovered in part."""
    monkeypatch.setattr(score, "TAIL_HOLE_S", 0.0)
    read: list[Hole] = []
    rebalancing = [True]
    scorer = replace(agent({("m", 0): 5, ("p", 0): 0}, [], [], asyncio.Event(), refetched=read),
                     rebalancing=lambda: rebalancing[0])
    assert not asyncio.run(scorer.find_tails())
    rebalancing[0] = False
    assert asyncio.run(scorer.find_tails())
    assert read == [Hole("m", 0, 0, 5)]


def test_no_tail_is_read_while_a_backlog_waits_in_the_streams_buffer(monkeypatch):
    """Faust hands every partition's fetched records to the stream's one buffer, in turn: while
    more than a batch waits there, a quiet partition's records may be among them (from a backlog,
    taken as skipped they were read twice). Its tail is read once no backlog has waited there
    for `TAIL_HOLE_S`."""
    monkeypatch.setattr(score, "TAIL_HOLE_S", 60.0)
    read: list[Hole] = []
    scorer = agent({("m", 0): 5, ("p", 0): 0}, [], [], asyncio.Event(), refetched=read)
    waiting = SimpleNamespace(n=3)  # more than a batch (batch_max 2)
    scorer.intake.channel = SimpleNamespace(queue=SimpleNamespace(qsize=lambda: waiting.n))
    scorer.intake.look(time.monotonic(), scorer.batch_max)
    assert not asyncio.run(scorer.find_tails())
    waiting.n = 2  # a batch at most: no backlog, and the last one 61 s ago
    scorer.intake.look(time.monotonic(), scorer.batch_max)
    scorer.intake.backlog_at = time.monotonic() - 61
    scorer.short[("m", 0)] = (0, time.monotonic() - 61)  # short of its end all along
    assert asyncio.run(scorer.find_tails())
    assert read == [Hole("m", 0, 0, 5)]


def asked_in_turn(scorer: ScoreAgent, calls: int) -> list[bool]:
    """`find_tails` called `calls` times in one loop, each asking answered before the next call."""
    async def run() -> list[bool]:
        out = []
        for _ in range(calls):
            out.append(await scorer.find_tails())
            if scorer.stalls.asking is not None:
                await asyncio.wait({scorer.stalls.asking}, timeout=10)
        return out

    return asyncio.run(run())


def stalls_asked_at_once(monkeypatch: Any) -> None:
    monkeypatch.setattr(score, "TAIL_HOLE_S", 0.0)
    monkeypatch.setattr(score, "STALL_CHECK_S", 0.0)


def test_a_partition_the_fetcher_stopped_fetching_has_its_tail_read_once_found_short_twice(monkeypatch):
    """The fetcher's end of a partition it no longer fetches stays where it was: the broker, asked
    directly beside the scorer, says more is there. Found short twice at the same offset, its tail
    is read anew."""
    stalls_asked_at_once(monkeypatch)
    read: list[Hole] = []
    broker = {("m", 0): 5, ("p", 0): 0}
    scorer = agent({("m", 0): 2, ("p", 0): 0}, [], [], asyncio.Event(), refetched=read, broker_ends=broker)
    scorer.take_in([event("m", 0, 10), event("m", 1, 20)])  # up to the fetcher's end
    # asked; answered (short once: a record may be on its way); asked; answered: stalled
    assert asked_in_turn(scorer, 4) == [False, False, False, True]
    assert read == [Hole("m", 0, 2, 5)]
    assert found(scorer) == {"stalled": 1}


def test_a_partition_that_delivers_between_askings_is_not_stalled(monkeypatch):
    stalls_asked_at_once(monkeypatch)
    read: list[Hole] = []
    scorer = agent({("m", 0): 1, ("p", 0): 0}, [], [], asyncio.Event(), refetched=read,
                   broker_ends={("m", 0): 5, ("p", 0): 0})
    scorer.take_in([event("m", 0, 10)])
    assert asked_in_turn(scorer, 2) == [False, False]
    scorer.take_in([event("m", 1, 20)])  # the fetcher delivered meanwhile
    assert asked_in_turn(scorer, 2) == [False, False]
    assert read == []


def test_a_broker_that_cannot_be_asked_for_its_ends_reads_no_tail(monkeypatch):
    stalls_asked_at_once(monkeypatch)
    read: list[Hole] = []
    scorer = agent({("m", 0): 1, ("p", 0): 0}, [], [], asyncio.Event(), refetched=read, broker_ends=None)
    scorer.take_in([event("m", 0, 10)])
    assert asked_in_turn(scorer, 4) == [False] * 4
    assert read == []


def test_a_failed_asking_between_two_answers_keeps_what_the_first_found(monkeypatch):
    stalls_asked_at_once(monkeypatch)
    read: list[Hole] = []
    answers: list[dict[tuple[str, int], int] | None] = [{("m", 0): 5}, None, {("m", 0): 5}]

    async def ends(keys: list[tuple[str, int]]) -> dict[tuple[str, int], int]:
        given = answers.pop(0)
        if given is None:
            raise ConnectionRefusedError
        return given

    scorer = agent({("m", 0): 2, ("p", 0): 0}, [], [], asyncio.Event(), refetched=read)
    scorer = replace(scorer, refetcher=SimpleNamespace(fetch=scorer.refetcher.fetch, ends=ends))
    scorer.take_in([event("m", 0, 10), event("m", 1, 20)])
    assert asked_in_turn(scorer, 6) == [False, False, False, False, False, True]
    assert read == [Hole("m", 0, 2, 5)]


def test_the_scorer_goes_on_while_the_broker_is_asked_for_its_ends(monkeypatch):
    """The asking runs beside the scorer: a broker slow to answer holds nothing up, and one that
    does not answer is given up after `ENDS_TIMEOUT_S`."""
    stalls_asked_at_once(monkeypatch)
    monkeypatch.setattr(score, "ENDS_TIMEOUT_S", 0.05)

    async def hang(keys: list[tuple[str, int]]) -> dict[tuple[str, int], int]:
        await asyncio.sleep(60)
        return {}

    scorer = agent({("m", 0): 1, ("p", 0): 0}, [], [], asyncio.Event())
    scorer = replace(scorer, refetcher=SimpleNamespace(fetch=scorer.refetcher.fetch, ends=hang))
    scorer.take_in([event("m", 0, 10)])

    async def run() -> tuple[float, bool]:
        began = time.monotonic()
        first = await scorer.find_tails()
        took = time.monotonic() - began
        asking = scorer.stalls.asking
        assert asking is not None
        await asyncio.wait({asking}, timeout=10)  # given up after ENDS_TIMEOUT_S
        await scorer.find_tails()
        assert scorer.stalls.asking is not asking
        return took, first

    took, first = asyncio.run(run())
    assert not first and took < 5  # not the 60 s the broker would take


def test_no_proposal_is_overdue_at_the_gate_through_an_outage_nor_soon_after_it_or_a_seek():
    """The other numbers' floors stand still through an outage because everything does: a proposal
    waits `gate_max_s` for their letters counted from when the worker was last up and sought, and
    `GATE_MAX_TIMES` as long at most whatever happens meanwhile."""
    scorer = replace(agent({("m", 0): 0, ("p", 0): 0}, [], [], asyncio.Event()), gate_max_s=30.0)
    longest = 30.0 * score.GATE_MAX_TIMES
    scorer.reorder.since = time.monotonic() - 100
    scorer.health.up_since = time.monotonic() - 100
    wait = scorer.gate_wait()
    assert wait.still_s == 30.0 and wait.overdue == wait.now - 30 and wait.bound == wait.now - longest
    scorer.health.down.add("broker")
    assert scorer.gate_wait().overdue == scorer.gate_wait().bound == float("-inf")
    scorer.health.down.clear()
    scorer.health.up_since = time.monotonic() - 5  # back 5 s ago
    wait = scorer.gate_wait()
    assert wait.overdue == wait.bound == wait.now - longest
    scorer.health.up_since = time.monotonic() - 100
    scorer.reorder.since = time.monotonic() - 5  # sought 5 s ago
    wait = scorer.gate_wait()
    assert wait.overdue == wait.bound == wait.now - longest


def test_the_floors_shared_are_read_with_when_each_rose():
    async def exchange(own: dict[int, int]) -> dict[int, int]:
        return {**own, 1: 7}

    made = agent({("m", 0): 0, ("p", 0): 0}, [], [], asyncio.Event())
    scorer = replace(made, floors=SimpleNamespace(exchange=exchange),
                     reorder=Reorder(0, {"m": 0, "p": 1}, gated="p", numbers=2))
    before = time.monotonic()
    asyncio.run(scorer.share())
    assert scorer.reorder.remote[1] == 7 and scorer.reorder.rose[1] >= before
    assert scorer.reorder.shared_at >= before


def test_a_long_tail_is_read_a_part_at_a_time(monkeypatch):
    monkeypatch.setattr(score, "TAIL_HOLE_S", 0.0)
    monkeypatch.setattr(score, "TAIL_HOLE_MAX", 3)
    read: list[Hole] = []
    scorer = agent({("m", 0): 5, ("p", 0): 0}, [], [], asyncio.Event(), refetched=read)
    asyncio.run(scorer.find_tails())
    asyncio.run(scorer.find_tails())
    assert read == [Hole("m", 0, 0, 3), Hole("m", 0, 3, 5)]


def test_a_tail_read_anew_is_applied_in_event_time_order_with_the_other_partitions(monkeypatch):
    """A partition read short of its end holds its number's other partitions back until its tail
    is read anew; the tail's records are then merged with theirs by event time (taken as read
    meanwhile, the others' later events were applied before it). Each record re-read is
    acknowledged with its tail: marked read once all are scored."""
    monkeypatch.setattr(score, "UNKNOWN_END_S", 0.05)
    monkeypatch.setattr(score, "TAIL_HOLE_S", 0.15)

    async def run() -> Seen:
        # m's records the fetcher skipped, by offset: their times
        scorer, seen = reading_anew({("m", 0): 5, ("p", 0): 3}, tail={2: 30, 3: 40, 4: 50})
        scorer.take_in([event("m", 0, 10), event("m", 1, 20), event("p", 0, 25), event("p", 1, 35),
                        event("p", 2, 45)])  # then nothing more from m
        draining = asyncio.ensure_future(scorer.drain())
        await asyncio.sleep(0.5)
        draining.cancel()
        return seen

    seen = asyncio.run(run())
    assert [where for batch in seen.scored for where in batch] == [
        ("m", 0), ("m", 1), ("p", 0), ("m", 2), ("p", 1), ("m", 3), ("p", 2), ("m", 4)]
    assert seen.acked == [("m", 0), ("m", 1), ("p", 0), ("p", 1), ("p", 2)]
    assert seen.marked == [Hole("m", 0, 2, 5)]


def test_an_offset_hole_is_read_into_its_place_behind_what_its_partition_still_holds():
    """m delivers 0, then 4: offsets 1-3 were skipped. 0 is still held (p has not delivered up
    to its end). The hole's records are read and held in their place, after 0 and before 4, and
    nothing is scored before them: scored at once, they would come before 0, which a state then
    skips as a replay."""

    async def run() -> Seen:
        scorer, seen = reading_anew({("m", 0): 5, ("p", 0): 1}, tail={1: 20, 2: 30, 3: 40})
        scorer.reorder.since = time.monotonic()  # just sought: p's tail is not due for reading
        scorer.take_in([event("m", 0, 10), event("m", 4, 50)])
        draining = asyncio.ensure_future(scorer.drain())
        await asyncio.sleep(0.05)
        assert seen.scored == []  # p may still deliver something earlier
        scorer.take_in([event("p", 0, 45)])
        scorer.added.set()
        await asyncio.sleep(0.3)
        draining.cancel()
        assert found(scorer) == {"skipped": 1}
        return seen

    seen = asyncio.run(run())
    assert [where for batch in seen.scored for where in batch] == [
        ("m", 0), ("m", 1), ("m", 2), ("m", 3), ("p", 0), ("m", 4)]
    assert seen.acked == [("m", 0), ("p", 0), ("m", 4)]
    assert seen.marked == [Hole("m", 0, 1, 4)]


def test_nothing_is_scored_while_a_dependency_is_down():
    """Not even a batch that needs no Redis: the outage holds everything taken in."""
    async def run() -> tuple[list[Any], list[Any]]:
        scored: list[list[tuple[str, int]]] = []
        gate = asyncio.Event()
        gate.set()
        scorer = agent({("m", 0): 1, ("p", 0): 0}, [], scored, gate)
        scorer.health.down.add("redis")
        scorer.take_in([event("m", 0, 10)])
        draining = asyncio.ensure_future(scorer.drain())
        await asyncio.sleep(0.3)
        during = list(scored)
        scorer.health.down.clear()
        await asyncio.sleep(0.3)
        draining.cancel()
        return during, scored

    during, after = asyncio.run(run())
    assert during == [] and after == [[("m", 0)]]


def overlapped(write: Callable[[list[Any]], Awaitable[None]],
               given: list[dict[str, bytes]]) -> tuple[ScoreAgent, list[Any], list[Any]]:
    """An agent with four events of m due, in batches of two, written by `write`."""
    acked: list[tuple[str, int]] = []
    scored: list[list[tuple[str, int]]] = []
    gate = asyncio.Event()
    gate.set()
    scorer = agent({("m", 0): 4, ("p", 0): 0}, acked, scored, gate, given=given, write=write)
    scorer.take_in([event("m", 0, 10), event("m", 1, 20), event("m", 2, 30), event("m", 3, 40)])
    return scorer, scored, acked


def test_a_batch_is_scored_while_the_one_before_is_written_on_the_states_it_stores():
    """The scoring processes do not wait for a batch's writes; a batch's events are acknowledged
    once it is written, and the next is written only after it."""
    async def run() -> tuple[Any, list[Any], list[Any], list[Any], list[Any]]:
        first_written = asyncio.Event()
        log: list[Any] = []

        async def write(batch: list[Any]) -> None:
            log.append(("writing", [i.offset for i in batch], list(acked)))
            if batch[0].offset == 0:
                await first_written.wait()

        given: list[dict[str, bytes]] = []
        scorer, scored, acked = overlapped(write, given)
        draining = asyncio.ensure_future(scorer.drain())
        await asyncio.sleep(0.05)
        during = (list(scored), list(acked))
        first_written.set()
        await asyncio.sleep(0.05)
        draining.cancel()
        return during, scored, acked, log, given

    during, scored, acked, log, given = asyncio.run(run())
    assert during == ([[("m", 0), ("m", 1)], [("m", 2), ("m", 3)]], [])  # scored, the first not written yet
    assert scored == [[("m", 0), ("m", 1)], [("m", 2), ("m", 3)]]
    assert given == [{}, {"m0": b"", "m1": b""}]  # the second on the states the first stores
    assert log == [("writing", [0, 1], []), ("writing", [2, 3], [("m", 0), ("m", 1)])]
    assert acked == [("m", 0), ("m", 1), ("m", 2), ("m", 3)]


def test_a_batch_whose_writing_fails_is_handled_anew_and_so_is_the_next():
    """The next was scored on states the failed batch did not store: both are handled again in turn."""
    async def run() -> tuple[list[Any], list[Any], list[Any]]:
        failures = [RuntimeError("broker gone")]

        async def write(batch: list[Any]) -> None:
            if batch[0].offset == 0 and failures:
                raise failures.pop()

        given: list[dict[str, bytes]] = []
        scorer, scored, acked = overlapped(write, given)
        draining = asyncio.ensure_future(scorer.drain())
        await asyncio.sleep(0.1)
        draining.cancel()
        return scored, acked, given

    scored, acked, given = asyncio.run(run())
    assert scored == [[("m", 0), ("m", 1)], [("m", 2), ("m", 3)], [("m", 0), ("m", 1)], [("m", 2), ("m", 3)]]
    assert given == [{}, {"m0": b"", "m1": b""}, {}, {}]
    assert acked == [("m", 0), ("m", 1), ("m", 2), ("m", 3)]


def test_a_batch_taken_before_a_seek_is_dropped_once_the_one_before_is_written():
    """As `resync` drops what was not taken yet: it is delivered again from the new positions."""
    async def run() -> tuple[list[Any], list[Any], list[int]]:
        written: list[int] = []
        scorer: ScoreAgent

        async def write(batch: list[Any]) -> None:
            if batch[0].offset == 0:
                scorer.continuity.seeking()
                scorer.continuity.sought({("m", 0): 4, ("p", 0): 0})
            written.extend(i.offset for i in batch)

        scorer, scored, acked = overlapped(write, [])
        draining = asyncio.ensure_future(scorer.drain())
        await asyncio.sleep(0.05)
        draining.cancel()
        return scored, acked, written

    scored, acked, written = asyncio.run(run())
    assert scored == [[("m", 0), ("m", 1)], [("m", 2), ("m", 3)]]
    assert written == [0, 1] and acked == [("m", 0), ("m", 1)]


def test_a_tail_read_anew_that_the_fetcher_delivers_after_all_is_scored_once(monkeypatch):
    """The fetcher was only slow: the tail's records are delivered after they were read anew and
    scored. Each offset is scored once (a malformed record would be dead-lettered twice), and
    the tail is marked read."""
    monkeypatch.setattr(score, "UNKNOWN_END_S", 0.05)
    monkeypatch.setattr(score, "TAIL_HOLE_S", 0.05)

    async def run() -> Seen:
        scorer, seen = reading_anew({("m", 0): 3, ("p", 0): 0}, tail={0: 10, 1: 20, 2: 30})
        draining = asyncio.ensure_future(scorer.drain())
        await asyncio.sleep(0.3)  # read anew and scored
        scorer.take_in([event("m", 0, 10), event("m", 1, 20), event("m", 2, 30)])  # delivered late
        scorer.added.set()
        await asyncio.sleep(0.3)
        draining.cancel()
        return seen

    seen = asyncio.run(run())
    assert [where for batch in seen.scored for where in batch] == [("m", 0), ("m", 1), ("m", 2)]
    assert seen.marked == [Hole("m", 0, 0, 3)]


def test_a_partition_whose_end_just_moved_is_not_taken_as_quiet(monkeypatch):
    """A fresh partition, idle since the seek long ago: the fetch that tells its new end brings
    its records too. No tail is read until it has stayed short of that end for TAIL_HOLE_S."""
    monkeypatch.setattr(score, "TAIL_HOLE_S", 0.2)
    read: list[Hole] = []
    ends = {("m", 0): 0, ("p", 0): 0}
    scorer = agent(ends, [], [], asyncio.Event(), refetched=read)
    scorer.reorder.since = time.monotonic() - 60  # sought a minute ago, nothing written since
    assert not asyncio.run(scorer.find_tails())
    ends[("m", 0)] = 5  # records written: the fetch response says so
    assert not asyncio.run(scorer.find_tails())
    time.sleep(0.25)
    assert asyncio.run(scorer.find_tails())
    assert read == [Hole("m", 0, 0, 5)]
