"""Outputs go to the partitions `send` would pick for their keys, as record batches, in order."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from streams.faust_fixes.producer import send_batches, send_keyed


class Batch:
    def __init__(self, size: int) -> None:
        self.size, self.records = size, []

    def append(self, *, key: bytes | None, value: bytes, timestamp: Any) -> Any:
        if len(self.records) >= self.size:
            return None
        self.records.append((key, value))
        return object()


class Producer:
    """What the helpers use of aiokafka's producer: metadata, its partitioner, record batches."""

    def __init__(self, batch_size: int = 2) -> None:
        self.batch_size = batch_size
        self.sent: list[tuple[str, int, list]] = []
        self.waited: list[str] = []
        self.client = self

    async def _wait_on_metadata(self, topic: str) -> None:
        self.waited.append(topic)

    def _partition(self, topic: str, partition: Any, key: Any, value: Any, key_bytes: Any, value_bytes: Any) -> int:
        assert partition is None and key == key_bytes and value == value_bytes
        return 0 if key is None else len(key) % 3

    def create_batch(self) -> Batch:
        return Batch(self.batch_size)

    async def send_batch(self, batch: Batch, topic: str, *, partition: int) -> str:
        self.sent.append((topic, partition, batch.records))
        return f"delivery {len(self.sent)}"


def test_records_go_to_their_keys_partitions_in_batches_in_order():
    out = Producer()
    records = [(b"a", b"1"), (b"bb", b"2"), (b"c", b"3"), (b"d", b"4"), (b"eee", b"5"), (None, b"6")]
    deliveries = asyncio.run(send_keyed(out, "t", records))
    assert out.waited == ["t"]
    assert out.sent == [
        ("t", 1, [(b"a", b"1"), (b"c", b"3")]), ("t", 1, [(b"d", b"4")]),
        ("t", 2, [(b"bb", b"2")]),
        ("t", 0, [(b"eee", b"5"), (None, b"6")]),
    ]
    assert deliveries == ["delivery 1", "delivery 2", "delivery 3", "delivery 4"]


def test_nothing_to_send_sends_nothing():
    out = Producer()
    assert asyncio.run(send_keyed(out, "t", [])) == []
    assert out.sent == [] and out.waited == []


def test_a_record_that_fits_no_batch_is_refused():
    out = Producer(batch_size=0)
    with pytest.raises(ValueError, match="does not fit"):
        asyncio.run(send_batches(out, "t", 0, [(b"k", b"v")]))
