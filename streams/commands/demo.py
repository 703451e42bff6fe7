"""`riskscorer demo`: embedded broker and Redis, one worker, simulated traffic, a summary.

The worker runs as its own process (`riskscorer worker`), exactly as in
production; the demo produces the simulator's events, follows the worker's
/metrics and the output topics until every event is accounted for, then
compares the escalations with the simulator's ground truth.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import aiohttp
import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from prometheus_client.parser import text_string_to_metric_families

from scoring.evaluate import per_policy
from streams.commands import admin, embedded, producer
from streams.devtools.simulator import SimConfig, generate, write_jsonl, write_truth
from streams.worker import security
from streams.worker.app import Scorer
from streams.worker.settings import PREFIX, Settings

DEADLINE_S = 160.0


@dataclass
class Outputs:
    """Escalations and dead letters read back from their topics."""

    escalations: dict[str, dict[str, Any]] = field(default_factory=dict)
    withdrawn: dict[str, dict[str, Any]] = field(default_factory=dict)  # withdrawals by the id they withdraw
    duplicates: int = 0
    duplicates_policies: int = 0
    dead_letters: list[dict[str, Any]] = field(default_factory=list)

    @property
    def policy_count(self) -> int:
        """Escalation-policy pairs read, comparable with the worker's escalation counter."""
        return sum(len(e["policies"]) for e in self.escalations.values()) + self.duplicates_policies

    def in_force(self) -> list[dict[str, Any]]:
        """The escalations read, less those withdrawn."""
        return [e for i, e in self.escalations.items() if i not in self.withdrawn]


async def follow(settings: Settings, outputs: Outputs, stop: asyncio.Event) -> None:
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.broker_hosts, enable_auto_commit=False,
                                **security.aiokafka_options(settings))
    await consumer.start()
    try:
        tps = [
            TopicPartition(topic, p)
            for topic in (settings.topic_escalations, settings.topic_deadletter)
            for p in range(settings.partitions)
        ]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        while not stop.is_set():
            batches = await consumer.getmany(timeout_ms=200, max_records=5000)
            for tp, records in batches.items():
                for rec in records:
                    _collect(settings, outputs, tp.topic, rec.value)
    finally:
        await consumer.stop()


def _collect(settings: Settings, outputs: Outputs, topic: str, value: bytes | None) -> None:
    obj = orjson.loads(value or b"{}")
    if topic == settings.topic_deadletter:
        outputs.dead_letters.append(obj)
    elif "withdraws" in obj:
        outputs.withdrawn[obj["withdraws"]] = obj
    elif obj["escalation_id"] in outputs.escalations:
        outputs.duplicates += 1
        outputs.duplicates_policies += len(obj["policies"])
    else:
        outputs.escalations[obj["escalation_id"]] = obj


async def scrape(session: aiohttp.ClientSession, port: int) -> dict[str, float]:
    """Totals of the worker's own counters (events scored or dead-lettered, outputs)."""
    try:
        async with session.get(f"http://127.0.0.1:{port}/metrics") as resp:
            text = await resp.text()
    except aiohttp.ClientError:
        return {}
    totals: dict[str, float] = {"processed": 0.0, "subjects": 0.0, "subjects_sent": 0.0, "escalations": 0.0,
                                "dead_letters": 0.0}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "riskscorer_events_total" and sample.labels["outcome"] != "replayed":
                derived = sample.labels["topic"] == "subjects"
                totals["subjects" if derived else "processed"] += sample.value
            elif sample.name == "riskscorer_records_sent_total" and sample.labels["output"] == "subjects":
                totals["subjects_sent"] += sample.value
            elif sample.name == "riskscorer_escalations_total":
                totals["escalations"] += sample.value
            elif sample.name == "riskscorer_dead_letters_total":
                totals["dead_letters"] += sample.value
    return totals


