"""A batch's states written to the table and its changelog directly, as record batches.

Works around: `table[key] = value` queues each record in Faust's producer buffer, and a consumer
commit does not wait for that buffer to drain: a worker killed then has committed offsets past
states that never reached the changelog. `store_all` sends the changelog records itself and,
once they are delivered, sets the table's own dict (`table.data`); the agent acknowledges the
batch's events after that. Records go out as one record batch per partition (more when the
producer's batch size needs them): a `send` per record costs ~10 us each in the producer's
per-message path. Partitions are explicit: the batch body runs outside any current event, where
Faust's table would raise "Cannot modify table key from outside of stream iteration".

Still needed? While Faust's `Table.__setitem__` sends its changelog record through the producer
buffer with no way to await it before the commit, yes. `tests/integration/test_replay.py` kills
workers mid-stream and compares every state with an undisturbed run's: the check of any other
way to write states.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiokafka import AIOKafkaProducer
from faust.types import TableT

from streams.faust_fixes.producer import send_batches


def changelog_name(table: TableT[bytes, bytes | None]) -> str:
    return table.changelog_topic.get_topic_name()


async def store_all(
    table: TableT[bytes, bytes | None], out: AIOKafkaProducer, states: dict[str, tuple[int, bytes]]
) -> None:
    """Send states' changelog records to their accounts' partitions, then, once every delivery is
    confirmed, write them to the table. Written before, a batch whose deliveries failed would be
    retried on states that record its events: found replayed, they would give no states to
    send again, and the changelog would never record them."""
    topic = changelog_name(table)
    by_partition: dict[int, list[tuple[bytes, bytes]]] = {}
    for account, (partition, value) in states.items():
        by_partition.setdefault(partition, []).append((account.encode(), value))
    deliveries: list[asyncio.Future[Any]] = []
    for partition, records in by_partition.items():
        deliveries += await send_batches(out, topic, partition, records)
    await asyncio.gather(*deliveries)
    for records in by_partition.values():
        for key, value in records:
            table.data[key] = value
