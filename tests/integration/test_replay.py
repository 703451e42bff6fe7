"""Exact under at-least-once delivery: stopping, killing and restarting workers mid-stream
leaves the same per-account state and the same set of escalation ids as an undisturbed run."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import orjson
import pytest
from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition
from streams.simulator import SimConfig, generate

from tests.integration.kafka_client import produce, read_all
from tests.integration.workers import Worker, scorer_env

pytestmark = pytest.mark.integration

SIM = generate(SimConfig(accounts=120, days=3, seed=11, malformed_share=0.0))


def read_topic(broker: str, topic: str) -> list[tuple[bytes, bytes, int, int]]:
    """Every record of `topic` as (key, value, partition, offset), from the start to its end."""
    consumer = Consumer({"bootstrap.servers": broker, "group.id": "replay-reader",
                         "enable.auto.commit": False, "enable.partition.eof": True})
    meta = consumer.list_topics(topic, timeout=10).topics[topic].partitions
    consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in meta])
    out, at_end, deadline = [], set(), time.monotonic() + 30
    try:
        while len(at_end) < len(meta) and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            if msg.error():
                at_end.add(msg.partition())
                continue
            at_end.discard(msg.partition())
            out.append((msg.key(), msg.value(), msg.partition(), msg.offset()))
    finally:
        consumer.close()
    return out


def final_states(broker: str, app_id: str) -> dict[bytes, dict]:
    changelog = f"{app_id}-account_state-changelog"
    latest = {key: value for key, value, _, _ in read_topic(broker, changelog)}
    return {key: orjson.loads(value) for key, value in latest.items()}


def caught_up(broker: str, env: dict[str, str], produced: dict[tuple[str, int], int]) -> bool:
    """Every input record (and every re-keyed subject event) is applied in some state."""
    app_id = env["RISKSCORER_APP_ID"]
    applied: dict[str, int] = {}
    for state in final_states(broker, app_id).values():
        for position, offset in state["a"].items():
            applied[position] = max(applied.get(position, -1), offset)
    wanted = dict(produced)
    subjects = env["RISKSCORER_TOPIC_SUBJECTS"]
    for _, _, partition, offset in read_topic(broker, subjects):
        wanted[(subjects, partition)] = max(wanted.get((subjects, partition), -1), offset)
    return all(applied.get(f"{t}:{p}", -1) >= o for (t, p), o in wanted.items())


def run(services, tmp: Path, disturb) -> tuple[dict, set[str]]:
    env = scorer_env(services.broker_url, services.redis_url, tmp)
    items = [(env[f"RISKSCORER_TOPIC_{e.kind.upper()}"], e.key.encode(), e.payload())
             for e in SIM.events]
    workers = [Worker(env, tmp).start(), Worker(env, tmp).start()]
    try:
        for w in workers:
            w.wait_ready()
        produced = produce(services.broker_url, items)
        workers = disturb(workers, env, tmp)
        deadline = time.monotonic() + 120
        while not caught_up(services.broker_url, env, produced):
            assert time.monotonic() < deadline, "workers did not catch up"
            time.sleep(1.0)
    finally:
        for w in workers:
            w.stop()
    states = {k: {f: v for f, v in s.items() if f != "a"}
              for k, s in final_states(services.broker_url, env["RISKSCORER_APP_ID"]).items()}
    escalations = read_all(services.broker_url, env["RISKSCORER_TOPIC_ESCALATIONS"], expected=1)
    return states, {e["escalation_id"] for e in escalations}


def undisturbed(workers, env, tmp):
    return workers


def wait_some_progress(workers, share: float = 0.3) -> None:
    deadline = time.monotonic() + 60
    while sum(w.processed() for w in workers) < share * len(SIM.events):
        assert time.monotonic() < deadline
        time.sleep(0.1)


def sigterm_one(workers, env, tmp):
    wait_some_progress(workers)
    workers[0].stop(signal.SIGTERM)
    return workers


def kill_one(workers, env, tmp):
    wait_some_progress(workers)
    workers[0].stop(signal.SIGKILL)
    return workers


def restart_all(workers, env, tmp):
    wait_some_progress(workers)
    for w in workers:
        w.stop(signal.SIGTERM)
    return [Worker(env, tmp).start(), Worker(env, tmp).start()]


@pytest.fixture(scope="module")
def baseline(services, tmp_path_factory):
    return run(services, tmp_path_factory.mktemp("baseline"), undisturbed)


@pytest.mark.parametrize("disturb", [sigterm_one, kill_one, restart_all], ids=lambda f: f.__name__)
def test_disturbed_run_equals_undisturbed(services, tmp_path, baseline, disturb):
    states, escalation_ids = run(services, tmp_path, disturb)
    base_states, base_ids = baseline
    assert base_ids, "the scenario must produce escalations"
    assert escalation_ids == base_ids
    assert states.keys() == base_states.keys()
    differing = [k for k in states if states[k] != base_states[k]]
    assert not differing, f"{len(differing)} accounts differ, e.g. {differing[:3]}"
