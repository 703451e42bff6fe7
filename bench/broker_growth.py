"""The embedded broker's CPU under a steady produce (and consume) rate, window by window, without the scorer.

    python bench/broker_growth.py [--rate EVENTS_PER_S] [--seconds S] [--linger-ms MS] [--no-consumer]

One aiokafka producer writes ~300-byte records at `--rate` to a 4-partition topic (its linger
decides how many records each record batch holds) while one consumer reads them as they come.
Prints, every 5 s, the records sent and read and the broker process's CPU (cores, from /proc)
in that window: whether what the broker spends per record grows with what its partitions hold.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.throughput import process_cpu  # noqa: E402
from streams.commands import embedded  # noqa: E402

TOPIC, PARTITIONS, VALUE = "growth", 4, b"x" * 300
WINDOW_S = 5.0


async def drain(consumer: AIOKafkaConsumer, read: list[int]) -> None:
    while True:
        got = await consumer.getmany(timeout_ms=100)
        read[0] += sum(map(len, got.values()))


async def run(hosts: str, broker_pid: int, args: argparse.Namespace) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=hosts)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(TOPIC, PARTITIONS, 1)])
    finally:
        await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=hosts, linger_ms=args.linger_ms, acks="all")
    await producer.start()
    read = [0]
    reader = None
    if not args.no_consumer:
        consumer = AIOKafkaConsumer(TOPIC, bootstrap_servers=hosts, group_id="growth", fetch_max_wait_ms=20,
                                    auto_offset_reset="earliest")
        await consumer.start()
        reader = asyncio.ensure_future(drain(consumer, read))
    try:
        started = last = time.monotonic()
        cpu_last, sent = process_cpu(broker_pid), 0
        while time.monotonic() - started < args.seconds:
            due = int((time.monotonic() - started) * args.rate)
            while sent < due:
                await producer.send(TOPIC, VALUE, key=str(sent % 1000).encode())
                sent += 1
            await asyncio.sleep(0.005)
            now = time.monotonic()
            if now - last >= WINDOW_S:
                cpu = process_cpu(broker_pid)
                print(f"{now - started:5.1f} s: sent {sent:,}, read {read[0]:,}; "  # noqa: T201
                      f"broker {(cpu - cpu_last) / (now - last):.2f} cores", flush=True)
                last, cpu_last = now, cpu
    finally:
        if reader is not None:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
            await consumer.stop()
        await producer.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=2400.0, help="records produced a second")
    parser.add_argument("--seconds", type=float, default=35.0)
    parser.add_argument("--linger-ms", type=int, default=1, help="the producer's linger")
    parser.add_argument("--no-consumer", action="store_true", help="produce only")
    args = parser.parse_args()
    services = embedded.start(True, False)
    try:
        asyncio.run(run(f"127.0.0.1:{services.broker.port}", services.broker.proc.pid, args))  # type: ignore[union-attr]
    finally:
        services.stop()


if __name__ == "__main__":
    main()
