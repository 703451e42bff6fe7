"""Workarounds in Faust's aiokafka driver, each named for what it works around.

1. faust-streaming 0.15.3 fixes the worker consumer's fetch wait at 1500 ms.
   The broker holds an empty fetch that long, which sets the end-to-end latency
   floor (p50 ~1.35 s measured) whatever the batch window. `set_fetch_wait`
   replaces the value on the aiokafka consumer Faust creates, before it starts,
   with the `RISKSCORER_FETCH_WAIT_MS` setting. Remove when Faust exposes it.

2. Table recovery reads a changelog partition up to the end offset that
   ListOffsets(latest) reports. The tansu broker reports the base offset of the
   partition's last record batch plus one, not the end: a worker taking over a
   partition stopped its recovery up to a whole batch of states short, then
   applied already-committed events on top of stale states (those events were
   lost), and a standby promoted to active overwrote its newer states with older
   ones. `probe_highwaters` checks each reported end with one fetch from the
   offset before it; the fetch response's high watermark is the true end. On a
   broker that reports ends correctly the probe returns the same numbers.

3. Around an assignment Faust drops records its consumer already fetched (a
   fetched batch is cut short when the flow stops or the generation changes,
   and records of paused partitions are discarded), which moves the consumer
   past them. It then seeks every partition to its committed offset, but
   aiokafka's `seek_to_committed` leaves a partition with no committed offset
   (or offset 0) where it was: a topic's first records (re-keyed subject
   events, in a fresh deployment) were silently skipped. `seek_uncommitted_to_start` seeks
   such stream partitions to their beginning, as `auto_offset_reset=earliest`
   means. Faust/aiokafka behaviour on any broker, not a tansu quirk.

4. A record Faust's fetcher marks as read around an assignment can fail to
   reach a stream, and the next fetch from the committed offset drops it (see
   `streams.faust_fixes.continuity`). The patched `seek_to_committed` of workaround 3 hands
   each stream partition's position after Faust's seek to the committed offsets
   to a callback (the app's `Continuity`), which finds the holes this leaves
   for the agent to re-read; `mark_read` then lets Faust commit past them.

5. At log level warn or above, Faust's worker attaches a terminal spinner that
   turns on every log message, and sets the root logger to DEBUG for it: every
   library's debug call (aiokafka logs one per record sent) then builds a log
   record that is thrown away, ~5% of a busy worker. `no_spinner` keeps the
   root logger at the chosen level.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from typing import Any

import aiokafka
import faust.worker
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP

_original_create = faust_aiokafka.AIOKafkaConsumerThread._create_worker_consumer
_original_highwaters = faust_aiokafka.AIOKafkaConsumerThread._highwaters
_original_seek = faust_aiokafka.AIOKafkaConsumerThread.seek_to_committed

PROBE_TIMEOUT_S = 10.0


def set_fetch_wait(wait_ms: int) -> None:
    def create_worker_consumer(self: Any, transport: Any) -> Any:
        consumer = _original_create(self, transport)
        consumer._fetch_max_wait_ms = wait_ms
        return consumer

    faust_aiokafka.AIOKafkaConsumerThread._create_worker_consumer = create_worker_consumer  # type: ignore[method-assign]


async def fetched_ends(bootstrap: list[str], reported: Mapping[TP, int], **client: Any) -> dict[TP, int]:
    """The end offset of each partition as a fetch from just before `reported` sees it."""
    probe = [tp for tp, end in reported.items() if end]
    ends = {tp: end for tp, end in reported.items()}
    if not probe:
        return ends
    consumer = aiokafka.AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, fetch_max_wait_ms=100, **client
    )
    await consumer.start()
    try:
        parts = {tp: aiokafka.TopicPartition(tp.topic, tp.partition) for tp in probe}
        consumer.assign(list(parts.values()))
        for tp, part in parts.items():
            consumer.seek(part, reported[tp] - 1)
        deadline = time.monotonic() + PROBE_TIMEOUT_S
        while any(consumer.highwater(p) is None for p in parts.values()) and time.monotonic() < deadline:
            await consumer.getmany(timeout_ms=200)
        for tp, part in parts.items():
            ends[tp] = max(reported[tp], consumer.highwater(part) or 0)
    finally:
        await consumer.stop()
    return ends


def probe_highwaters() -> None:
    async def highwaters(self: Any, partitions: list[TP]) -> Mapping[TP, int]:
        reported = await _original_highwaters(self, partitions)
        if self.consumer.in_transaction:
            return reported
        transport, conf = self.transport, self.app.conf
        bootstrap = faust_aiokafka.server_list(transport.url, transport.default_port)
        auth = faust_aiokafka.credentials_to_aiokafka_auth(conf.broker_credentials, conf.ssl_context)
        return await asyncio.wait_for(
            fetched_ends(bootstrap, reported, client_id=conf.broker_client_id, **auth), PROBE_TIMEOUT_S * 2
        )

    faust_aiokafka.AIOKafkaConsumerThread._highwaters = highwaters  # type: ignore[method-assign]


def seek_uncommitted_to_start(on_sought: Callable[[Any, dict[tuple[str, int], int]], None]) -> None:
    """Also calls `on_sought(app, positions)` after each seek with every assigned stream
    partition's position (workaround 4)."""

    async def seek(consumer: aiokafka.AIOKafkaConsumer, streamed: Callable[[str], bool]) -> Mapping[TP, int]:
        committed: Mapping[TP, int] = await consumer.seek_to_committed()
        unset = [tp for tp, offset in committed.items() if not offset and streamed(tp.topic)]
        if unset:
            await consumer.seek_to_beginning(*unset)
        return committed

    async def seek_to_committed(self: Any) -> Mapping[TP, int]:
        if self.app.conf.consumer_auto_offset_reset != "earliest":
            return await _original_seek(self)
        # Stream topics only: changelog partitions are positioned by table recovery.
        streamed = self.app.topics.acks_enabled_for
        committed: Mapping[TP, int] = await self.call_thread(seek, self._ensure_consumer(), streamed)
        on_sought(self.app, {(tp.topic, tp.partition): offset or 0
                             for tp, offset in committed.items() if streamed(tp.topic)})
        return committed

    faust_aiokafka.AIOKafkaConsumerThread.seek_to_committed = seek_to_committed  # type: ignore[method-assign]


async def mark_read(app: Any, topic: str, partition: int, start: int, end: int) -> None:
    """Offsets `start` to `end` (excluded) of a stream partition were processed without Faust's
    fetcher delivering them: Faust's consumer records them as a gap, which it commits through."""
    if end > start:
        await app.consumer._add_gap(TP(topic, partition), start, end - 1)


def no_spinner() -> None:
    def setup_spinner_handler(self: Any, logger: Any, level: int) -> None:
        self.spinner = None

    faust.worker.Worker._setup_spinner_handler = setup_spinner_handler  # type: ignore[method-assign]

