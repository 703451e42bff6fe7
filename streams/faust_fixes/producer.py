"""The aiokafka producer under Faust's, for sending record batches and asking for metadata.

Works around: Faust's producer sends one record at a time through its own buffer (~90 us each,
and a consumer commit does not wait for that buffer to drain), and has no metadata request. The
worker sends its outputs and changelog records as record batches (`send_batch`) on the aiokafka
producer Faust holds, and probes the broker with a metadata request on its connection; Faust
exposes that producer only through the private `_ensure_producer`. Outputs go to the partitions
`send` would pick through the producer's private `_partition`, once its metadata is known
(`client._wait_on_metadata`, as `send` waits).

Still needed? `faust/transport/drivers/aiokafka.py`, `Producer`: while the aiokafka producer is
reachable only through `_ensure_producer` (or `_producer`), yes; if Faust grows a public accessor
or batch sends, use that.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import faust
from aiokafka import AIOKafkaProducer


def aiokafka_producer(app: faust.App) -> AIOKafkaProducer:
    """`app`'s aiokafka producer (raises Faust's `NotReady` before the app's producer started)."""
    producer: AIOKafkaProducer = app.producer._ensure_producer()  # type: ignore[attr-defined]
    return producer


async def broker_metadata(app: faust.App) -> None:
    """A metadata request on the producer's connection: cheap, and answered by any broker."""
    await aiokafka_producer(app).client.fetch_all_metadata()


Record = tuple[bytes | None, bytes]  # key (None: a random partition, as `send` picks it), value


async def send_batches(out: AIOKafkaProducer, topic: str, partition: int,
                       records: Sequence[Record]) -> list[asyncio.Future[Any]]:
    """Send records to one partition as record batches, in order (a new batch when one is full);
    the deliveries."""
    deliveries: list[asyncio.Future[Any]] = []
    batch = out.create_batch()
    for key, value in records:
        if batch.append(key=key, value=value, timestamp=None) is None:  # full: send it, start another
            deliveries.append(await out.send_batch(batch, topic, partition=partition))
            batch = out.create_batch()
            if batch.append(key=key, value=value, timestamp=None) is None:
                raise ValueError(f"a record of {len(value)} bytes does not fit a record batch")
    deliveries.append(await out.send_batch(batch, topic, partition=partition))
    return deliveries


async def send_keyed(out: AIOKafkaProducer, topic: str, records: Sequence[Record]) -> list[asyncio.Future[Any]]:
    """Send keyed records, each to the partition `send` would pick for its key (the producer's
    partitioner over the topic's partitions), as record batches per partition: a `send` per record
    costs ~10 us in the producer's per-message path. The deliveries."""
    if not records:
        return []
    await out.client._wait_on_metadata(topic)
    by_partition: dict[int, list[Record]] = {}
    for key, value in records:
        by_partition.setdefault(out._partition(topic, None, key, value, key, value), []).append((key, value))
    deliveries: list[asyncio.Future[Any]] = []
    for partition, part in by_partition.items():
        deliveries += await send_batches(out, topic, partition, part)
    return deliveries
