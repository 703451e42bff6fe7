"""Event-to-escalation latency of one worker on the embedded broker, at a steady offered rate.

    python bench/latency.py [--accounts N] [--days D] [--rate EVENTS_PER_S] [--partitions P] [--live-ts]
                            [--linger-ms MS] [--set RISKSCORER_NAME=VALUE ...]

Sends the simulator's mixed stream at `--rate` events/s (as a live marketplace would, not a
backlog) to one `riskscorer worker` (uvloop, default settings otherwise) and reads the
escalations topic meanwhile. An escalation's latency is the broker timestamp of the escalation
record (set when the worker sends it) minus the time its triggering event was handed to the
producer; escalations triggered by events the scorer derived itself (linked-account notices)
have no produce time and are counted apart. Prints p50, p90, p99 and max; the same from the
produce time to when this bench's consumer read the escalation (an upper bound of its arrival,
by up to the consumer's fetch wait); the same by the finding each escalation was made on (the
detector of its newest evidence: a finding across accounts waits for subject events to come
back through the broker); and where the worker's time went, from its metrics.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streams.batch.recorded import RecordedEvent  # noqa: E402
from streams.commands import admin, embedded  # noqa: E402
from streams.devtools.simulator import SimConfig, generate  # noqa: E402
from streams.worker.settings import Settings, load  # noqa: E402
from tests.integration.workers import Worker, scorer_env  # noqa: E402

WARMUP = 500  # events sent and scored before the clock starts: the group join, first imports


async def send(settings: Settings, events: list[RecordedEvent], rate: float | None, sent: dict[str, float],
               live_ts: bool = False, linger_ms: int = 1) -> None:
    """Send `events` at `rate` a second (None: at once), noting when each was handed over (the
    producer's linger counts in the latency); with `live_ts` each event's time is the wall clock's
    when it is sent, as a live producer's is."""
    producer = AIOKafkaProducer(bootstrap_servers=settings.broker_hosts, linger_ms=linger_ms, acks="all")
    await producer.start()
    loop, pending = asyncio.get_running_loop(), []
    started = loop.time()
    try:
        for i, event in enumerate(events):
            if rate:
                ahead = i / rate - (loop.time() - started)
                if ahead > 0.002:
                    await asyncio.sleep(ahead)
            if event.value is not None:
                sent[str(event.value.get("event_id"))] = time.time()
            payload = event.payload()
            if live_ts and event.value is not None:
                payload = orjson.dumps({**event.value, "ts": int(time.time() * 1000)})
            pending.append(await producer.send(settings.input_topics[event.kind], payload,
                                               key=event.key.encode()))
            if len(pending) >= 1000:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await producer.stop()


Timed = tuple[list[float], list[float], int, dict[str, list[float]]]


def newest_detector(escalation: dict[str, Any]) -> str:
    """The detector of an escalation's newest evidence: the finding it was made on."""
    evidence = escalation.get("evidence") or [{}]
    return str(max(evidence, key=lambda item: item.get("ts", 0)).get("detector", "?"))


async def escalations(settings: Settings, sent: dict[str, float], done: asyncio.Event,
                      quiet_s: float = 3.0) -> Timed:
    """Latencies (s) of the escalations whose trigger was sent, by the escalation's timestamp and
    by when it was read; how many had no send time; the first latencies by the detector of the
    finding each escalation was made on."""
    consumer = AIOKafkaConsumer(settings.topic_escalations, bootstrap_servers=settings.broker_hosts,
                                auto_offset_reset="earliest", enable_auto_commit=False, group_id=None,
                                fetch_max_wait_ms=20)
    await consumer.start()
    latencies, read, unmatched, last = [], [], 0, time.monotonic()
    by_detector: dict[str, list[float]] = {}
    try:
        while not (done.is_set() and time.monotonic() - last > quiet_s):
            batches = await consumer.getmany(timeout_ms=100)
            for records in batches.values():
                now = time.time()
                for rec in records:
                    last = time.monotonic()
                    escalation = orjson.loads(rec.value)
                    trigger = escalation["trigger_event_id"]
                    if trigger in sent:
                        latencies.append(rec.timestamp / 1000 - sent[trigger])
                        read.append(now - sent[trigger])
                        by_detector.setdefault(newest_detector(escalation), []).append(latencies[-1])
                    else:
                        unmatched += 1
    finally:
        await consumer.stop()
    return latencies, read, unmatched, by_detector


async def measure(settings: Settings, events: list[RecordedEvent], rate: float,
                  live_ts: bool, linger_ms: int) -> Timed:
    sent: dict[str, float] = {}
    done = asyncio.Event()
    reading = asyncio.create_task(escalations(settings, sent, done))
    await send(settings, events, rate, sent, live_ts, linger_ms)
    done.set()
    return await reading


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--days", type=float, default=3.0)
    parser.add_argument("--rate", type=float, default=3000.0, help="events offered a second")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--live-ts", action="store_true",
                        help="events carry the wall-clock time they are sent at (the simulator's times otherwise, "
                             "long past: the reorder window then never waits for the clock)")
    parser.add_argument("--linger-ms", type=int, default=1,
                        help="the sending producer's linger: how long it gathers records into a record batch")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a worker setting, e.g. --set RISKSCORER_BATCH_WINDOW_MS=10 (repeatable)")
    return parser.parse_args()


