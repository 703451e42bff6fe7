"""Exact under at-least-once delivery and however events arrive: a full backlog, stopping,
killing and restarting workers mid-stream leave the same per-account state and the same
escalations (ids and content, none published with two contents) as an undisturbed run.

An account's own events are applied in event-time order across its topics
(`streams.worker.ordering`), so every detector that reads them is compared whole.
Some detectors decide on what other partitions send or write at their own
pace (`JOINED`, each with its reason): events re-keyed from the counterpart's
partition. When those arrive
depends on timing, not on replay, and so does the event at which such a
decision trips; their (account, policy) scores, evidence and escalations and
the state fields they feed are left out, in both runs. Everything else must
match exactly, including the ratings and disputes each account has received
and the input offsets each state applied.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import orjson
import pytest
from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

from scoring.escalation import in_force
from streams.batch.statecodec import decode_state
from streams.commands import admin
from streams.devtools.simulator import SimConfig, generate
from streams.worker.settings import load
from tests.integration.kafka_client import produce, read_all
from tests.integration.workers import TOPIC_KINDS, Worker, scorer_env

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
    return {key: decode_state(value).to_dict() for key, value in latest.items()}


def lagging(broker: str, env: dict[str, str], produced: dict[tuple[str, int], int]) -> dict[str, tuple]:
    """Input positions (and re-keyed subject positions) not yet applied in any state:
    position -> (last applied offset, last offset)."""
    app_id = env["RISKSCORER_APP_ID"]
    applied: dict[str, int] = {}
    for state in final_states(broker, app_id).values():
        for position, offset in state["a"].items():
            applied[position] = max(applied.get(position, -1), offset)
    wanted = dict(produced)
    subjects = env["RISKSCORER_TOPIC_SUBJECTS"]
    for _, _, partition, offset in read_topic(broker, subjects):
        wanted[(subjects, partition)] = max(wanted.get((subjects, partition), -1), offset)
    return {f"{t}:{p}": (applied.get(f"{t}:{p}", -1), o) for (t, p), o in wanted.items()
            if applied.get(f"{t}:{p}", -1) < o}


def wait_caught_up(broker: str, env: dict[str, str], produced: dict[tuple[str, int], int], timeout: float) -> None:
    """Until every produced input (and every re-keyed subject event) is applied in some state."""
    deadline = time.monotonic() + timeout
    while lag := lagging(broker, env, produced):
        if time.monotonic() >= deadline:
            raise AssertionError(f"workers did not catch up: {lag}")
        time.sleep(1.0)


def run(services, tmp: Path, disturb) -> tuple[dict, dict[str, dict], dict[str, str]]:
    env = scorer_env(services.broker_url, services.redis_url, tmp)
    items = [(env[f"RISKSCORER_TOPIC_{e.kind.upper()}"], e.key.encode(), e.payload())
             for e in SIM.events]
    if disturb is backlog:  # every event in the topics before a worker starts
        asyncio.run(admin.ensure_topics(load({k: v for k, v in env.items() if k.startswith("RISKSCORER_")})))
        produced = produce(services.broker_url, items)
    workers = [Worker(env, tmp).start(), Worker(env, tmp).start()]
    try:
        for w in workers:
            w.wait_ready()
        if disturb is not backlog:
            produced = produce(services.broker_url, items)
        workers = disturb(workers, env, tmp)
        wait_caught_up(services.broker_url, env, produced, 120)
    finally:
        for w in workers:
            w.stop()
    states = final_states(services.broker_url, env["RISKSCORER_APP_ID"])
    escalations = read_all(services.broker_url, env["RISKSCORER_TOPIC_ESCALATIONS"], expected=1)
    contents: dict[str, set[bytes]] = {}
    for e in escalations:
        contents.setdefault(e["escalation_id"], set()).add(orjson.dumps(e, option=orjson.OPT_SORT_KEYS))
    assert all(len(c) == 1 for c in contents.values()), "an escalation id was published with two contents"
    kinds = {env[f"RISKSCORER_TOPIC_{kind.upper()}"]: kind for kind in (*TOPIC_KINDS, "subjects")}
    return states, in_force({e["escalation_id"]: e for e in escalations}), kinds


# Detectors that decide on what other partitions send or write, at their own pace. Each is left
# out of the comparison (its (account, policy) scores, evidence, cooldowns and escalations), in
# both runs, for the reason given; everything else is compared whole.
JOINED = (
    # subject events re-keyed from the counterpart's partition: replies end a streak, ratings and
    # disputes received make reputation (a freelancer's poor record is read in event time, but a
    # bad outcome received after a later finding adds one), a rating received completes a
    # contract link
    "low_quality", "client_risk", "friends_family.linked_contract",
)
# Not joined: duplicate-account links. Found through the link index at whichever account's
# sighting is read second, each is made at the pair's later first sighting, told to both
# accounts in the same words from either side and escalated apart (scoring.detectors.linked).
# Nor letter farms: a proposal is released only once every partition's proposals up to its time
# are in the cover-letter index (streams.worker.ordering, `gated`).
# Nor rating rings: closed at the loop's latest rating whichever member closes it, told to every
# member in the same words and escalated apart (scoring.detectors.rings).
# Nor unanswered streaks and fan-out crossings: found at the same message whenever the replies
# and answers come, and escalated apart (scoring.detectors.unanswered, scoring.detectors.fanout).
# State fields fed by other partitions' events as they come: unanswered streaks ("us": what a
# streak keeps after a reply told late differs from what it would have kept), the rating graph
# ("rg"), the newest contract with each counterpart, a rating received included ("pt"), a link in
# the words of whichever side saw it first ("k"). First messages, their answers and the
# fan-out's crossing marks ("fm", "fx", "fd") are compared.
# The ids published for findings that can be withdrawn ("w") are compared by the escalations.
JOINED_FIELDS = ("us", "rg", "pt", "k", "w")
# Of those, standing findings: one made before an earlier rating arrived is withdrawn when it
# does, so those in force are the undisturbed run's, each saying the same.
STANDING = ("low_quality", "client_risk")
# Findings signalled once, kept in "l": those of the detectors above (friends-and-family links
# and whom they were told to, poor records, risky clients), rings (which member closed one, and so
# keeps "ringn:", depends on timing; the rings signalled are compared by their escalations) and
# whom a duplicate or friends-and-family link
# was told to by the side that found it ("dupn:", "ffp:": which side that is depends on timing)
# are left out; the rest
# (duplicate links received, logins from many countries or devices in a day, dismissals
# applied) are compared.
JOINED_FINDINGS = ("dupn:", "ff:", "ffn:", "ffp:", "ffk:", "ring:", "ringm:", "ringn:", "lq:", "cr:")


def joined_policies(states: dict[bytes, dict], escalations: dict[str, dict]) -> set[tuple[str, str]]:
    """(account, policy) pairs with evidence from a stream-joining detector."""
    out = {(k.decode(), p) for k, s in states.items() for p, items in s.get("v", {}).items()
           if any(i["detector"].startswith(JOINED) for i in items)}
    out |= {(e["account_id"], p) for e in escalations.values() for p in e["policies"]
            if any(i["detector"].startswith(JOINED) for i in e["evidence"])}
    return out


class Score(float):
    """A policy score, equal to another within the rounding of its additions."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, float) and abs(self - other) <= 1e-5

    __hash__ = float.__hash__