def spawn_worker(settings: Settings, port: int, workdir: Path, log: TextIO) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(PREFIX)}
    env.update({
        f"{PREFIX}BROKER_URL": str(settings.broker_url),
        f"{PREFIX}REDIS_URL": str(settings.redis_url),
        f"{PREFIX}WEB_PORT": str(port),
        f"{PREFIX}DATA_DIR": str(workdir / "worker-data"),
        f"{PREFIX}RULES_FILE": str(settings.rules_file),
        f"{PREFIX}SESSION_TIMEOUT_S": "6",
        f"{PREFIX}PARTITIONS": str(settings.partitions),
    })
    cmd = [sys.executable, "-m", "streams", "--loop", "uvloop", "worker", "-l", "warn"]
    return subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                            preexec_fn=embedded.ends_with_starter())


def _progress(started: float, produced: int, total: int, seen: dict[str, float]) -> None:
    print(  # noqa: T201
        f"[{time.monotonic() - started:6.1f}s] produced {produced}/{total}  "
        f"processed {int(seen.get('processed', 0))}  escalations {int(seen.get('escalations', 0))}"
        f"  dead letters {int(seen.get('dead_letters', 0))}",
        file=sys.stderr,
        flush=True,
    )


async def report_while_producing(port: int, started: float, produced: list[int], total: int) -> None:
    """Progress every 2 seconds while the simulator sends: what was sent and what the worker did."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
        while True:
            await asyncio.sleep(2)
            try:
                seen = await scrape(session, port)
            except (aiohttp.ClientError, TimeoutError):
                seen = {}  # the worker is still starting
            _progress(started, produced[0], total, seen)


async def topic_size(settings: Settings, topic: str) -> int:
    """Records written to `topic` so far (the sum of its partitions' end offsets)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.broker_hosts, enable_auto_commit=False,
                                **security.aiokafka_options(settings))
    await consumer.start()
    try:
        ends = await consumer.end_offsets([TopicPartition(topic, p) for p in range(settings.partitions)])
        return int(sum(ends.values()))
    finally:
        await consumer.stop()


