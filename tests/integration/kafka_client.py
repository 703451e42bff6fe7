"""An independent Kafka client (confluent-kafka / librdkafka) to produce and read back."""

from __future__ import annotations

import time
import uuid

import orjson
from confluent_kafka import OFFSET_BEGINNING, Consumer, Producer, TopicPartition


def produce(broker: str, items: list[tuple[str, bytes | None, bytes]],
            **config: object) -> dict[tuple[str, int], int]:
    """Send (topic, key, value) items in order, wait for every delivery, return the last
    offset written to each (topic, partition). `config`: more librdkafka producer settings."""
    # Kafka's default (Java) partitioner, as the scorer's own forwards use: co-partitioned by account.
    producer = Producer({"bootstrap.servers": broker, "linger.ms": 5, "enable.idempotence": False,
                         "partitioner": "murmur2_random", **config})
    errors: list[str] = []
    last: dict[tuple[str, int], int] = {}

    def on_delivery(err, msg):  # noqa: ANN001
        if err is not None:
            errors.append(str(err))
            return
        tp = (msg.topic(), msg.partition())
        last[tp] = max(last.get(tp, -1), msg.offset())

    for topic, key, value in items:
        producer.produce(topic, value=value, key=key, on_delivery=on_delivery)
        producer.poll(0)
    assert producer.flush(30) == 0, "undelivered messages"
    assert not errors, errors
    return last


def read_all(broker: str, topic: str, expected: int, timeout: float = 30.0, settle: float = 1.5,
             **config: object) -> list[dict]:
    """Read `topic` from the start until `expected` records arrived and `settle` seconds pass quiet.
    `config`: more librdkafka consumer settings."""
    consumer = Consumer(
        {
            "bootstrap.servers": broker,
            "group.id": f"reader-{uuid.uuid4().hex}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            **config,
        }
    )
    # Assigned, not subscribed: reading needs no consumer-group join.
    partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
    consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
    out: list[dict] = []
    deadline = time.monotonic() + timeout
    quiet_since = None
    try:
        while time.monotonic() < deadline:
            msg = consumer.poll(0.2)
            if msg is None or msg.error():
                if len(out) >= expected:
                    quiet_since = quiet_since or time.monotonic()
                    if time.monotonic() - quiet_since >= settle:
                        break
                continue
            quiet_since = None
            out.append(orjson.loads(msg.value()))
    finally:
        consumer.close()
    return out
