"""Reviewers' decisions measure each rule, demote one under its floor to shadow mode on a running
worker, take dismissed evidence out of the account's score, and bad decisions are dead-lettered."""

from __future__ import annotations

import subprocess
import sys
import time

import orjson
import pytest

from streams.batch.recorded import RecordedEvent
from streams.batch.rules_file import load_rules
from streams.commands import backtest
from streams.worker.settings import DEFAULT_RULES
from tests.integration.kafka_client import produce, read_all
from tests.integration.test_pipeline import TOKEN, lookup
from tests.integration.test_replay import final_states
from tests.integration.test_rules_reload import burst, wait_for
from tests.integration.workers import Worker, scorer_env

pytestmark = pytest.mark.integration


def decision(escalation_id: str, verdict: str, reviewer: str = "rev-1", **extra: object) -> tuple[str, bytes]:
    return escalation_id, orjson.dumps({"escalation_id": escalation_id, "decision": verdict,
                                        "reviewer": reviewer, "reason": "checked the room", **extra})


def gauge(worker: Worker, name: str, **labels: str) -> float | None:
    want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    series = f"{name}{{{want}}} " if want else f"{name} "
    for line in (worker.scrape() or "").splitlines():
        if line.startswith(series):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_verdicts_demote_a_rule_and_dismissals_clear_evidence(services, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text(DEFAULT_RULES.read_text().replace("min_decisions = 20", "min_decisions = 4"))
    env = scorer_env(services.broker_url, services.redis_url, tmp_path, RISKSCORER_RULES_POLL_S="0.5",
                     RISKSCORER_RULES_FILE=str(rules), RISKSCORER_API_TOKEN=TOKEN, RISKSCORER_DECISION_WAIT_S="1")
    messages, decisions = env["RISKSCORER_TOPIC_MESSAGES"], env["RISKSCORER_TOPIC_DECISIONS"]
    senders = ["f-1", "f-2", "f-3", "f-4"]
    worker = Worker(env, tmp_path).start()
    try:
        worker.wait_ready()
        produce(services.broker_url, [item for s in senders for item in burst(s, 16, messages)])
        escalations = read_all(services.broker_url, env["RISKSCORER_TOPIC_ESCALATIONS"], len(senders))
        by_account = {e["account_id"]: e["escalation_id"] for e in escalations}
        assert sorted(by_account) == senders
        assert all(i["detector"].startswith("message_burst") for e in escalations for i in e["evidence"])

        verdicts = [decision(by_account["f-1"], "dismissed"), decision(by_account["f-2"], "dismissed"),
                    decision(by_account["f-3"], "dismissed"), decision(by_account["f-4"], "confirmed"),
                    decision(by_account["f-1"], "dismissed"),  # re-sent: counts once
                    ("nope", b'{"escalation_id": "nope", "decision": "dismissed", "reviewer": "r"}'),
                    ("bad", b"{not json"),
                    decision(by_account["f-4"], "dismissed", policy="harassment")]  # not what it is about
        produce(services.broker_url, [(decisions, k.encode(), v) for k, v in verdicts])
        wait_for(lambda: worker.metrics().get("riskscorer_rules_demoted_total", 0) >= 1,
                 "message_burst not demoted", timeout=60)
        assert gauge(worker, "riskscorer_rule_precision", rule="message_burst") == 0.25
        # support staff see each verdict beside the escalation it decided
        for account, verdict in (("f-1", "dismissed"), ("f-4", "confirmed")):
            (listed,) = lookup(worker, account, TOKEN)[1]["open_escalations"]
            decided = {p: (v["decision"], v["reviewer"]) for p, v in listed["verdicts"].items()}
            assert decided == {"*": (verdict, "rev-1")}
        assert gauge(worker, "riskscorer_rule_decisions", rule="message_burst", decision="dismissed") == 3
        assert gauge(worker, "riskscorer_rule_decisions", rule="message_burst", decision="confirmed") == 1
        assert gauge(worker, "riskscorer_rule_precision_floor", rule="message_burst") == 0.5
        wait_for(lambda: "rules in shadow mode by reviewers' verdicts: message_burst" in worker.log_text(),
                 "demotion not applied", timeout=30)

        # A demoted rule still computes (shadow topic), but escalates nothing.
        produce(services.broker_url, burst("f-5", 16, messages))
        shadow = read_all(services.broker_url, env["RISKSCORER_TOPIC_SHADOW"], 1)
        assert {s["account_id"] for s in shadow} == {"f-5"}

        reinstated = subprocess.run([sys.executable, "-m", "streams", "reinstate-rule", "message_burst"],
                                    env=env, capture_output=True, text=True, timeout=60)
        assert reinstated.returncode == 0, reinstated.stderr
        wait_for(lambda: gauge(worker, "riskscorer_rule_demoted", rule="message_burst") == 0,
                 "reinstated rule still demoted", timeout=30)
        # measured afresh: no precision until new verdicts, so no alert on the old figure
        wait_for(lambda: gauge(worker, "riskscorer_rule_precision", rule="message_burst") is None,
                 "reinstated rule still shows its old precision", timeout=30)
        wait_for(lambda: worker.log_text().count("rules in shadow mode by reviewers' verdicts: none") >= 1,
                 "reinstatement not applied", timeout=30)
        produce(services.broker_url, burst("f-6", 16, messages))
        after = read_all(services.broker_url, env["RISKSCORER_TOPIC_ESCALATIONS"], len(senders) + 1)
        # measured on the escalations published since: an old one's verdict, re-sent, no longer counts
        new = next(e["escalation_id"] for e in after if e["account_id"] == "f-6")
        produce(services.broker_url, [(decisions, k.encode(), v) for k, v in (
            decision(by_account["f-2"], "dismissed", ts=int(time.time() * 1000) + 60_000), decision(new, "confirmed"))])
        wait_for(lambda: gauge(worker, "riskscorer_rule_decisions", rule="message_burst", decision="confirmed") == 1,
                 "the new escalation's verdict not counted", timeout=30)
        assert gauge(worker, "riskscorer_rule_decisions", rule="message_burst", decision="dismissed") == 0
        dead = read_all(services.broker_url, env["RISKSCORER_TOPIC_DEADLETTER"], 3)
        # the worker counts every subject event it sent, the dismissals among them
        subject_events = read_all(services.broker_url, env["RISKSCORER_TOPIC_SUBJECTS"], 3)
        wait_for(lambda: gauge(worker, "riskscorer_records_sent_total", output="subjects") == len(subject_events),
                 "subject events sent and counted differ", timeout=10)
        m = worker.metrics()
    finally:
        worker.stop()
    assert sorted(e["account_id"] for e in after) == [*senders, "f-6"]
    assert sorted((d["reason"], d["topic"]) for d in dead) == [("bad_json", decisions), ("bad_value", decisions),
                                                                ("unknown_escalation", decisions)]
    assert m["riskscorer_decisions_total:"] == 7
    assert m["riskscorer_dead_letters_total:unknown_escalation"] == 1

    states = final_states(services.broker_url, env["RISKSCORER_APP_ID"])
    spam = {k.decode(): s["s"].get("spam_scam", [0])[0] for k, s in states.items() if k.decode() in senders}
    assert spam["f-4"] >= 1.0  # confirmed: its evidence stays
    assert spam["f-1"] == spam["f-2"] == spam["f-3"] == 0  # dismissed up to the escalation
    assert all(not states[a.encode()]["v"].get("spam_scam") for a in ("f-1", "f-2", "f-3"))


def escalation_of(events: list[tuple[str, bytes, bytes]], rules_file) -> str:  # noqa: ANN001
    """The id the worker will give the one escalation of `events` (the backtest's, the same on any replay)."""
    recorded = [RecordedEvent("messages", k.decode(), orjson.loads(v)["ts"], orjson.loads(v)) for _, k, v in events]
    (esc,) = backtest.run(recorded, load_rules(rules_file), 65536, 20000).escalations
    return esc.escalation_id


def test_a_decision_that_comes_before_its_escalation_waits_for_it(services, tmp_path):
    """A replay reads the decisions topic while it rebuilds its escalations: a dismissal read before
    the escalation it names is stored is applied once it is, not dead-lettered."""
    env = scorer_env(services.broker_url, services.redis_url, tmp_path, RISKSCORER_RULES_POLL_S="0.5")
    messages, decisions = env["RISKSCORER_TOPIC_MESSAGES"], env["RISKSCORER_TOPIC_DECISIONS"]
    events = burst("f-9", 16, messages)
    escalation_id = escalation_of(events, DEFAULT_RULES)
    worker = Worker(env, tmp_path).start()
    try:
        worker.wait_ready()
        produce(services.broker_url, [(decisions, escalation_id.encode(), decision(escalation_id, "dismissed")[1])])
        wait_for(lambda: gauge(worker, "riskscorer_decisions_waiting") == 1, "the decision is not waiting")
        produce(services.broker_url, events)
        (published,) = read_all(services.broker_url, env["RISKSCORER_TOPIC_ESCALATIONS"], 1)
        assert published["escalation_id"] == escalation_id
        wait_for(lambda: gauge(worker, "riskscorer_rule_decisions", rule="message_burst", decision="dismissed") == 1,
                 "the waiting decision was not applied", timeout=30)
        wait_for(lambda: gauge(worker, "riskscorer_decisions_waiting") == 0, "still waiting")
        # a dismissal decided before a confirmation already applied changes nothing
        produce(services.broker_url, burst("f-8", 16, messages))
        other = next(e["escalation_id"] for e in read_all(services.broker_url, env["RISKSCORER_TOPIC_ESCALATIONS"], 2)
                     if e["account_id"] == "f-8")
        now = int(time.time() * 1000)
        produce(services.broker_url, [(decisions, other.encode(), decision(other, "confirmed", ts=now)[1]),
                                      (decisions, other.encode(), decision(other, "dismissed", ts=now - 60_000)[1])])
        wait_for(lambda: gauge(worker, "riskscorer_rule_decisions", rule="message_burst", decision="confirmed") == 1,
                 "the confirmation was not applied", timeout=30)
        wait_for(lambda: worker.metrics().get("riskscorer_decisions_total:") == 3, "the dismissal not read")
        dismissed = gauge(worker, "riskscorer_rule_decisions", rule="message_burst", decision="dismissed")
        m = worker.metrics()
    finally:
        worker.stop()
    assert m.get("riskscorer_dead_letters_total:unknown_escalation", 0) == 0
    assert m["riskscorer_decisions_total:"] == 3
    assert dismissed == 1  # f-9's only
    states = final_states(services.broker_url, env["RISKSCORER_APP_ID"])
    assert states[b"f-9"]["s"]["spam_scam"][0] == 0  # its evidence taken out of the score
    assert states[b"f-8"]["s"]["spam_scam"][0] >= 1.0  # the later confirmation stands
