"""The scoring agent: batches of raw events in, escalations and dead letters out."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import faust
import orjson
from aiokafka import AIOKafkaProducer
from faust.types import EventT, TableT

from scoring.signals import Signal
from scoring.step import View
from streams import tables
from streams.continuity import Continuity, Hole, Refetcher, merged
from streams.letters import RedisLetterIndex
from streams.links import LinkIndex
from streams.metrics import Metrics
from streams.pipeline import Incoming, record_metrics
from streams.profiles import ProfileStore
from streams.schemas import subjects
from streams.scoring_process import Scoring
from streams.topics import Topics

log = logging.getLogger(__name__)


def unacknowledged(events: list[EventT[bytes]]) -> None:
    """Keep a batch that did not finish from being committed.

    `take_events` acknowledges the events it yielded when its generator closes,
    also when the batch body was cancelled (a worker stopping mid-batch): their
    offsets would be committed although their outputs or states may be missing.
    A message already marked acknowledged is skipped by Faust's consumer
    bookkeeping, so its offset is never committed and the batch is replayed by
    whichever worker takes the partition (the offsets in the state make that
    replay exact).
    """
    for event in events:
        event.message.acked = True


def incoming(event: EventT[bytes], kind: str) -> Incoming:
    """A Faust event as the pipeline takes it: raw bytes with their source position."""
    msg = event.message
    return Incoming(kind=kind, topic=msg.topic, partition=msg.partition, offset=msg.offset,
                    key=msg.key, value=msg.value, timestamp_ms=int(msg.timestamp * 1000))


RETRY_FIRST_S = 0.5
RETRY_MAX_S = 30.0


async def until_done(
    action: Callable[[], Awaitable[None]],
    on_retry: Callable[[Exception, float], None],
    first_s: float = RETRY_FIRST_S,
    max_s: float = RETRY_MAX_S,
) -> None:
    """Run `action` until it succeeds, backing off between attempts.

    A batch that failed must not be skipped: Faust would commit the offsets of
    the batches after it, and the failed one would never be seen again. Retrying
    is safe because a batch's effects are idempotent (the offsets in the states,
    deterministic escalation ids). Cancellation (a stopping worker) is not an
    `Exception` and ends the attempts.
    """
    delay = first_s
    while True:
        try:
            await action()
            return
        except Exception as exc:  # noqa: BLE001 - any failure is retried; see above
            on_retry(exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_s)


def shadow_bytes(account: str, sig: Signal) -> bytes:
    return orjson.dumps({"account_id": account, **sig.to_dict()})


@dataclass(frozen=True, slots=True)
class ScoreAgent:
    topics: Topics
    table: TableT[bytes, bytes | None]
    scoring: Scoring
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

    def incoming(self, event: EventT[bytes]) -> Incoming:
        return incoming(event, self.topics.kind_of[event.message.topic])

    async def run(self, stream: faust.StreamT[bytes]) -> AsyncIterator[None]:
        batches = stream.take_events(  # type: ignore[attr-defined]
            self.batch_max, within=self.batch_window_s
        )
        self.scoring.start()  # the scoring processes import while the first batch gathers
        try:
            async for events in batches:
                batch = [self.incoming(e) for e in events]
                holes = self.continuity.holes((i.topic, i.partition, i.offset) for i in batch)
                try:
                    await until_done(functools.partial(self.handle, batch, holes), self.retrying)
                except BaseException:
                    unacknowledged(events)
                    raise
                yield None
        finally:
            self.scoring.close()

    def retrying(self, exc: Exception, delay: float) -> None:
        self.metrics.batch_retries.inc()
        log.error("batch failed, retrying in %.1f s: %r", delay, exc, exc_info=exc)

    async def refill(self, holes: list[Hole]) -> list[Incoming]:
        """The records of `holes`, read from the broker, to be scored before the batch."""
        records = await self.refetcher.fetch(holes)
        log.warning("re-read %d records in %d offset holes (%s) that Faust's fetcher skipped", len(records),
                    len(holes), ", ".join(f"{h.topic}:{h.partition}@{h.start}-{h.end - 1}" for h in holes))
        self.metrics.holes_refilled.inc(len(holes))
        self.metrics.records_refetched.inc(len(records))
        return [
            Incoming(kind=self.topics.kind_of[r.topic], topic=r.topic, partition=r.partition, offset=r.offset,
                     key=r.key, value=r.value, timestamp_ms=r.timestamp)
            for r in records
        ]

    async def handle(self, batch: list[Incoming], holes: list[Hole]) -> None:
        started = time.perf_counter()
        if holes:
            batch = merged(await self.refill(holes), batch)
        prepared = self.scoring.prepare(batch)
        # The indexes are updated with every account event and proposal before any is scored (a
        # replayed event writes the same documents), so each view includes the batch's own links
        # and letters. The scoring processes sketch the cover letters while the link index is
        # updated, and the states are loaded while Redis runs the link index's scripts.
        indexing = asyncio.gather(self.links.observe(prepared.account_events),
                                  self.scoring.sketches(prepared.proposals))
        await asyncio.sleep(0)  # both start: up to their first wait for Redis or the children
        try:
            states = {account: tables.load(self.table, account) for account in prepared.accounts}
        except BaseException:
            indexing.cancel()  # the retry starts both again; none of their replies is left pending
            with contextlib.suppress(BaseException):
                await indexing
            raise
        linked, sketches = await indexing
        letters = await self.letters.observe(prepared.proposals, sketches)
        views: dict[str, View] = {**linked, **letters}
        result = await self.scoring.score(batch, prepared, states, views)
        record_metrics(self.metrics, result)
        out, t = self.producer(), self.topics
        sends = [await out.send(t.dead_letters.get_topic_name(), v, key=k) for k, v in result.dead_letters]
        sends += [
            await out.send(t.subjects.get_topic_name(), subjects.encode(f), key=f.subject_id.encode())
            for f in result.forwards
        ]
        sends += [
            await out.send(t.shadow.get_topic_name(), shadow_bytes(account, sig), key=account.encode())
            for account, sig in result.shadow
        ]
        sends += [
            await out.send(t.escalations.get_topic_name(), orjson.dumps(e.to_dict()), key=e.account_id.encode())
            for e in result.escalations
        ]
        # Delivery of every output is confirmed before the state that records it is stored. The
        # profiles and escalation records (what reviewers' decisions look up) are written with
        # the outputs: a batch retried after its states were stored finds only replays. So are the
        # link index's refreshes of days last seen, which `observe` left running.
        await asyncio.gather(*sends, self.profiles.write(result.profiles, result.escalations), self.links.flush())
        for output, n in (("deadletter", len(result.dead_letters)), ("subjects", len(result.forwards)),
                          ("shadow", len(result.shadow)), ("escalations", len(result.escalations))):
            if n:
                self.metrics.records_sent.labels(output).inc(n)
        await asyncio.gather(*await tables.store_all(self.table, out, result.states))
        if result.states:
            self.metrics.records_sent.labels("changelog").inc(len(result.states))
        for hole in holes:
            await self.mark_read(hole)
        now = time.time()
        for item in batch:
            self.metrics.latency.observe(max(0.0, now - item.timestamp_ms / 1000))
        self.metrics.batch_seconds.observe(time.perf_counter() - started)
        self.metrics.batch_size.observe(len(batch))