def comparable(states: dict[bytes, dict], escalations: dict[str, dict],
               joined: set[tuple[str, str]], kinds: dict[str, str]) -> tuple[dict, set[str]]:
    out = {}
    for key, state in states.items():
        account = key.decode()
        kept = {f: v for f, v in state.items() if f not in ("a", "l", *JOINED_FIELDS)}
        for field in ("s", "e", "b", "v"):
            kept[field] = {p: v for p, v in kept.get(field, {}).items() if (account, p) not in joined}
        # A score is rounded to 6 decimals at each signal added: two orders of the same signals
        # (an account's topics merged by event time only within the reorder window) can differ
        # in the last one. The escalations, compared exactly, show any difference that matters.
        kept["s"] = {p: [Score(v[0]), v[1]] for p, v in kept["s"].items()}
        kept["l"] = {k: v for k, v in state.get("l", {}).items() if not k.startswith(JOINED_FINDINGS)}
        # the input partitions applied up to the end, by topic kind (the runs' topics have other
        # names); the subject events' offsets depend on how the workers' sends interleave
        kept["a"] = {f"{kinds[position.rsplit(':', 1)[0]]}:{position.rsplit(':', 1)[1]}": offset
                     for position, offset in state.get("a", {}).items()
                     if kinds.get(position.rsplit(":", 1)[0], "subjects") != "subjects"}
        out[key] = kept
    ids = {i for i, e in escalations.items()
           if not any((e["account_id"], p) in joined for p in e["policies"])}
    return out, ids


