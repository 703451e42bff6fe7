"""How long the embedded broker keeps a waiting fetch after records come, by fetch wait.

    python bench/fetch_wait.py [--waits 10,100,500] [--records 300]

Produces one record every 10 ms to a fresh topic and reads them with an aiokafka consumer
whose `fetch_max_wait_ms` is each wait in turn; prints the time from each record's send to
its read (p50, p90, p99). Kafka answers a waiting fetch as soon as records come; a broker
that answers only when it next looks adds up to about half the wait to every record, which
sets how low `RISKSCORER_FETCH_WAIT_MS` should be on it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from streams.commands import embedded  # noqa: E402


async def measure(hosts: str, topic: str, wait_ms: int, records: int) -> list[float]:
    admin = AIOKafkaAdminClient(bootstrap_servers=hosts)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, 4, 1)])
    finally:
        await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=hosts, linger_ms=0, acks="all")
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=hosts, group_id=None, auto_offset_reset="latest",
                                fetch_max_wait_ms=wait_ms)
    await producer.start()
    await consumer.start()
    try:
        await consumer.getmany(timeout_ms=500)  # positioned at the end before the first send
        latencies: list[float] = []

        async def read() -> None:
            while len(latencies) < records:
                for batch in (await consumer.getmany(timeout_ms=1000)).values():
                    now = time.time()
                    latencies.extend(now - float(r.value) for r in batch)

        reading = asyncio.create_task(read())
        for i in range(records):
            await producer.send(topic, str(time.time()).encode(), key=str(i).encode())
            await asyncio.sleep(0.01)
        await asyncio.wait_for(reading, 30)
        return latencies
    finally:
        await producer.stop()
        await consumer.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--waits", default="10,100,500", help="fetch waits to try, ms")
    parser.add_argument("--records", type=int, default=300)
    args = parser.parse_args()
    services = embedded.start(True, False)
    try:
        hosts = f"127.0.0.1:{services.broker.port}"  # type: ignore[union-attr]
        for i, wait in enumerate(int(w) for w in args.waits.split(",")):
            ms = sorted(x * 1000 for x in asyncio.run(measure(hosts, f"fetch-wait-{i}", wait, args.records)))
            p = [ms[min(len(ms) - 1, int(q * len(ms)))] for q in (0.5, 0.9, 0.99)]
            print(f"fetch wait {wait} ms: send to read p50 {p[0]:.1f} ms, p90 {p[1]:.1f} ms, p99 {p[2]:.1f} ms")
    finally:
        services.stop()


if __name__ == "__main__":
    main()
