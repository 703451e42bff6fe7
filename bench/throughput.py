"""Worker throughput on the embedded broker, against a raw aiokafka ceiling, in one run.

    python bench/throughput.py [--accounts N] [--days D] [--runs R] [--scoring-processes 0,2]
                               [--links-shards 16,0] [--only accounts]

Loads a simulated mixed stream into the input topics once, then alternates R
times: (a) a raw aiokafka getmany loop that decodes and validates every event
with the project's decoders (the ceiling), (b) one `riskscorer worker` process
(uvloop) consuming the same topics from the start under a fresh consumer group,
once for each `RISKSCORER_SCORING_PROCESSES` value given (0: scored in the
worker's own process) and each `RISKSCORER_LINKS_SHARDS` value (0: no link
index). `--only` keeps the events of one input topic (`accounts`: what linking
costs per account event). Prints medians and ratios of the same run.

A worker's rate counts every event it scores, the subject events it derives
itself (reply notices, answers, link and rating notices: about 0.6 per input
event) among them, until that count reaches the number of input events. The
rate of input events alone over the same span is printed beside it: that is
what a marketplace's traffic is measured in.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from aiokafka import AIOKafkaConsumer
from prometheus_client.parser import text_string_to_metric_families
from redis import Redis as SyncRedis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streams.batch.schemas import INPUT_SCHEMAS, Rejected  # noqa: E402
from streams.commands import admin, embedded, producer  # noqa: E402
from streams.devtools.simulator import SimConfig, generate  # noqa: E402
from streams.worker.settings import Settings, load  # noqa: E402
from tests.integration.workers import Worker, scorer_env  # noqa: E402


async def ceiling(settings: Settings, total: int) -> float:
    """Events/s of a bare consume + decode + validate loop."""
    consumer = AIOKafkaConsumer(
        *settings.input_topics.values(),
        bootstrap_servers=settings.broker_hosts,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
        fetch_max_wait_ms=100,
    )
    kind_of = {t: k for k, t in settings.input_topics.items()}
    await consumer.start()
    seen, started = 0, None
    try:
        while seen < total:
            batches = await consumer.getmany(timeout_ms=500, max_records=5000)
            started = started or time.perf_counter()
            for tp, records in batches.items():
                schema = INPUT_SCHEMAS[kind_of[tp.topic]]
                for rec in records:
                    with contextlib.suppress(Rejected):
                        schema.decode(rec.value or b"", settings.max_text_chars)
                    seen += 1
    finally:
        await consumer.stop()
    return seen / (time.perf_counter() - (started or 0))


def worker_run(env: dict[str, str], total: int, tmp: Path, broker_pid: int) -> tuple[float, dict[str, float]]:
    """Events/s of one worker from its first processed event to the last, and the CPU time per
    event meanwhile of the worker, its scoring processes, the Redis server and the broker."""
    w = Worker(env, tmp, args=("-l", "warn"), loop="uvloop").start()
    redis = SyncRedis.from_url(env["RISKSCORER_REDIS_URL"])
    try:
        w.wait_ready(120)
        while (first := taken(w))[0] == 0:
            time.sleep(0.05)
        pids = [w.proc.pid, *w.scoring_processes(), broker_pid]  # type: ignore[union-attr]
        t0, cpu0, own0 = time.perf_counter(), redis_cpu(redis), [process_cpu(p) for p in pids]
        # Each /metrics scrape costs the worker milliseconds (Faust's per-partition series):
        # poll once a second, and finely only near the end.
        while (done := taken(w))[0] < total:
            time.sleep(0.1 if done[0] > 0.9 * total else 1.0)
        elapsed = time.perf_counter() - t0
        rate = (done[0] - first[0]) / elapsed
        own = [process_cpu(p) - c for p, c in zip(pids, own0, strict=True)]
        stats = batch_stats(w.scrape() or "")
        stats["input_rate"] = (done[1] - first[1]) / elapsed
        events = max(1, done[0] - first[0])
        stats["redis_us"] = (redis_cpu(redis) - cpu0) / events * 1e6
        stats["worker_us"], stats["scoring_us"] = own[0] / events * 1e6, sum(own[1:-1]) / events * 1e6
        stats["broker_us"] = own[-1] / events * 1e6
        return rate, stats
    finally:
        redis.close()
        w.stop()


def taken(w: Worker) -> tuple[int, int]:
    """Events the worker has scored or dead-lettered: all of them, and those of the input topics
    (the subject events it derives itself left out)."""
    m = w.metrics()
    done = int(m.get("riskscorer_events_total:scored", 0) + m.get("riskscorer_events_total:dead_letter", 0))
    derived = int(m.get("riskscorer_events_total:subjects:scored", 0)
                  + m.get("riskscorer_events_total:subjects:dead_letter", 0))
    return done, done - derived


def process_cpu(pid: int) -> float:
    """Seconds of CPU a process has used (user and system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def redis_cpu(redis: SyncRedis) -> float:
    """Seconds of CPU the Redis server has used (user and system, main thread and children)."""
    cpu = redis.info("cpu")
    return sum(float(cpu[k]) for k in ("used_cpu_sys", "used_cpu_user"))


STAGES = ("index", "score", "send", "store")  # `riskscorer_batch_stage_seconds`, in a batch's order


def batch_stats(text: str) -> dict[str, float]:
    """Mean batch size, mean batch processing time and each stage's mean time, from the worker's
    histograms."""
    sums: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name.startswith(("riskscorer_batch_events_", "riskscorer_batch_seconds_",
                                       "riskscorer_batch_stage_seconds_")) and sample.name.endswith("_sum"):
                name = sample.name + sample.labels.get("stage", "")
                sums[name] = sums.get(name, 0.0) + sample.value
            elif sample.name == "riskscorer_batch_events_count":
                sums[sample.name] = sums.get(sample.name, 0.0) + sample.value
    n = sums.get("riskscorer_batch_events_count", 0.0) or 1.0
    stages = {f"{stage}_ms": 1000 * sums.get(f"riskscorer_batch_stage_seconds_sum{stage}", 0.0) / n
              for stage in STAGES}
    return {"batches": n, "mean_batch": sums.get("riskscorer_batch_events_sum", 0.0) / n,
            "mean_batch_ms": 1000 * sums.get("riskscorer_batch_seconds_sum", 0.0) / n, **stages}


def named(variant: tuple[int, int]) -> str:
    processes, shards = variant
    return f"{processes} scoring processes, " + (f"link index in {shards} shards" if shards else "no link index")


def settings_for(env: dict[str, str]) -> Settings:
    return load({k: v for k, v in env.items() if k.startswith("RISKSCORER_")})


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--days", type=float, default=7.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--scoring-processes", default="0,2",
                        help="comma-separated RISKSCORER_SCORING_PROCESSES values, each run every round")
    parser.add_argument("--links-shards", default="16",
                        help="comma-separated RISKSCORER_LINKS_SHARDS values (0: no link index), each run every round")
    parser.add_argument("--only", choices=["messages", "proposals", "feedback", "accounts", "contracts"],
                        help="keep only the events of this input topic")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a worker setting, e.g. --set RISKSCORER_REORDER_SCOPE=partition (repeatable)")
    return parser.parse_args()


