"""Reviewers' decisions measure each rule, demote one under its floor to shadow mode on a running
worker, take dismissed evidence out of the account's score, and bad decisions are dead-lettered."""

from __future__ import annotations

import subprocess
import sys
import time

import orjson
import pytest

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
    for line in (worker.scrape() or "").splitlines():
        if line.startswith(f"{name}{{{want}}} "):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_verdicts_demote_a_rule_and_dismissals_clear_evidence(services, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text(DEFAULT_RULES.read_text().replace("min_decisions = 20", "min_decisions = 4"))
    env = scorer_env(services.broker_url, services.redis_url, tmp_path, RISKSCORER_RULES_POLL_S="0.5",
                     RISKSCORER_RULES_FILE=str(rules), RISKSCORER_API_TOKEN=TOKEN)
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