async def wait_done(
    settings: Settings, port: int, total: int, outputs: Outputs, started: float, worker: Any
) -> dict[str, float]:
    """Wait until every input event, and every event the scorer re-keyed from them
    (ratings, disputes, reply notices, ring probes), is processed and its outputs are read."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
        last_print = 0.0
        while True:
            if worker.poll() is not None:
                raise RuntimeError(f"worker exited with status {worker.returncode}")
            seen = await scrape(session, port)
            inputs_done = seen.get("processed", 0) >= total
            derived = await topic_size(settings, settings.topic_subjects) if inputs_done else -1
            done = inputs_done and accounted(seen, derived, outputs)
            if done or time.monotonic() - last_print > 2:
                _progress(started, total, total, seen)
                last_print = time.monotonic()
            if done:
                return seen
            if time.monotonic() - started > DEADLINE_S:
                raise TimeoutError(f"worker did not process {total} events in {DEADLINE_S}s: {seen}")
            await asyncio.sleep(0.5)


def accounted(seen: dict[str, float], derived: int, outputs: Outputs) -> bool:
    """Every re-keyed event scored, and every escalation and dead letter the worker counted read.

    Re-keyed events are checked twice over: against the subjects topic's end offsets (`derived`)
    and against the worker's own count of those it sent, read in the same scrape as those it
    scored. The end offsets alone are not enough: the broker can report them behind records
    already written and scored, and a chain of re-keyed events (a probe, then a ring's notices)
    was cut short."""
    return (
        seen.get("subjects", 0) >= max(derived, seen.get("subjects_sent", 0))
        and outputs.policy_count >= seen.get("escalations", 0)
        and len(outputs.dead_letters) >= seen.get("dead_letters", 0)
    )


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(5)


async def run(
    scorer: Scorer, config: SimConfig, out_dir: Path, summary_path: Path | None, rate: float | None
) -> None:
    settings = scorer.settings
    out_dir.mkdir(parents=True, exist_ok=True)
    services = embedded.start(settings.broker_url is None, settings.redis_url is None)
    try:
        if services.broker:
            settings = settings.with_services(f"127.0.0.1:{services.broker.port}", "")
        if services.redis:
            settings = settings.with_services(
                str(settings.broker_url), f"redis://127.0.0.1:{services.redis.port}"
            )
        summary = await _run(settings, config, out_dir, rate)
    finally:
        services.stop()
    print_summary(summary)
    if summary_path:
        summary_path.write_bytes(orjson.dumps(summary, option=orjson.OPT_INDENT_2))


async def _run(settings: Settings, config: SimConfig, out_dir: Path, rate: float | None) -> dict[str, Any]:
    started = time.monotonic()
    await admin.ensure_topics(settings)
    sim = generate(config)
    write_jsonl(sim, out_dir / "events.jsonl")
    write_truth(sim, out_dir / "truth.json")
    port = embedded.free_port()
    outputs, stop = Outputs(), asyncio.Event()
    with (out_dir / "worker.log").open("w") as log:
        worker = spawn_worker(settings, port, out_dir, log)
        follower = asyncio.create_task(follow(settings, outputs, stop))
        try:
            total = len(sim.events)
            produced = [0]
            reporter = asyncio.create_task(report_while_producing(port, started, produced, total))
            try:
                await producer.send_events(settings, sim.events, lambda n: produced.__setitem__(0, n), rate=rate)
            finally:
                reporter.cancel()
            seen = await wait_done(settings, port, total, outputs, started, worker)
        finally:
            stop.set()
            await follower
            stop_worker(worker)
    _write_escalations(outputs, out_dir / "escalations.jsonl")
    return summarize(sim.truth, outputs, seen, time.monotonic() - started, out_dir)


def _write_escalations(outputs: Outputs, path: Path) -> None:
    with path.open("wb") as fh:
        for esc in [*outputs.escalations.values(), *outputs.withdrawn.values()]:
            fh.write(orjson.dumps(esc) + b"\n")


def summarize(
    truth: dict[str, Any], outputs: Outputs, seen: dict[str, float], seconds: float, out_dir: Path
) -> dict[str, Any]:
    escalations = outputs.in_force()
    severity: dict[str, int] = {}
    for esc in escalations:
        severity[esc["severity"]] = severity.get(esc["severity"], 0) + 1
    return {
        "events": int(seen.get("processed", 0)),
        "escalations": len(escalations),
        "dead_letters": len(outputs.dead_letters),
        "withdrawn": len(outputs.withdrawn),
        "duplicate_escalations_dropped": outputs.duplicates,
        "per_policy": per_policy(
            ((e["account_id"], e["policies"]) for e in escalations), truth["policies"]
        ),
        "by_severity": severity,
        "seconds": round(seconds, 1),
        "files": {
            "events": str(out_dir / "events.jsonl"),
            "truth": str(out_dir / "truth.json"),
            "escalations": str(out_dir / "escalations.jsonl"),
            "worker_log": str(out_dir / "worker.log"),
        },
    }


def print_summary(summary: dict[str, Any]) -> None:
    lines = [
        "",
        f"events processed: {summary['events']}   escalations: {summary['escalations']}   "
        f"dead letters: {summary['dead_letters']}   ({summary['seconds']}s)",
        f"by severity: {summary['by_severity']}",
        f"{'policy':<24}{'escalations':>12}{'flagged':>9}{'guilty':>8}{'precision':>11}{'recall':>8}",
    ]
    for policy, row in summary["per_policy"].items():
        lines.append(
            f"{policy:<24}{row['escalations']:>12}{row['accounts_flagged']:>9}"
            f"{row['accounts_guilty']:>8}{row['precision']:>11.2f}{row['recall']:>8.2f}"
        )
    lines.append(f"escalations written to {summary['files']['escalations']}")
    print("\n".join(lines))  # noqa: T201
