"""The scoring agent: batches of raw events in, escalations and dead letters out.

Two tasks share the work. The agent's stream takes in what Faust delivers,
holds it for event-time order (`streams.worker.ordering`) and passes on what is due;
the scorer (`drain`) scores what was passed on, a batch at a time, and
acknowledges it. Events keep being taken in while a batch is scored (at most
a batch ahead: then the stream waits), so a partition's fetched records do not
wait behind the batch to count for the order, and the next batch is ready when
this one is done. The next batch is scored while this one's Redis records,
outputs and states are written (`ScoreAgent.overlap`), on the states it stores.

With proposals ordered across partition numbers (`Reorder.gated`), delivered
proposals are put in the cover-letter index before they are taken in, and this
worker's floors are shared through Redis then and whenever the scorer waits,
the other workers' read (`streams.adapters.floors`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import faust
import orjson
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from faust.types import EventT, TableT

from scoring import sketch
from scoring.records import Event, Proposal
from scoring.signals import Signal, Withdrawal
from scoring.step import View
from streams.adapters.floors import Floors
from streams.adapters.letter_index import RedisLetterIndex
from streams.adapters.link_index import LinkIndex
from streams.adapters.profiles import ProfileStore
from streams.batch import deadletter, heap
from streams.batch.pipeline import BatchResult, Incoming, Where
from streams.batch.processes import Pool, Prepared
from streams.batch.schemas import subjects
from streams.faust_fixes import changelog
from streams.faust_fixes.acks import unacknowledged
from streams.faust_fixes.continuity import Continuity, Hole, Refetcher, Stalls
from streams.faust_fixes.producer import send_keyed
from streams.worker import poison, tables
from streams.worker.health import BROKER, Health
from streams.worker.metrics import HoleFound, Metrics, count_sent, record_metrics
from streams.worker.ordering import GateWait, Held, Partition, Reorder, event_time
from streams.worker.topics import Topics

UNKNOWN_END_S = 5.0
# A partition whose end says more is there but that delivered nothing for this long, while the
# scorer was idle and no dependency down, had its tail skipped by Faust's fetcher: read it anew.
# Until then it holds its partition number's events back (`ScoreAgent.idle`), no longer than a
# partition whose end is not known.
TAIL_HOLE_S = UNKNOWN_END_S
TAIL_HOLE_MAX = 5_000  # offsets of such a tail read at a time (a read has a deadline)
# The broker is asked for the ends of quiet partitions every this often (`Stalls`), and given up
# on after `ENDS_TIMEOUT_S`; once some were short, again `TAIL_HOLE_S` after.
STALL_CHECK_S = 30.0
ENDS_TIMEOUT_S = 10.0
# However things went meanwhile, a proposal taken in this many `gate_max_s` ago passes the gate.
GATE_MAX_TIMES = 5
OUTAGE_POLL_S = 0.1  # how often the scorer looks whether an outage is over
UNPROCESSABLE = "unprocessable"  # dead-letter reason: decoded, but its batch keeps failing on it

log = logging.getLogger(__name__)


def answer(asking: asyncio.Future[dict[Partition, int]]) -> dict[Partition, int] | None:
    """The ends the broker gave; None if it could not be asked (said in the log): a best-effort
    check never stops the scorer."""
    if asking.cancelled():
        return None
    failure = asking.exception()
    if failure is None:
        return asking.result()
    log.warning("could not ask the broker for the ends of quiet partitions: %s", type(failure).__name__,
                exc_info=not isinstance(failure, KafkaError | OSError | TimeoutError))
    return None


def incoming(event: EventT[bytes], kind: str) -> Incoming:
    """A Faust event as the pipeline takes it: raw bytes with their source position."""
    msg = event.message
    return Incoming(kind=kind, topic=msg.topic, partition=msg.partition, offset=msg.offset,
                    key=msg.key, value=msg.value, timestamp_ms=int(msg.timestamp * 1000))


async def reject_unprocessable(item: Incoming, exc: Exception, topics: Topics,
                               producer: Callable[[], AIOKafkaProducer], metrics: Metrics,
                               retrier: poison.Retrier, counted: bool = False) -> None:
    """Dead-letter an event its batch keeps failing on, so the partitions go on (`counted`: its
    outcome counted already, by an attempt that sent its outputs)."""
    log.error("dead-lettering %s:%d@%d: its batch keeps failing on it: %r", item.topic, item.partition,
              item.offset, exc, exc_info=exc)
    record = deadletter.record(item, UNPROCESSABLE, f"{type(exc).__name__}: {exc}")

    async def send() -> None:
        await (await producer().send(topics.dead_letters.get_topic_name(), record, key=deadletter.key(item)))

    await replace(retrier, needs=(BROKER,)).until_done(send)
    metrics.dead_letters.labels(item.kind, UNPROCESSABLE).inc()
    if not counted:
        metrics.events.labels(item.kind, "dead_letter").inc()
    count_sent(metrics, deadletter=1)


class Stages:
    """A batch's time per stage, into `riskscorer_batch_stage_seconds`."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics
        self.started = self.last = time.perf_counter()

    def done(self, stage: str) -> None:
        now = time.perf_counter()
        self.metrics.batch_stage.labels(stage).observe(now - self.last)
        self.last = now


