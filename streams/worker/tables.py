"""The per-account state table: bytes values, changelog-backed, partitioned like the inputs.

A batch's states are written by `streams.faust_fixes.changelog.store_all`, not through `table[key]`.
"""

from __future__ import annotations

import faust
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
