"""Holes in a partition's offsets are read straight from the broker, exactly and in order."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from streams.faust_fixes.continuity import Hole, Refetcher
from tests.integration.test_highwaters import produce_batches

pytestmark = pytest.mark.integration


def test_refetch_reads_exactly_the_holes_in_offset_order(services):
    topic = f"rf-{uuid.uuid4().hex[:8]}"
    asyncio.run(produce_batches(services.broker_url, topic, {0: [4, 6, 5], 1: [3], 2: [2]}))
    holes = [Hole(topic, 0, 2, 5), Hole(topic, 0, 9, 12), Hole(topic, 1, 0, 1), Hole(topic, 2, 1, 2)]
    records = asyncio.run(Refetcher([services.broker_url], timeout_s=20).fetch(holes))
    assert [(r.topic, r.partition, r.offset) for r in records] == [
        (topic, 0, 2), (topic, 0, 3), (topic, 0, 4), (topic, 0, 9), (topic, 0, 10), (topic, 0, 11),
        (topic, 1, 0), (topic, 2, 1),
    ]
    assert all(r.value == b"state" for r in records)


def test_refetch_of_nothing_starts_no_client():
    assert asyncio.run(Refetcher(["127.0.0.1:1"]).fetch([])) == []


def test_refetch_of_offsets_past_the_end_times_out_with_the_partition_named(services):
    topic = f"rf-{uuid.uuid4().hex[:8]}"
    asyncio.run(produce_batches(services.broker_url, topic, {0: [2]}))
    with pytest.raises(TimeoutError, match=f"{topic}:0"):
        asyncio.run(Refetcher([services.broker_url], timeout_s=2).fetch([Hole(topic, 0, 0, 5)]))


def test_the_broker_gives_each_partitions_end_when_asked_directly(services):
    topic = f"rf-{uuid.uuid4().hex[:8]}"
    asyncio.run(produce_batches(services.broker_url, topic, {0: [4, 6, 5], 1: [3], 2: [2]}))
    ends = asyncio.run(Refetcher([services.broker_url], timeout_s=20).ends([(topic, 0), (topic, 2)]))
    assert ends == {(topic, 0): 15, (topic, 2): 2}
    assert asyncio.run(Refetcher(["127.0.0.1:1"]).ends([])) == {}
