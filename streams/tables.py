"""The per-account state table: bytes values, changelog-backed, partitioned like the inputs."""

from __future__ import annotations

import faust
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


def store(table: TableT[bytes, bytes | None], partition: int, account: str, value: bytes) -> None:
    """Write a state and its changelog record to the account's partition.

    Writes happen in the batch body after `take_events`, where Faust has no
    current event to take the partition from, so it is passed explicitly.
    """
    key = account.encode()
    table.data[key] = value
    table.send_changelog(partition, key, value)
