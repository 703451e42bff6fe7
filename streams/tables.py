"""The per-account state table: bytes values, changelog-backed, partitioned like the inputs."""

from __future__ import annotations

import asyncio
from typing import Any

import faust
from aiokafka import AIOKafkaProducer
from faust.types import TableT

from streams.settings import Settings


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


async def store(
    table: TableT[bytes, bytes | None], out: AIOKafkaProducer, partition: int, account: str, value: bytes
) -> asyncio.Future[Any]:
    """Write a state, and send its changelog record to the account's partition; return
    the delivery to await before the batch's events are acknowledged.

    `table[key] = value` would queue the record in Faust's producer buffer, and a
    consumer commit does not wait for that buffer to drain: a worker killed then
    has committed offsets past states that never reached the changelog. The
    partition is passed explicitly: the batch body runs outside any current event.
    """
    key = account.encode()
    table.data[key] = value
    fut: asyncio.Future[Any] = await out.send(changelog_name(table), value, key=key, partition=partition)
    return fut