def feed(settings: Settings, args: argparse.Namespace) -> int:
    """The simulated events on the input topics; how many."""
    sim = generate(SimConfig(accounts=args.accounts, days=args.days, seed=7))
    events = [ev for ev in sim.events if args.only in (None, ev.kind)]
    kinds: dict[str, int] = {}
    for ev in events:
        kinds[ev.kind] = kinds.get(ev.kind, 0) + 1
    print(f"events: {len(events)} {kinds}", flush=True)
    asyncio.run(admin.ensure_topics(settings))
    asyncio.run(producer.send_events(settings, events))
    return len(events)


Variant = tuple[int, int]


def worker_variant(base: dict[str, str], run: int, v: Variant, total: int, tmp: Path,
                   broker_pid: int) -> tuple[float, float, float]:
    """One worker of variant `v` over the whole input: its rate, its CPU µs per event (worker,
    scoring processes and Redis; the broker's is printed apart), and its rate of input events."""
    env = {**base, "RISKSCORER_APP_ID": f"{base['RISKSCORER_APP_ID']}-{run}-{v[0]}-{v[1]}",
           "RISKSCORER_SCORING_PROCESSES": str(v[0]), "RISKSCORER_LINKS_SHARDS": str(v[1])}
    rate, batches = worker_run(env, total, tmp, broker_pid)
    print(f"run {run}: worker, {named(v)}: {rate:,.0f}/s, input events {batches['input_rate']:,.0f}/s  "
          f"({batches['batches']:.0f} batches, mean {batches['mean_batch']:.0f} events, "
          f"{batches['mean_batch_ms']:.0f} ms each: "
          + ", ".join(f"{stage} {batches[stage + '_ms']:.0f}" for stage in STAGES)
          + f"; CPU µs/event: worker {batches['worker_us']:.1f}, "
          f"scoring processes {batches['scoring_us']:.1f}, Redis {batches['redis_us']:.1f}; "
          f"broker {batches['broker_us']:.1f})",
          flush=True)
    return rate, batches["worker_us"] + batches["scoring_us"] + batches["redis_us"], batches["input_rate"]