def undisturbed(workers, env, tmp):
    return workers


def backlog(workers, env, tmp):
    """Every event was produced before the workers started (`run`); no fault."""
    return workers


def wait_some_progress(workers, share: float = 0.3) -> None:
    deadline = time.monotonic() + 60
    while sum(w.processed() for w in workers) < share * len(SIM.events):
        assert time.monotonic() < deadline
        time.sleep(0.1)


def sigterm_one(workers, env, tmp):
    wait_some_progress(workers)
    workers[0].stop(signal.SIGTERM)
    assert not workers[0].orphans, "scoring processes outlived a stopped worker"
    return workers


def kill_one(workers, env, tmp):
    wait_some_progress(workers)
    # two scoring processes, and multiprocessing's resource tracker
    assert len(workers[0].children()) >= 2, "the worker scores in child processes"
    workers[0].stop(signal.SIGKILL)
    assert not workers[0].orphans, "scoring processes outlived a worker killed with SIGKILL"
    return workers


def kill_scoring_processes(workers, env, tmp):
    """kill -9 one scoring process of each worker mid-stream: a batch it was scoring fails and
    is retried with new ones, an idle one is replaced before the next batch."""
    wait_some_progress(workers)
    for w in workers:
        pids = w.scoring_processes()
        assert len(pids) == 2, "each worker scores in two child processes"
        os.kill(pids[0], signal.SIGKILL)
    return workers


def restart_all(workers, env, tmp):
    wait_some_progress(workers)
    for w in workers:
        w.stop(signal.SIGTERM)
    return [Worker(env, tmp).start(), Worker(env, tmp).start()]


@pytest.fixture(scope="module")
def baseline(services, tmp_path_factory):
    return run(services, tmp_path_factory.mktemp("baseline"), undisturbed)


@pytest.mark.parametrize("disturb", [backlog, sigterm_one, kill_one, kill_scoring_processes, restart_all],
                         ids=lambda f: f.__name__)
def test_disturbed_run_equals_undisturbed(services, tmp_path, baseline, disturb):
    run_states, run_escalations, kinds = run(services, tmp_path, disturb)
    base_states, base_escalations, base_kinds = baseline
    joined = joined_policies(run_states, run_escalations) | joined_policies(base_states, base_escalations)
    states, escalation_ids = comparable(run_states, run_escalations, joined, kinds)
    base_states, base_ids = comparable(base_states, base_escalations, joined, base_kinds)
    assert len(base_ids) >= 10, "the scenario must produce escalations"
    def brief(e: dict) -> tuple:
        return e["account_id"], e["policies"], e["ts"], [i["detector"] for i in e["evidence"]]
    assert all(run_escalations[i] == base_escalations[i] for i in escalation_ids & base_ids)
    # Poor records and risky clients in force: the same, each saying the same.
    def reputation(escalations: dict[str, dict]) -> dict[str, dict]:
        return {i: e for i, e in escalations.items() if any(item["detector"] in STANDING for item in e["evidence"])}
    assert reputation(base_escalations), "the scenario must make a poor record or a risky client"
    assert reputation(run_escalations) == reputation(base_escalations)
    assert escalation_ids == base_ids, (
        [brief(run_escalations[i]) for i in escalation_ids - base_ids],
        [brief(base_escalations[i]) for i in base_ids - escalation_ids])
    assert states.keys() == base_states.keys()
    differing = [k for k in states if states[k] != base_states[k]]
    fields = {f for k in differing for f in states[k] if states[k][f] != base_states[k].get(f)}
    example = {f: (states[differing[0]].get(f), base_states[differing[0]].get(f)) for f in fields} \
        if differing else {}
    assert not differing, f"{len(differing)} accounts differ in {fields}, e.g. {differing[0]!r}: {example}"
