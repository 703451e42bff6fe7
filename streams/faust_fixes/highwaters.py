"""Table recovery reads each changelog partition up to its true end, probed with a fetch.

Works around: table recovery reads a changelog partition up to the end offset that
ListOffsets(latest) reports. The tansu broker reports the base offset of the partition's last
record batch plus one, not the end: a worker taking over a partition stopped its recovery up to
a whole batch of states short, then applied already-committed events on top of stale states
(those events were lost), and a standby promoted to active overwrote its newer states with older
ones. `probe_highwaters` checks each reported end with one fetch from the offset before it; the
fetch response's high watermark is the true end. On a broker that reports ends correctly the
probe returns the same numbers, one fetch per changelog partition later.

Still needed? `tests/integration/test_highwaters.py` compares the reported ends with the fetched
ones on the broker the tests run against: while a broker in use reports short ends, yes. On
Apache Kafka alone it is a no-op and may go.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

import aiokafka
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP

_original_highwaters = faust_aiokafka.AIOKafkaConsumerThread._highwaters

PROBE_TIMEOUT_S = 10.0


async def fetched_ends(bootstrap: list[str], reported: Mapping[TP, int], **client: Any) -> dict[TP, int]:
    """The end offset of each partition as a fetch from just before `reported` sees it."""
    if not any(reported.values()):
        return dict(reported)
    consumer = probe_consumer(bootstrap, **client)
    try:
        await consumer.start()
        return await probed_ends(consumer, reported)
    finally:
        await consumer.stop()


def probe_consumer(bootstrap: list[str], **client: Any) -> aiokafka.AIOKafkaConsumer:
    """A consumer outside any group, fit for `probed_ends` (not started)."""
    return aiokafka.AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, fetch_max_wait_ms=100, **client
    )


async def probed_ends(consumer: aiokafka.AIOKafkaConsumer, reported: Mapping[TP, int]) -> dict[TP, int]:
    """`fetched_ends`, with a started `probe_consumer`: it is assigned the partitions probed."""
    probe = [tp for tp, end in reported.items() if end]
    ends = dict(reported)
    if not probe:
        return ends
    parts = {tp: aiokafka.TopicPartition(tp.topic, tp.partition) for tp in probe}
    consumer.assign(list(parts.values()))
    for tp, part in parts.items():
        consumer.seek(part, reported[tp] - 1)
    deadline = time.monotonic() + PROBE_TIMEOUT_S
    while any(consumer.highwater(p) is None for p in parts.values()) and time.monotonic() < deadline:
        await consumer.getmany(timeout_ms=200)
    for tp, part in parts.items():
        ends[tp] = max(reported[tp], consumer.highwater(part) or 0)
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
