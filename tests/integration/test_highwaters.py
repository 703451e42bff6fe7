"""Table recovery's end offsets come from a fetch, which sees every record batch."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from faust.types import TP

from streams.faust_fixes.highwaters import fetched_ends

pytestmark = pytest.mark.integration


async def produce_batches(broker: str, topic: str, sizes: dict[int, list[int]]) -> None:
    """Per partition, send batches of the given sizes, each batch awaited before the next."""
    admin = AIOKafkaAdminClient(bootstrap_servers=broker)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, 3, 1)])
    finally:
        await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=broker, linger_ms=20)
    await producer.start()
    try:
        for partition, batches in sizes.items():
            for n in batches:
                sent = [await producer.send(topic, b"state", key=b"k%d" % i, partition=partition)
                        for i in range(n)]
                await asyncio.gather(*sent)
    finally:
        await producer.stop()


async def reported_and_fetched(broker: str, topic: str) -> tuple[dict[TP, int], dict[TP, int]]:
    consumer = AIOKafkaConsumer(bootstrap_servers=broker, enable_auto_commit=False)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in range(3)]
        reported = {TP(tp.topic, tp.partition): end for tp, end in (await consumer.end_offsets(tps)).items()}
    finally:
        await consumer.stop()
    return reported, await fetched_ends([broker], reported)


def test_fetched_ends_count_every_record_of_the_last_batch(services):
    topic = f"hw-{uuid.uuid4().hex[:8]}"
    sizes = {0: [1, 10, 3, 1, 7], 1: [25]}  # partition 2 stays empty
    asyncio.run(produce_batches(services.broker_url, topic, sizes))
    reported, fetched = asyncio.run(reported_and_fetched(services.broker_url, topic))
    assert fetched == {TP(topic, 0): 22, TP(topic, 1): 25, TP(topic, 2): 0}
    assert all(reported[tp] <= fetched[tp] for tp in fetched)
