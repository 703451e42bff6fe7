"""The per-account state table: bytes values, changelog-backed, partitioned like the inputs."""

from __future__ import annotations

from collections.abc import Awaitable

import faust
from faust.types import TableT
from faust.types.tuples import RecordMetadata

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


async def store(
    table: TableT[bytes, bytes | None], partition: int, account: str, value: bytes
) -> Awaitable[RecordMetadata]:
    """Write a state, and send its changelog record to the account's partition; return
    the delivery to await before the batch's events are acknowledged.

    `table[key] = value` would queue the record in Faust's producer buffer, and a
    consumer commit does not wait for that buffer to drain: a worker killed then
    has committed offsets past states that never reached the changelog. The
    partition is passed explicitly: the batch body runs outside any current event.
    """
    key = account.encode()
    table.data[key] = value
    return await table.changelog_topic.send(key=key, value=value, partition=partition, force=True)