def report(raw: list[float], work: dict[Variant, list[float]], cpu: dict[Variant, list[float]],
           inputs: dict[Variant, list[float]], variants: list[Variant]) -> None:
    r = statistics.median(raw)
    print(f"median ceiling (aiokafka + decode): {r:,.0f} events/s")
    for v in variants:
        w = statistics.median(work[v])
        print(f"median worker, {named(v)}: {w:,.0f} events/s = {1e6 / w:.1f} µs/event  "
              f"(worker / ceiling {w / r:.3f}; runs {' / '.join(f'{x:,.0f}' for x in work[v])})")
    for v in variants:
        print(f"median input events, {named(v)}: {statistics.median(inputs[v]):,.0f}/s "
              f"(runs {' / '.join(f'{x:,.0f}' for x in inputs[v])})")
    for v in variants:
        print(f"median CPU, {named(v)}: {statistics.median(cpu[v]):.1f} µs/event "
              f"(worker, scoring processes and Redis; runs {' / '.join(f'{x:.1f}' for x in cpu[v])})")
    if len(variants) > 1:
        first, first_cpu = statistics.median(work[variants[0]]), statistics.median(cpu[variants[0]])
        for v in variants[1:]:
            print(f"{named(v)} / {named(variants[0])}: throughput {statistics.median(work[v]) / first:.2f}, "
                  f"CPU per event {first_cpu / statistics.median(cpu[v]):.2f}")


def main() -> None:
    args = arguments()
    variants = [(int(p), int(s)) for p in args.scoring_processes.split(",") for s in args.links_shards.split(",")]
    services = embedded.start(True, True)
    try:
        with tempfile.TemporaryDirectory() as tmpdir:
            tmp = Path(tmpdir)
            broker = f"127.0.0.1:{services.broker.port}"  # type: ignore[union-attr]
            redis = f"redis://127.0.0.1:{services.redis.port}"  # type: ignore[union-attr]
            base = scorer_env(broker, redis, tmp, RISKSCORER_PARTITIONS=str(args.partitions),
                              **dict(kv.split("=", 1) for kv in args.set))
            settings = settings_for(base)
            total = feed(settings, args)
            raw: list[float] = []
            work: dict[Variant, list[float]] = {v: [] for v in variants}
            cpu: dict[Variant, list[float]] = {v: [] for v in variants}  # worker + children + Redis
            inputs: dict[Variant, list[float]] = {v: [] for v in variants}  # input events/s
            for run in range(args.runs):
                raw.append(asyncio.run(ceiling(settings, total)))
                print(f"run {run}: ceiling {raw[-1]:,.0f}/s", flush=True)
                for v in variants:
                    rate, cpu_us, input_rate = worker_variant(base, run, v, total, tmp,
                                                  services.broker.proc.pid)  # type: ignore[union-attr]
                    work[v].append(rate)
                    cpu[v].append(cpu_us)
                    inputs[v].append(input_rate)
            report(raw, work, cpu, inputs, variants)
    finally:
        services.stop()


if __name__ == "__main__":
    main()
