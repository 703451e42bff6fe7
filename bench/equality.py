"""The same events give the same escalations however they arrive: a live run against backlogs,
kill -9 and restarts mid-stream, on the embedded broker and Redis.

    python bench/equality.py [--runs 10] [--accounts 120] [--days 3] [--seed 11]
                             [--scenarios backlog,kill9,restart,rebalance,redis_freeze,redis_restart,broker_freeze]
                             [--outage-s 30] [--reference live|backtest] [--no-live] [--keep DIR] [--logs DIR]

First a live run: two `riskscorer worker` processes are started, then the simulator's events
are sent in their time order, paced (`--rate` events/s). Then, `--runs` times each, with fresh
topics, consumer group and Redis keys:

- backlog: every event is sent before the workers start (no fault);
- kill9: sent at once; once 30% are scored one worker is killed with SIGKILL and a new one
  started;
- restart: the same, both workers stopped (SIGTERM) and two new ones started;
- rebalance: sent at once; at 30% scored a third worker joins, at 60% the first leaves (SIGTERM):
  partitions move twice while events are in flight;
- redis_freeze: sent at once; at 30% scored Redis is frozen (SIGSTOP) for `--outage-s`, then
  let go (SIGCONT);
- redis_restart: sent at once; at 30% scored Redis saves its data and stops, and `--outage-s`
  later starts again on the same port from that data (a Redis with persistence restarted);
- broker_freeze: sent at once; at 30% scored the broker is frozen (SIGSTOP) for `--outage-s`,
  then let go: the workers' sessions time out meanwhile.

Each run's escalations topic is read in full (duplicates included) and compared with the live
run's: `lost` (ids the live run published that the run did not), `extra` (the reverse),
`differing duplicates` (one id published with two contents). Escalation ids carry a digest of
their content, so equal ids are equal escalations; the content is compared as well. Escalations
withdrawn (and the withdrawals) are left out of each run's: what is compared is what is in force.
Prints one line per run, the last workers' counters (events scored and replayed, early releases by
why, offset ranges re-read by how found; a worker stopped or killed takes its own with it), and the
totals; differences are listed by the detectors of their evidence, and counted apart for escalations
of (account, policy) pairs none of whose escalations in either run has evidence from a detector that
joins other partitions' events or the Redis indexes (`JOINED` in tests/integration/test_replay.py,
which compares the same way).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import orjson
from redis import Redis as SyncRedis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.escalation import in_force  # noqa: E402
from streams.batch.rules_file import load_rules  # noqa: E402
from streams.commands import admin, backtest, embedded  # noqa: E402
from streams.devtools.simulator import SimConfig, generate  # noqa: E402
from streams.worker.settings import DEFAULT_RULES, load  # noqa: E402
from tests.integration.kafka_client import produce  # noqa: E402
from tests.integration.test_replay import JOINED, read_topic, wait_caught_up  # noqa: E402
from tests.integration.workers import Worker, scorer_env  # noqa: E402

MID = 0.3  # share of the events scored before a fault
LATE = 0.6  # rebalance: scored before a worker leaves (a third joined at MID)
OUTAGES = ("redis_freeze", "redis_restart", "broker_freeze")  # begun at MID, for --outage-s
# The workers' counters printed after each run (`Worker.metrics` keys), and their short names.
COUNTERS = {
    "riskscorer_events_total:scored": "scored", "riskscorer_events_total:replayed": "replayed",
    "riskscorer_events_total:subjects:scored": "subject events scored",
    "riskscorer_reorder_forced_total:held": "released early (held)",
    "riskscorer_reorder_forced_total:gate": "released early (gate)",
    "riskscorer_offset_holes_total:skipped": "re-read (skipped)",
    "riskscorer_offset_holes_total:tail": "re-read (tail)",
    "riskscorer_offset_holes_total:stalled": "re-read (stalled)",
    "riskscorer_records_refetched_total": "records re-read",
}


def escalations(broker: str, topic: str) -> tuple[dict[str, dict], int]:
    """Every escalation by id, and how many ids came with differing contents."""
    found: dict[str, dict] = {}
    differing = set()
    for _, value, _, _ in read_topic(broker, topic):
        record = orjson.loads(value)
        if found.setdefault(record["escalation_id"], record) != record:
            differing.add(record["escalation_id"])
    return in_force(found), len(differing)


def detectors(e: dict) -> str:
    return "+".join(sorted({i["detector"] for i in e["evidence"]}))


def joined(e: dict) -> bool:
    """Whether the escalation's evidence comes from a detector that joins other partitions' events
    or the Redis indexes (tests/integration/test_replay.py names them and why)."""
    return any(i["detector"].startswith(JOINED) for i in e["evidence"])


class Runner:
    def __init__(self, broker: embedded.Service, redis: list[embedded.Service], sim, tmp: Path, rate: float,
                 outage_s: float) -> None:
        """`redis`: the Redis the runs use, the current one last (a restart appends the new one)."""
        self.broker_service, self.services, self.sim, self.tmp, self.rate = broker, redis, sim, tmp, rate
        self.broker = f"127.0.0.1:{broker.port}"
        self.redis = f"redis://127.0.0.1:{redis[-1].port}"
        self.outage_s = outage_s
        self.n = 0

    def items(self, env: dict[str, str]) -> list[tuple[str, bytes, bytes]]:
        return [(env[f"RISKSCORER_TOPIC_{e.kind.upper()}"], e.key.encode(), e.payload()) for e in self.sim.events]

    def run(self, scenario: str) -> tuple[dict[str, dict], int, float]:
        self.n += 1
        tmp = self.tmp / f"{scenario}-{self.n}"
        tmp.mkdir()
        env = scorer_env(self.broker, self.redis, tmp)
        asyncio.run(admin.ensure_topics(load({k: v for k, v in env.items() if k.startswith("RISKSCORER_")})))
        items = self.items(env)
        started = time.monotonic()
        workers: list[Worker] = []
        try:
            if scenario == "backlog":
                produced = produce(self.broker, items)
                workers = [Worker(env, tmp).start(), Worker(env, tmp).start()]
            else:
                workers = [Worker(env, tmp).start(), Worker(env, tmp).start()]
                for w in workers:
                    w.wait_ready()
                produced = self.paced(items) if scenario == "live" else produce(self.broker, items)
            if scenario in ("kill9", "restart", "rebalance", *OUTAGES):
                self.wait_scored(workers, MID * len(items))
                if scenario in OUTAGES:
                    self.outage(scenario)
                elif scenario == "rebalance":
                    workers.append(Worker(env, tmp).start())
                    self.wait_scored(workers, LATE * len(items))
                    workers.pop(0).stop(signal.SIGTERM)
                elif scenario == "kill9":
                    workers[0].stop(signal.SIGKILL)
                    workers = [workers[1], Worker(env, tmp).start()]
                else:
                    for w in workers:
                        w.stop(signal.SIGTERM)
                    workers = [Worker(env, tmp).start(), Worker(env, tmp).start()]
            wait_caught_up(self.broker, env, produced, 300)
            print(f"   {scenario} counters: {counted(workers)}", flush=True)
        finally:
            for w in workers:
                w.stop()
        found, differing = escalations(self.broker, env["RISKSCORER_TOPIC_ESCALATIONS"])
        return found, differing, time.monotonic() - started

    def outage(self, scenario: str) -> None:
        """Redis or the broker frozen, or Redis saved and stopped, for `outage_s`; then back with
        its data."""
        current = self.services[-1]
        if scenario.endswith("_freeze"):
            frozen = self.broker_service if scenario == "broker_freeze" else current
            frozen.proc.send_signal(signal.SIGSTOP)
            time.sleep(self.outage_s)
            frozen.proc.send_signal(signal.SIGCONT)
            return
        with SyncRedis(port=current.port, decode_responses=True) as client:
            folder = client.config_get("dir")["dir"]
            client.shutdown(save=True)  # saves what it acknowledged, then stops: a clean restart
        current.proc.wait(30)
        time.sleep(self.outage_s)
        self.services.append(embedded.start_redis(port=current.port, args=("--dir", folder)))

    @staticmethod
    def wait_scored(workers: list[Worker], events: float) -> None:
        """Until the workers running have scored `events` between them (a worker stopped counts
        no more)."""
        deadline = time.monotonic() + 120
        while sum(w.processed() for w in workers) < events:
            assert time.monotonic() < deadline, "no progress"
            time.sleep(0.1)

    def paced(self, items: list[tuple[str, bytes, bytes]]) -> dict[tuple[str, int], int]:
        """Send in time order at `rate` events/s, in slices of 50 ms."""
        chunk = max(1, int(self.rate / 20))
        last: dict[tuple[str, int], int] = {}
        for i in range(0, len(items), chunk):
            t = time.monotonic()
            for tp, offset in produce(self.broker, items[i:i + chunk]).items():
                last[tp] = max(last.get(tp, -1), offset)
            time.sleep(max(0.0, 0.05 - (time.monotonic() - t)))
        return last


def counted(workers: list[Worker]) -> dict[str, int]:
    """`COUNTERS` summed over `workers`."""
    totals: Counter[str] = Counter()
    for worker in workers:
        metrics = worker.metrics()
        totals.update({name: int(metrics.get(key, 0)) for key, name in COUNTERS.items()})
    return dict(totals)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--accounts", type=int, default=120)
    parser.add_argument("--days", type=float, default=3)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--rate", type=float, default=400.0, help="events/s of the live run")
    parser.add_argument("--scenarios", default="backlog,kill9,restart")
    parser.add_argument("--outage-s", type=float, default=30.0,
                        help="how long Redis or the broker is out in the redis_* and broker_* scenarios")
    parser.add_argument("--reference", choices=("live", "backtest"), default="live",
                        help="what every run is compared with: the live run, or the backtest of the same events "
                        "(the worker's code in one process, every event in event-time order: the live run is "
                        "compared with it too)")
    parser.add_argument("--no-live", action="store_true",
                        help="with --reference backtest, no live run (it is paced, so the longest)")
    parser.add_argument("--keep", type=Path, help="write each run's escalations here (live.jsonl, backlog-1.jsonl, "
                        "...), one per line by id, to see what differs")
    parser.add_argument("--logs", type=Path, help="keep each run's worker logs and data here (a folder per run) "
                        "instead of a temporary folder, to see why a run stalled")
    return parser.parse_args()


def keep(folder: Path | None, name: str, escalations: dict[str, dict]) -> None:
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.jsonl").write_bytes(b"".join(orjson.dumps(escalations[k]) + b"\n"
                                                        for k in sorted(escalations)))


def compare(scenario: str, i: int, live: dict[str, dict], found: dict[str, dict], differing: int, took: float,
            totals: Counter[str]) -> None:
    """Count and print how one disturbed run's escalations differ from the live run's."""
    lost = live.keys() - found.keys()
    extra = found.keys() - live.keys()
    changed = sum(1 for k in live.keys() & found.keys() if live[k] != found[k])
    pairs = {(e["account_id"], p) for e in [*live.values(), *found.values()] if joined(e)
             for p in e["policies"]}
    own = sum(1 for e in [*(live[k] for k in lost), *(found[k] for k in extra)]
              if not any((e["account_id"], p) in pairs for p in e["policies"]))
    totals.update({f"{scenario} own-event differences": own, f"{scenario} lost": len(lost),
                   f"{scenario} extra": len(extra),
                   f"{scenario} differing": differing + changed, f"{scenario} runs": 1,
                   f"{scenario} equal runs": int(not (lost or extra or differing or changed))})
    why = Counter(detectors(live[k]) for k in lost) + Counter(detectors(found[k]) for k in extra)
    print(f"{scenario} {i + 1}: {len(found)} escalations, lost {len(lost)}, extra {len(extra)}, "
          f"differing {differing + changed}, own-event lost+extra {own}, {took:.0f} s"
          + (f"  {dict(why)}" if why else ""),
          flush=True)


def summary(scenarios: list[str], totals: Counter[str]) -> None:
    for scenario in scenarios:
        print(f"{scenario}: {totals[f'{scenario} equal runs']}/{totals[f'{scenario} runs']} runs equal; "
              f"lost {totals[f'{scenario} lost']}, extra {totals[f'{scenario} extra']}, differing "
              f"{totals[f'{scenario} differing']} in all; lost+extra of escalations with no joined evidence "
              f"{totals[f'{scenario} own-event differences']}")


def main() -> None:
    args = arguments()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the broker, Redis and workers on the way out
    sim = generate(SimConfig(accounts=args.accounts, days=args.days, seed=args.seed, malformed_share=0.0))
    scenarios = args.scenarios.split(",")
    services = embedded.start(True, True)
    assert services.broker is not None and services.redis is not None
    redis = [services.redis]
    try:
        with contextlib.ExitStack() as stack:
            if args.logs is not None:
                args.logs.mkdir(parents=True, exist_ok=True)
            tmp = str(args.logs) if args.logs is not None else stack.enter_context(
                tempfile.TemporaryDirectory(prefix="riskscorer-equality-"))
            runner = Runner(services.broker, redis, sim, Path(tmp), args.rate, args.outage_s)
            skip_live = args.no_live and args.reference == "backtest"
            live, live_differing, took = ({}, 0, 0.0) if skip_live else runner.run("live")
            if not skip_live:
                keep(args.keep, "live", live)
                print(f"live: {len(sim.events)} events, {len(live)} escalations, {live_differing} differing "
                      f"duplicates, {took:.0f} s", flush=True)
            totals: Counter[str] = Counter()
            if args.reference == "backtest":
                reference = {e.escalation_id: e.to_dict()
                             for e in backtest.run(sim.events, load_rules(DEFAULT_RULES)).escalations}
                keep(args.keep, "backtest", reference)
                print(f"backtest: {len(reference)} escalations; every run compared with it", flush=True)
                if not skip_live:
                    compare("live", 0, reference, live, live_differing, took, totals)
                live = reference
            for scenario in scenarios:
                for i in range(args.runs):
                    found, differing, took = runner.run(scenario)
                    keep(args.keep, f"{scenario}-{i + 1}", found)
                    compare(scenario, i, live, found, differing, took, totals)
            summary(["live", *scenarios] if args.reference == "backtest" and not skip_live else scenarios, totals)
    finally:
        for restarted in redis[1:]:
            restarted.stop()
        services.stop()


if __name__ == "__main__":
    main()