def report_stop(scorer: asyncio.Future[None]) -> None:
    if not scorer.cancelled() and scorer.exception() is not None:
        log.error("scoring stopped: %r", scorer.exception(), exc_info=scorer.exception())


async def first_of(wait: Awaitable[Any], task: asyncio.Future[Any]) -> None:
    """Wait for `wait` or for `task` to end, whichever is first."""
    waiting = asyncio.ensure_future(wait)
    try:
        await asyncio.wait([waiting, task], return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiting.cancel()


def shadow_bytes(account: str, sig: Signal | Withdrawal) -> bytes:
    """A shadow rule's finding (with its name when it can be withdrawn), or the withdrawal of one
    (`withdraws`: that name)."""
    record = {"account_id": account, **sig.to_dict()}
    if isinstance(sig, Signal) and sig.finding:
        record["finding"] = sig.finding
    return orjson.dumps(record)


@dataclass(slots=True)
class Refilled:
    """What the records of a hole or tail read anew are acknowledged by: they are held for
    event-time order like delivered ones, and once all `left` are scored, the hole is marked read
    (Faust commits past it)."""

    hole: Hole
    left: int


@dataclass(slots=True)
class Intake:
    """The agent's stream as it runs: when a backlog last waited in its buffer. Faust hands a
    partition's fetched records to that one buffer behind every other partition's, so a partition
    quiet while more than a batch waits there may only be waiting its turn, not skipped."""

    channel: Any = None  # the stream's channel, once the agent runs
    backlog_at: float = 0.0  # monotonic seconds

    def look(self, now: float, batch: int) -> None:
        queue = getattr(self.channel, "queue", None)
        if queue is not None and queue.qsize() > batch:
            self.backlog_at = now


@dataclass(slots=True)
class HandOver:
    """Partitions revoked at a rebalance, or the worker stopping. From then until the consumer is
    sought anew (the assignment), nothing more is scored, and what was being scored or written is
    finished first: its states are then in the changelog before the worker rejoins or leaves the
    group, so before any worker recovers them. Written after, they could overwrite the states of
    the worker that took the partitions over, behind what it had applied since (a recovery after
    that, at the next rebalance or restart, would skip those events)."""

    epoch: int | None = None  # the consumer's seek epoch when partitions were revoked
    quiet: asyncio.Event = field(default_factory=asyncio.Event)  # set once nothing is scored or written
    draining: bool = False  # whether the scorer runs (before the agent starts, nothing is in hand)


@dataclass(frozen=True, slots=True)
class Writing:
    """A scored batch whose Redis records, outputs and states are being written (`write`) while the
    next batch is scored (`ScoreAgent.overlap`); its events are acknowledged once that is done."""

    chunk: list[Held]
    result: BatchResult
    task: asyncio.Future[None]


@dataclass(frozen=True, slots=True)
class ScoreAgent:
    topics: Topics
    table: TableT[bytes, bytes | None]
    scoring: Pool
    profiles: ProfileStore
    links: LinkIndex
    letters: RedisLetterIndex
    metrics: Metrics
    batch_max: int
    batch_window_s: float
    # The aiokafka producer Faust runs: outputs are sent straight to it (no per-message
    # trip through Faust's channel and buffer) and their deliveries awaited per batch.
    producer: Callable[[], AIOKafkaProducer]
    continuity: Continuity
    refetcher: Refetcher
    # Tells Faust's consumer that a re-read hole's offsets are done, so it commits past them.
    mark_read: Callable[[Hole], Awaitable[None]]
    health: Health
    attempts: int  # tries of a batch failing otherwise than by an outage, before it is split
    # Event-time order across the co-partitioned topics (`streams.worker.ordering`): the stream partitions
    # assigned, the broker's end offset of one (None: not known yet), and the acknowledgement of a
    # Faust event once it is scored (until then its offset is not committed).
    reorder: Reorder
    assigned: Callable[[], Iterable[Partition]]
    highwater: Callable[[Partition], int | None]
    ack: Callable[[Any], None]
    # Held events are released as soon as the clock passes them (`Reorder.wake_ms`); this is the
    # longest wait, for partitions that reach their end without delivering anything.
    tick_s: float = 0.02
    # the longest a proposal waits for the other partition numbers' letters (a worker gone)
    gate_max_s: float = 30.0
    # the longest the partitions' hand-over waits for the batch being written (`HandOver`)
    hand_over_s: float = 5.0
    # Whether the group is rebalancing: from Faust's rebalance start until its table is recovered
    # and its stream partitions sought. No tail is read anew meanwhile (`find_tails`): Faust
    # delivers nothing then, and the states read would be those of a changelog read in part.
    rebalancing: Callable[[], bool] = lambda: False
    # Whether Faust is stopping this agent: retries through an outage end then, and the scorer
    # stops waiting for the dependency (what it holds stays uncommitted, for the next worker)
    stopping: Callable[[], bool] = lambda: False
    # quiet partitions' ends asked of the broker, for those the fetcher stopped fetching
    stalls: Stalls = field(default_factory=lambda: Stalls(TAIL_HOLE_S, STALL_CHECK_S))
    # Released events wait here for the scorer (`drain`), which takes them a batch at a time while
    # the agent takes in what is delivered meanwhile, up to a batch ahead; the records of offset
    # holes wait with them, to be scored with the next batch.
    ready: deque[Held] = field(default_factory=deque)
    holes: list[Hole] = field(default_factory=list)
    added: asyncio.Event = field(default_factory=asyncio.Event)  # set when events are taken in
    room: asyncio.Event = field(default_factory=asyncio.Event)  # set when the scorer takes a batch
    # when each partition last delivered a record (monotonic seconds)
    delivered: dict[Partition, float] = field(default_factory=dict)
    # each partition known short of its end: its next offset then, and since when (`short_s`)
    short: dict[Partition, tuple[int, float]] = field(default_factory=dict)
    intake: Intake = field(default_factory=Intake)
    hand_over: HandOver = field(default_factory=HandOver)
    # the floors shared with the other workers (None: each partition number ordered apart)
    floors: Floors | None = None
    # the sketches of the proposals put in the cover-letter index as they were read, by event id,
    # until they are scored (those scored without, offset holes, are indexed then)
    indexed: dict[str, str] = field(default_factory=dict)
    # those proposals as decoded then, by where they were read, until scored (not decoded again)
    read: dict[Where, Event] = field(default_factory=dict)
    # held while holes or tails are read anew (`hold_read_anew`): nothing is taken in meanwhile
    refilling: asyncio.Lock = field(default_factory=asyncio.Lock)
    # the events of the batch being written or settled that are counted: an attempt that sent its
    # outputs scored them, whatever fails after (a retry then finds them replayed, or scores them
    # again); emptied once the batch is done (`settle`, `finish`)
    counted: set[Where] = field(default_factory=set)

    def incoming(self, event: EventT[bytes]) -> Incoming:
        return incoming(event, self.topics.kind_of[event.message.topic])

    @property
    def retrier(self) -> poison.Retrier:
        return poison.Retrier(self.health, self.retrying, stopping=self.stopping)

    async def run(self, stream: faust.StreamT[bytes]) -> AsyncIterator[None]:
        batches = stream.take_events(  # type: ignore[attr-defined]
            self.batch_max, within=self.batch_window_s
        )
        self.intake.channel = stream.channel
        self.scoring.start()  # the scoring processes import while the first batch gathers
        heap.settle()  # the app, its rules and tables as loaded
        scorer = asyncio.ensure_future(self.drain())
        scorer.add_done_callback(report_stop)  # the stream raises it only at its next delivery
        try:
            async for events in batches:
                # Faust acknowledges a batch's events when the next is asked for: each is marked
                # acknowledged already, so that only `drain` acknowledges it, once scored.
                unacknowledged(events)
                async with self.refilling:
                    await self.index_letters(events)
                    self.take_in(events)
                await self.share()
                self.added.set()
                while len(self.ready) >= self.batch_max and not scorer.done():  # a batch ahead at most
                    self.room.clear()
                    await first_of(self.room.wait(), scorer)
                if scorer.done():
                    scorer.result()  # scoring failed: raise it here
                yield None
        finally:
            if not scorer.done():  # the worker stops
                await self.hand_over_partitions()
            scorer.cancel()
            self.scoring.close()

    def take_in(self, events: list[EventT[bytes]]) -> None:
        """Hold delivered events for event-time order, and pass on what is due."""
        self.resync()
        # A record below the offset its partition delivers next was read already: a tail read
        # anew that the fetcher delivers after all (it was only slow), or one from before the
        # seek. Held again it would be scored twice (a malformed one dead-lettered twice). It is
        # not acknowledged: the tail is marked read once its own copies are scored.
        events = [e for e in events if not self.read_already(e.message.topic, e.message.partition, e.message.offset)]
        batch = [self.incoming(e) for e in events]
        self.holes.extend(self.continuity.holes((i.topic, i.partition, i.offset) for i in batch))
        now = time.monotonic()
        self.intake.look(now, self.batch_max)
        for item, event in zip(batch, events, strict=True):
            key = (item.topic, item.partition)
            ts = event_time(item.value, self.reorder.newest(key))
            self.reorder.add(item.topic, item.partition, ts, item, event, now)
            self.reorder.saw(item.topic, ts, item.timestamp_ms, now)
            self.delivered[key] = now
        self.release()

    def read_already(self, topic: str, partition: int, offset: int) -> bool:
        due = self.continuity.next_offset((topic, partition))
        return due is not None and offset < due

    async def drain(self) -> None:
        """Score released events a batch at a time as they come, and those the clock releases
        on partitions read to their end, then acknowledge them; none while a dependency is down,
        nor once the partitions are handed over (`HandOver`). A batch is written while the next
        one is scored (`overlap`)."""
        writing: Writing | None = None
        self.hand_over.draining = True
        try:
            while True:
                if self.hand_over.epoch == self.continuity.epoch:
                    await self.written(writing)  # partitions revoked: finished, then nothing until sought
                    writing = None
                    self.hand_over.quiet.set()
                    await self.wait_added(self.tick_s)
                    continue
                if self.health.down:
                    # Nothing is scored through an outage, not even a batch that needs no Redis: what
                    # was taken in waits, and the timers' probes say when the dependency is back.
                    if self.stopping():  # nor ever by this worker: left uncommitted, for the next
                        return
                    await self.written(writing)
                    writing = None
                    await asyncio.sleep(OUTAGE_POLL_S)
                    continue
                self.resync()
                if self.holes:  # found at intake: their records held in their place before anything passes
                    found = self.holes[:]
                    self.holes.clear()
                    await self.hold_read_anew(found, "skipped")
                self.release()
                if self.ready:
                    chunk = [self.ready.popleft() for _ in range(min(self.batch_max, len(self.ready)))]
                    self.room.set()
                    writing = await self.overlap(chunk, writing)
                    continue
                await self.written(writing)  # nothing to score meanwhile: done before waiting
                writing = None
                await self.share()
                if await self.find_tails():
                    continue
                await self.wait_added(self.next_tick())
        finally:
            self.hand_over.draining = False
            self.hand_over.quiet.set()
            if self.stalls.asking is not None:
                self.stalls.asking.cancel()  # its client stopped before the worker goes on stopping
                await asyncio.wait({self.stalls.asking}, timeout=1.0)
                self.stalls.asking = None
            if writing is not None:
                writing.task.cancel()  # not acknowledged: delivered again

    async def wait_added(self, timeout_s: float) -> None:
        """Until events are taken in (or the partitions revoked), at most `timeout_s`."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.added.wait(), timeout_s)
        self.added.clear()

    async def hand_over_partitions(self) -> None:
        """The partitions are revoked (before the worker rejoins the group) or the worker stops
        (before it leaves): the scorer stops until the consumer is sought anew, once what it was
        scoring or writing is done (`HandOver`), waited for `hand_over_s` at most."""
        self.hand_over.epoch = self.continuity.epoch
        if not self.hand_over.draining:
            return
        self.hand_over.quiet.clear()
        self.added.set()
        try:
            await asyncio.wait_for(self.hand_over.quiet.wait(), self.hand_over_s)
        except TimeoutError:
            self.metrics.hand_over_timeouts.inc()
            log.warning("partitions handed over while a batch was still being written after %.0f s: its "
                        "states may reach the changelog after another worker recovered them", self.hand_over_s)

    async def overlap(self, chunk: list[Held], writing: Writing | None) -> Writing | None:
        """Score `chunk` while the batch before (`writing`) is written, then start writing it; the
        scoring processes would otherwise wait while a batch is written.

        What holds as when each batch is handled in turn (`handle`):
        - `chunk` is scored on the states the batch before stores, given as they may not be in
          the table yet; its link views wait for that batch's refreshes (`LinkIndex.flush`).
        - Its writes start once the batch before is written: Redis before outputs, deliveries
          before states, batch after batch.
        - If writing the batch before failed, both are handled anew in turn (`settle`: retried
          through outages, failing events isolated); so is `chunk` if scoring it failed.
        - If the partitions were sought meanwhile, `chunk` is dropped unacknowledged, as `resync`
          drops what it had not taken yet: it is delivered again from the new positions.
        """
        batch = [h.item for h in chunk]
        epoch = self.continuity.epoch
        given = writing.result.states if writing is not None else {}
        scoring = asyncio.ensure_future(self.score(batch, {a: state for a, (_, state) in given.items()}))
        # Both are awaited before either is handled anew: one batch at a time in the scoring processes.
        scored, failed = await asyncio.gather(scoring, self.wrote(writing), return_exceptions=True)
        for outcome in (failed, scored):
            if isinstance(outcome, BaseException) and not isinstance(outcome, Exception):
                raise outcome  # cancelled: the worker stops
        if writing is not None:
            await self.done_writing(writing, failed)  # if it failed, `chunk` is handled anew too
        if self.continuity.epoch != epoch:
            return None
        if failed is not None or isinstance(scored, BaseException):
            if failed is None and isinstance(scored, BaseException):
                self.attempt_failed(scored)
            await self.settle(batch)
            await self.finish(chunk)
            return None
        stage, result = scored
        return Writing(chunk, result, asyncio.ensure_future(self.write(batch, result, stage)))

    async def wrote(self, writing: Writing | None) -> None:
        """Wait for `writing`'s writes (raising their failure)."""
        if writing is not None:
            await writing.task

    async def written(self, writing: Writing | None) -> None:
        """Finish `writing`: its events acknowledged once written, or the batch handled anew."""
        if writing is None:
            return
        failed: Exception | None = None
        try:
            await writing.task
        except Exception as exc:  # noqa: BLE001 - handled anew, where a failure is sorted (`settle`)
            failed = exc
        await self.done_writing(writing, failed)

    async def done_writing(self, writing: Writing, failed: BaseException | None) -> None:
        """`writing` written (`failed` None), or handled anew; then finished."""
        if failed is not None:
            self.attempt_failed(failed)
            await self.settle([h.item for h in writing.chunk])
        await self.finish(writing.chunk)

    def attempt_failed(self, exc: BaseException) -> None:
        """An overlapped attempt at a batch failed: reported as `settle`'s own attempts are (an
        outage to `health`, a retry counted) before the batch is handled anew."""
        if isinstance(exc, Exception):
            self.health.failed(exc)
            self.retrying(exc, 0.0)

    async def finish(self, chunk: list[Held]) -> None:
        """A batch written: its events acknowledged, and none of them counted any longer as the
        batch being settled (`counted`), so that the next batch's are counted."""
        for h in chunk:
            await self.acknowledge(h.handle)
        self.counted.clear()

    async def acknowledge(self, handle: Any) -> None:
        """A scored event's acknowledgement: Faust's, or its share of a hole read anew."""
        if not isinstance(handle, Refilled):
            self.ack(handle)
            return
        handle.left -= 1
        if handle.left == 0:
            await self.mark_read(handle.hole)

    async def find_tails(self) -> bool:
        """Read anew the tails of partitions that stopped delivering short of their end
        (`TAIL_HOLE_S`), with no backlog waiting in the stream's buffer for as long (`Intake`):
        after a seek the fetcher can skip a partition's last records, which no later record then
        shows. Not while a dependency is down, nor for as long after (nothing is
        taken in then: the fetched records wait in Faust's buffer), nor while the group rebalances
        (Faust delivers nothing while it recovers the table). The records are held for
        event-time order like delivered ones: scored as read, they would come behind the other
        partitions' later events, which went on without them. Whether any tail was read."""
        now = time.monotonic()
        if self.rebalancing() or self.health.down \
                or now - max(self.health.up_since, self.intake.backlog_at) < TAIL_HOLE_S:
            return False
        ends = {key: end for key in self.assigned()
                if (end := self.highwater(key)) is not None and self.quiet_s(key) >= TAIL_HOLE_S
                and self.short_s(key, end, now) >= TAIL_HOLE_S}
        how: HoleFound = "tail"
        found = self.tails(ends, now, "delivered nothing for %.0f s short of its end")
        if not found:
            found, how = self.stalled_tails(now), "stalled"
        if not found:
            return False
        await self.hold_read_anew(found, how)
        return True  # `drain` releases what they let pass

    def short_s(self, key: Partition, end: int, now: float) -> float:
        """Seconds `key` has been known short of its end at the same next offset: the fetch that
        tells a partition's new end brings its records, on their way to the stream then."""
        due = self.continuity.next_offset(key)
        if due is None or due >= end:
            self.short.pop(key, None)
            return 0.0
        seen = self.short.get(key)
        if seen is None or seen[0] != due:
            self.short[key] = (due, now)
            return 0.0
        return now - seen[1]

    def stalled_tails(self, now: float) -> list[Hole]:
        """The tails of partitions the fetcher stopped fetching (`Stalls`): its end for them says
        nothing is missing. The broker is asked beside the scorer, which goes on meanwhile; its
        answer is read at a later call. An asking that fails is tried again later, what the one
        before found kept."""
        stalls = self.stalls
        if stalls.due(now):
            quiet = list(self.quiet_offsets())
            stalls.asking = asyncio.ensure_future(asyncio.wait_for(self.refetcher.ends(quiet), ENDS_TIMEOUT_S))
            return []
        if stalls.asking is None or not stalls.asking.done():
            return []
        ends, stalls.asking = answer(stalls.asking), None
        stalled = stalls.found(ends, {} if ends is None else self.quiet_offsets(), now)
        if ends is None or not stalled:
            return []
        return self.tails({key: ends[key] for key in stalled}, now,
                          "fetched nothing for %.0f s short of the end the broker gives")

    def quiet_offsets(self) -> dict[Partition, int]:
        """The offset each partition quiet for `TAIL_HOLE_S` delivers next, where known."""
        return {key: due for key in self.assigned()
                if self.quiet_s(key) >= TAIL_HOLE_S and (due := self.continuity.next_offset(key)) is not None}

    def tails(self, ends: dict[Partition, int], now: float, why: str) -> list[Hole]:
        """The tails up to `ends` of the partitions read short of them, each said in the log with
        `why` (its `%.0f` the seconds quiet) and counted as delivering now."""
        found = []
        for key, end in ends.items():
            hole = self.continuity.tail(key, end, most=TAIL_HOLE_MAX)
            if hole is not None:
                log.warning("%s:%d %s: re-reading offsets %d-%d",
                            hole.topic, hole.partition, why % TAIL_HOLE_S, hole.start, hole.end - 1)
                found.append(hole)
                self.delivered[key] = now
        return found

    async def hold_read_anew(self, found: list[Hole], how: HoleFound) -> None:
        """Read the records of `found` (offset holes and tails, counted as found `how`) from the
        broker and hold them for event-time order in their place among their partitions' records:
        scored at once, they would come behind later events, and behind a later offset of their
        own partition an account's state skips them as replays. Each hole is marked read once its
        records are scored. Nothing delivered is taken in meanwhile, nor released before them
        (`release`)."""
        epoch = self.continuity.epoch
        refilled: list[Incoming] = []

        async def refill() -> None:
            refilled[:] = await self.refill(found, how)

        async with self.refilling:
            await replace(self.retrier, needs=(BROKER,)).until_done(refill)
            if self.continuity.epoch != epoch:
                return  # sought meanwhile: delivered again from the new positions
            await self.index_items(refilled)
            marks = [Refilled(h, 0) for h in found]
            at = time.monotonic()
            for item in refilled:
                mark = next(m for m in marks if (m.hole.topic, m.hole.partition) == (item.topic, item.partition)
                            and m.hole.start <= item.offset < m.hole.end)
                mark.left += 1
                key = (item.topic, item.partition)
                self.reorder.insert(item.topic, item.partition, event_time(item.value, self.reorder.newest(key)),
                                    item, mark, at)
            for mark in marks:
                if mark.left == 0:  # nothing there (deleted by retention): read
                    await self.mark_read(mark.hole)

    def next_tick(self) -> float:
        """Seconds until the clock passes the earliest held event (`tick_s` at most)."""
        wake = self.reorder.wake_ms()
        if wake is None:
            return self.tick_s
        delay = wake / 1000 - time.time()
        return min(delay, self.tick_s) if delay > 0 else self.tick_s

    def resync(self) -> None:
        """After a seek (an assignment) held events are delivered again: drop them."""
        if self.reorder.epoch != self.continuity.epoch:
            self.reorder.clear()
            self.ready.clear()  # not acknowledged either: delivered again from the sought positions
            self.room.set()  # the intake may wait for room in `ready`
            self.holes.clear()  # found again against the new positions
            self.indexed.clear()  # indexed again as they are delivered again
            self.read.clear()
            self.reorder.epoch = self.continuity.epoch
            self.reorder.since = time.monotonic()

    def idle(self, key: Partition) -> bool:
        """Whether `key` was read up to its end (as the broker last told its end). A partition
        whose end the consumer has not learnt `UNKNOWN_END_S` after the last seek (not fetched:
        paused, or its fetches failing) is taken as read, so it cannot hold the others for ever.
        One read short of a known end is not: its records are read or, if it delivers nothing
        for as long, its tail is read anew (`find_tails`; an end the broker reported before
        records it skipped or compacted is then read to). Taken as read, it would let the other
        partitions' later events be applied before its own."""
        end, next_offset = self.highwater(key), self.continuity.next_offset(key)
        if end is not None and next_offset is not None:
            return next_offset >= end
        return self.quiet_s(key) > UNKNOWN_END_S

    def quiet_s(self, key: Partition) -> float:
        """Seconds since `key` last delivered a record, or since the last seek if later."""
        return time.monotonic() - max(self.reorder.since, self.delivered.get(key, 0.0))

    def at_end(self, key: Partition) -> bool:
        """Whether `key` was read up to the end the broker last gave."""
        end, next_offset = self.highwater(key), self.continuity.next_offset(key)
        return end is not None and next_offset is not None and next_offset >= end

    def floor_ms(self) -> int:
        """The clock the floors are found at: the wall clock after a pause only at the stream's end."""
        ended = all(self.at_end(key) for key in self.assigned() if key[0] not in self.reorder.followers)
        return self.reorder.now_ms(local=False, ended=ended)

    def gate_wait(self) -> GateWait:
        """How long a proposal waits for the other partition numbers' letters. One taken in
        `gate_max_s` ago passes once the numbers holding it have floors that stood still as long
        (a worker gone), while this worker was up and its partitions settled; one taken in
        `GATE_MAX_TIMES` as long ago passes whatever holds it (a worker far behind, its floors
        still rising). None passes through this worker's outage, and within `gate_max_s` after it
        or after a seek only the latter do: the other numbers' floors stood still then because
        everything did, and passed early a proposal would miss their letters. The bound holds
        however often the group rebalances or a dependency flaps."""
        now = time.monotonic()
        if self.health.down:
            return GateWait(now)
        bound = now - GATE_MAX_TIMES * self.gate_max_s
        settled = now - max(self.health.up_since, self.reorder.since) >= self.gate_max_s
        return GateWait(now, self.gate_max_s, now - self.gate_max_s if settled else bound, bound)

    def release(self) -> None:
        """Pass what the watermark passed on to the scorer; nothing while offset holes found at
        intake wait to be read (`hold_read_anew`)."""
        if self.holes:
            return
        due = self.reorder.due(self.assigned(), self.idle, self.reorder.now_ms(local=True),
                               self.floor_ms(), self.gate_wait())
        self.metrics.reorder_held.set(self.reorder.held)
        now = time.monotonic()
        for h in due.held:
            self.metrics.reorder_hold.observe(now - h.at)
        if due.late:
            self.metrics.reorder_late.inc(due.late)
        if due.forced:
            self.metrics.reorder_forced.labels("held").inc(due.forced)
        if due.gated:
            self.metrics.reorder_forced.labels("gate").inc(due.gated)
        self.ready.extend(due.held)

    async def index_letters(self, events: list[EventT[bytes]]) -> None:
        """Put the delivered proposals in the cover-letter index before they are held. What cannot
        be indexed now is indexed when scored, where a failing event is dead-lettered."""
        if self.floors is not None:
            await self.index_items([self.incoming(e) for e in events if e.message.topic == self.reorder.gated])

    async def index_items(self, items: list[Incoming]) -> None:
        """`index_letters` of records read otherwise too (a hole or tail read anew)."""
        items = [i for i in items if i.topic == self.reorder.gated]
        if self.floors is None or not items:
            return
        read = {item.where: record for item, record in self.scoring.processor.decode_all(items)
                if isinstance(record, Proposal)}
        if not read:
            return
        self.read.update(read)
        proposals = list(read.values())

        # Sketched here: the scoring processes are busy with the batch being scored, and waiting
        # for them would take in one delivery per batch.
        sketches = {p.event_id: sketch.sketch(p.cover_letter) for p in proposals}

        async def index() -> None:
            await self.letters.index(proposals, sketches)
            self.indexed.update(sketches)

        failure = await self.retrier.attempt(index, self.attempts)
        if failure is not None:
            log.warning("proposals not indexed as read (%r): indexed when scored", failure)

    async def share(self) -> None:
        """Write this worker's floors and read every worker's. Through an outage of Redis the
        floors stay as last read: proposals wait."""
        if self.floors is None:
            return
        own = self.reorder.floors(self.assigned(), self.idle, self.floor_ms())
        try:
            self.reorder.shared(await self.floors.exchange(own), time.monotonic())
        except Exception as exc:
            if self.health.failed(exc) is None:
                raise

    async def settle(self, batch: list[Incoming]) -> None:
        """Handle `batch`: retried through outages, any event it keeps failing on dead-lettered
        (`streams.worker.poison`)."""
        try:
            await self.retrier.settle(batch, self.handle, self.reject, self.attempts)
        finally:
            self.counted.clear()

    async def reject(self, item: Incoming, exc: Exception) -> None:
        await reject_unprocessable(item, exc, self.topics, self.producer, self.metrics, self.retrier,
                                   counted=item.where in self.counted)

    def retrying(self, exc: Exception, delay: float) -> None:
        self.metrics.batch_retries.inc()
        log.error("batch failed, retrying in %.1f s: %r", delay, exc, exc_info=exc)

    async def refill(self, holes: list[Hole], how: HoleFound) -> list[Incoming]:
        """The records of `holes` (found `how`: `riskscorer_offset_holes_total`'s label), read from
        the broker, to be scored before the batch."""
        records = await self.refetcher.fetch(holes)
        log.warning("re-read %d records in %d offset ranges found %s (%s)", len(records), len(holes), how,
                    ", ".join(f"{h.topic}:{h.partition}@{h.start}-{h.end - 1}" for h in holes))
        self.metrics.holes_refilled.labels(how).inc(len(holes))
        self.metrics.records_refetched.inc(len(records))
        return [
            Incoming(kind=self.topics.kind_of[r.topic], topic=r.topic, partition=r.partition, offset=r.offset,
                     key=r.key, value=r.value, timestamp_ms=r.timestamp)
            for r in records
        ]

    async def handle(self, batch: list[Incoming]) -> None:
        """One attempt at a batch: outputs sent and states stored, then it is counted (once)."""
        stage, result = await self.score(batch)
        await self.write(batch, result, stage)

    async def score(self, batch: list[Incoming], given: dict[str, bytes] | None = None) -> tuple[Stages, BatchResult]:
        """Index and score a batch; `given`: states to take instead of the table's (the batch
        before's, not stored yet)."""
        stage = Stages(self.metrics)
        prepared = self.scoring.prepare(batch, self.read)
        states, views = await self._index_and_load(prepared, given or {})  # fills prepared.sketches
        stage.done("index")
        result = await self.scoring.score(batch, prepared, states, views)
        stage.done("score")
        return stage, result

    async def write(self, batch: list[Incoming], result: BatchResult, stage: Stages) -> None:
        """Write a scored batch: Redis, then its outputs, then its states; then count it."""
        # Redis is written before anything is sent: the profiles and escalation records (what
        # reviewers' decisions look up), and the link index's refreshes of days last seen, which
        # `observe` left running. A Redis outage then fails a batch before any output: its retry
        # sends no subject event a second time, which would be scored again as a new record.
        await asyncio.gather(self.profiles.write(result.profiles, result.escalations), self.links.flush())
        # Delivery of every output is confirmed before the state that records it is stored: a
        # batch retried after its states were stored finds only replays.
        out = self.producer()
        await asyncio.gather(*await self._send_outputs(out, result))
        stage.done("send")
        self._count_sent(result)
        self._count_scored(batch, result)  # its outputs are out: scored, even if the store fails
        await self._store(out, result.states)
        stage.done("store")
        count_sent(self.metrics, changelog=len(result.states))
        self.metrics.batch_seconds.observe(time.perf_counter() - stage.started)
        self.metrics.batch_size.observe(len(batch))

    async def _store(self, out: Any, states: dict[str, tuple[int, bytes]]) -> None:
        """The batch's states, retried here through an outage: its outputs are out, and the batch
        handled again would send them again (subject events scored twice downstream). Any other
        failure is the batch's, handled in parts (`streams.worker.poison`)."""
        failure = await self.retrier.attempt(functools.partial(changelog.store_all, self.table, out, states), 1)
        if failure is not None:
            raise failure

    async def _index_and_load(self, prepared: Prepared,
                              given: dict[str, bytes]) -> tuple[dict[str, bytes | None], dict[str, View]]:
        """The indexes are updated with every account event and proposal before any is scored (a
        replayed event writes the same documents), so each view includes the batch's own links
        and letters (proposals put in the cover-letter index as they were read are only looked up).
        The scoring processes sketch the other cover letters while the link index is updated, and
        the states are loaded while Redis runs the link index's scripts."""
        known = prepared.sketches
        known.update((p.event_id, sk) for p in prepared.proposals if (sk := self.indexed.pop(p.event_id, None)))
        fresh = [p for p in prepared.proposals if p.event_id not in known]
        indexing = asyncio.gather(self.links.observe(prepared.account_events), self.scoring.sketches(fresh))
        await asyncio.sleep(0)  # both start: up to their first wait for Redis or the children
        try:
            states = {account: given[account] if account in given else tables.load(self.table, account)
                      for account in prepared.accounts}
        except BaseException:
            indexing.cancel()  # the retry starts both again; none of their replies is left pending
            with contextlib.suppress(BaseException):
                await indexing
            raise
        linked, sketches = await indexing
        letters = await self.letters.observe(fresh, sketches)
        letters.update(await self.letters.view([p for p in prepared.proposals if p.event_id in known], known))
        return states, {**linked, **letters}

    async def _send_outputs(self, out: Any, result: BatchResult) -> list[Any]:
        """Escalations first: reviewers wait for them, and the producer sends in this order. Each
        record goes to the partition of its key, as `send` would put it, in record batches."""
        t = self.topics
        sends = await send_keyed(out, t.escalations.get_topic_name(),
                                 [(e.account_id.encode(), orjson.dumps(e.to_dict())) for e in result.escalations])
        sends += await send_keyed(out, t.dead_letters.get_topic_name(), result.dead_letters)
        sends += await send_keyed(out, t.subjects.get_topic_name(),
                                  [(f.subject_id.encode(), subjects.encode(f)) for f in result.forwards])
        sends += await send_keyed(out, t.shadow.get_topic_name(),
                                  [(account.encode(), shadow_bytes(account, sig)) for account, sig in result.shadow])
        return sends

    def _count_sent(self, result: BatchResult) -> None:
        """The records an attempt sent, each time it sends them (a retry sends the same ids again)."""
        count_sent(self.metrics, deadletter=len(result.dead_letters), subjects=len(result.forwards),
                   shadow=len(result.shadow), escalations=len(result.escalations))

    def _count_scored(self, batch: list[Incoming], result: BatchResult) -> None:
        """A batch's events and what they found, once: the retry of an attempt that sent its
        outputs (or of a part of its batch) counts nothing again."""
        wheres = [item.where for item in batch]
        if not self.counted.isdisjoint(wheres):
            return
        self.counted.update(wheres)
        record_metrics(self.metrics, result)
        now = time.time()
        for item in batch:
            self.metrics.latency.observe(max(0.0, now - item.timestamp_ms / 1000))
