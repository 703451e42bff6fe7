"""The text model learns from reviewers: an escalated text, dismissed on the decisions topic, is
stored as a labelled example; `train-text` makes a new model version that no longer flags it;
`backtest --compare` shows the escalation and the text dropped."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import orjson
import pytest
from redis.asyncio import Redis

from scoring.text.detect import analyze
from scoring.text.model import loads, packaged
from scoring.text.types import TextContext
from streams.training.command import DEFAULT_PUBLIC
from streams.training.verdicts import ExampleStore
from streams.worker.settings import DEFAULT_RULES
from tests.integration.kafka_client import produce, read_all
from tests.integration.test_reviewer_loop import decision
from tests.integration.test_rules_reload import T0, wait_for
from tests.integration.workers import Worker, scorer_env

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not DEFAULT_PUBLIC.is_dir(), reason=f"public labelled sets not at {DEFAULT_PUBLIC}"),
]

# A client's job request the packaged model reads as asking for payment outside the platform; it
# is a job about a payment button on the client's own site (a trap in DOMAIN.md), and the reviewer
# dismisses it.
TEXT = "can you add a paypal button so buyers can pay me directly on my site?"
POLICY = "off_platform_payment"


def event(sender: str) -> dict[str, object]:
    return {"event_id": f"{sender}-m1", "ts": T0, "room_id": f"{sender}:c", "sender_id": sender,
            "recipient_id": "c-1", "text": TEXT, "contract_stage": "pre_contract"}


def stored(redis_url: str, app_id: str) -> list[dict[str, object]]:
    async def read() -> list[dict[str, object]]:
        redis = Redis.from_url(redis_url)
        try:
            return await ExampleStore(redis, app_id).read()
        finally:
            await redis.aclose()
    return asyncio.run(read())


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "streams", *args], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_dismissed_text_is_learned_and_the_backtest_shows_it(services, tmp_path):
    assert POLICY in {h.policy for h in analyze(TEXT).hits}, "precondition: the packaged model flags the text"
    env = scorer_env(services.broker_url, services.redis_url, tmp_path)
    sender = "f-verdict"
    worker = Worker(env, tmp_path).start()
    try:
        worker.wait_ready()
        produce(services.broker_url, [(env["RISKSCORER_TOPIC_MESSAGES"], sender.encode(),
                                       orjson.dumps(event(sender)))])
        (escalation,) = read_all(services.broker_url, env["RISKSCORER_TOPIC_ESCALATIONS"], 1)
        assert escalation["policies"] == [POLICY]
        assert escalation["model_version"] == packaged().version
        (item,) = escalation["evidence"]
        assert item["detector"].startswith("text_") and item["text"]["body"] == TEXT
        assert "paypal" in item["reason"].lower() and item["spans"]

        key, verdict = decision(escalation["escalation_id"], "dismissed")
        produce(services.broker_url, [(env["RISKSCORER_TOPIC_DECISIONS"], key.encode(), verdict)])
        wait_for(lambda: stored(services.redis_url, env["RISKSCORER_APP_ID"]), "no example stored", timeout=60)
    finally:
        worker.stop()
    (example,) = stored(services.redis_url, env["RISKSCORER_APP_ID"])
    assert (example["text"], example["policy"], example["decision"]) == (TEXT, POLICY, "dismissed")

    model_file = tmp_path / "model.json.gz"
    cli(env, "train-text", "--out", str(model_file), "--public", str(DEFAULT_PUBLIC))
    new = loads(model_file.read_bytes())
    assert new.version != packaged().version
    assert POLICY not in {h.policy for h in analyze(TEXT, TextContext(), new).hits}

    events = tmp_path / "events.jsonl"
    events.write_text(orjson.dumps({"topic": "messages", "key": sender, "value": event(sender)}).decode() + "\n")
    done = cli(env, "backtest", str(events), "--text-model", str(model_file), "--compare", str(DEFAULT_RULES))
    summary = orjson.loads(done.stdout)
    assert summary["compare"]["dropped"] == [[sender, POLICY]]
    assert summary["compare"]["texts_dropped"] == [[f"{sender}-m1", POLICY]]
    assert summary["escalations"] == 0
    sides = summary["compare"]["new"], summary["compare"]["old"]
    assert [(s["text_model"], s["escalations"]) for s in sides] == [(new.version, 0), (packaged().version, 1)]
