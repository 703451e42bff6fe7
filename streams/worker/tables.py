"""The per-account state table: bytes values, changelog-backed, partitioned like the inputs."""

from __future__ import annotations

import asyncio
from typing import Any

import faust
from aiokafka import AIOKafkaProducer
from faust.types import TableT

from streams.worker.settings import Settings


def define(app: faust.App, settings: Settings) -> TableT[bytes, bytes | None]:
    return app.Table(
        "account_state",
        key_type=bytes,
        value_type=bytes,
        partitions=settings.partitions,
        default=None,
    )


def load(table: TableT[bytes, bytes | None], account: str) -> bytes | None:
    value: bytes | None = table.get(account.encode())
    return value


def changelog_name(table: TableT[bytes, bytes | None]) -> str:
    return table.changelog_topic.get_topic_name()


async def store_all(
    table: TableT[bytes, bytes | None], out: AIOKafkaProducer, states: dict[str, tuple[int, bytes]]
) -> list[asyncio.Future[Any]]:
    """Write states, and send their changelog records to their accounts' partitions; return the
    deliveries to await before the batch's events are acknowledged.

    `table[key] = value` would queue each record in Faust's producer buffer, and a consumer
    commit does not wait for that buffer to drain: a worker killed then has committed offsets
    past states that never reached the changelog. Records go out as one record batch per
    partition (more when the producer's batch size needs them): a `send` per record costs ~10 us
    each in the producer's per-message path. Partitions are explicit: the batch body runs
    outside any current event."""
    topic = changelog_name(table)
    by_partition: dict[int, list[tuple[bytes, bytes]]] = {}
    for account, (partition, value) in states.items():
        key = account.encode()
        table.data[key] = value
        by_partition.setdefault(partition, []).append((key, value))
    deliveries: list[asyncio.Future[Any]] = []
    for partition, records in by_partition.items():
        batch = out.create_batch()
        for key, value in records:
            if batch.append(key=key, value=value, timestamp=None) is None:  # full: send it, start another
                deliveries.append(await out.send_batch(batch, topic, partition=partition))
                batch = out.create_batch()
                if batch.append(key=key, value=value, timestamp=None) is None:
                    raise ValueError(f"a state of {len(value)} bytes does not fit a record batch")
        deliveries.append(await out.send_batch(batch, topic, partition=partition))
    return deliveries