def run(args: argparse.Namespace) -> tuple[int, Timed, str]:
    """One worker on embedded services: the events offered after the warm-up, the escalations
    timed (`escalations`), and where the worker's time went."""
    services = embedded.start(True, True)
    try:
        with tempfile.TemporaryDirectory() as tmpdir:
            tmp = Path(tmpdir)
            env = scorer_env(f"127.0.0.1:{services.broker.port}",  # type: ignore[union-attr]
                             f"redis://127.0.0.1:{services.redis.port}",  # type: ignore[union-attr]
                             tmp, RISKSCORER_PARTITIONS=str(args.partitions),
                             **dict(kv.split("=", 1) for kv in args.set))
            settings = load({k: v for k, v in env.items() if k.startswith("RISKSCORER_")})
            events = generate(SimConfig(accounts=args.accounts, days=args.days, seed=7)).events
            asyncio.run(admin.ensure_topics(settings))
            worker = Worker(env, tmp, args=("-l", "warn"), loop="uvloop").start()
            try:
                worker.wait_ready(120)
                asyncio.run(send(settings, events[:WARMUP], None, {}, args.live_ts, args.linger_ms))
                worker.wait_processed(WARMUP, timeout=120)
                timed = asyncio.run(measure(settings, events[WARMUP:], args.rate, args.live_ts, args.linger_ms))
                where = f"{worker.processed()} events scored by then; " + breakdown(worker.scrape() or "")
            finally:
                worker.stop()
    finally:
        services.stop()
    return len(events) - WARMUP, timed, where


def main() -> None:
    args = arguments()
    offered, (latencies, read, unmatched, by_detector), where = run(args)
    ms = [x * 1000 for x in latencies]
    print(f"{offered} events offered at {args.rate:,.0f}/s; {len(ms)} escalations timed "
          f"({unmatched} triggered by derived events, not timed)")
    if ms:
        print(f"event-to-escalation latency: {summary(ms)}")
        print(f"event to escalation read by a consumer: {summary([x * 1000 for x in read])}")
        print("by the finding an escalation was made on (the detector of its newest evidence), slowest first:")
        for name, values in sorted(by_detector.items(), key=lambda kv: -percentile(kv[1], 0.5)):
            print(f"  {name}: {len(values)}, p50 {percentile(values, 0.5) * 1000:.0f} ms, "
                  f"p99 {percentile(values, 0.99) * 1000:.0f} ms")
    print(where)


def summary(ms: list[float]) -> str:
    return (f"p50 {percentile(ms, 0.5):.0f} ms, p90 {percentile(ms, 0.9):.0f} ms, p99 {percentile(ms, 0.99):.0f} ms, "
            f"max {max(ms):.0f} ms, mean {statistics.mean(ms):.0f} ms")


def breakdown(metrics: str) -> str:
    """Where a worker's time went, from its histograms (warm-up included): mean batch size and
    duration and each stage's share, mean time events were held for event-time order, mean time
    from an event's broker timestamp to the end of its batch."""
    sums: dict[str, float] = {}
    for family in text_string_to_metric_families(metrics):
        for sample in family.samples:
            if sample.name.endswith(("_sum", "_count")) and sample.name.startswith("riskscorer_"):
                name = sample.name
                if "stage" in sample.labels:  # riskscorer_batch_stage_seconds{stage="score"}_sum -> ..._score_sum
                    base, _, end = name.rpartition("_")
                    name = f"{base}_{sample.labels['stage']}_{end}"
                sums[name] = sums.get(name, 0.0) + sample.value

    def mean(name: str) -> float:
        return sums.get(f"{name}_sum", 0.0) / max(1.0, sums.get(f"{name}_count", 0.0))

    stages = ", ".join(f"{stage} {mean(f'riskscorer_batch_stage_seconds_{stage}') * 1000:.0f}"
                       for stage in ("index", "score", "send", "store"))
    return (f"worker: {sums.get('riskscorer_batch_seconds_count', 0):.0f} batches, mean "
            f"{mean('riskscorer_batch_events'):.0f} events and {mean('riskscorer_batch_seconds') * 1000:.0f} ms "
            f"each ({stages}); held for event order, mean {mean('riskscorer_reorder_hold_seconds') * 1000:.0f} ms; "
            f"broker timestamp to end of batch, mean {mean('riskscorer_processing_latency_seconds') * 1000:.0f} ms")


if __name__ == "__main__":
    main()
