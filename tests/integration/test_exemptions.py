"""Exemptions from the rules file on a running worker: an allow-listed account is never
escalated (its hits are counted apart), and a bring-your-own-client pair may swap contacts."""

from __future__ import annotations

import orjson
import pytest

from streams.worker.settings import DEFAULT_RULES
from tests.integration.kafka_client import produce, read_all
from tests.integration.test_rules_reload import T0, burst
from tests.integration.workers import Worker, scorer_env

pytestmark = pytest.mark.integration

EMAIL = "sure, my email is jane.doe.designs@gmail.com, write me there"


def message(sender: str, recipient: str, text: str, topic: str) -> tuple[str, bytes, bytes]:
    return topic, sender.encode(), orjson.dumps({
        "event_id": f"{sender}-x", "ts": T0, "room_id": f"{sender}:{recipient}", "sender_id": sender,
        "recipient_id": recipient, "text": text, "contract_stage": "pre_contract"})


def test_allow_listed_accounts_and_own_clients(services, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text(DEFAULT_RULES.read_text().replace(
        "accounts = []\nrelationships = []", 'accounts = ["f-vip"]\nrelationships = [["f-own", "c-own"]]'))
    env = scorer_env(services.broker_url, services.redis_url, tmp_path, RISKSCORER_RULES_FILE=str(rules))
    topic = env["RISKSCORER_TOPIC_MESSAGES"]
    events = burst("f-vip", 16, topic) + burst("f-other", 16, topic)
    events += [message("f-own", "c-own", EMAIL, topic), message("f-stranger", "c-new", EMAIL, topic)]
    worker = Worker(env, tmp_path).start()
    try:
        worker.wait_ready()
        produce(services.broker_url, events)
        escalations = read_all(services.broker_url, env["RISKSCORER_TOPIC_ESCALATIONS"], 2)
        m = worker.metrics()
    finally:
        worker.stop()
    assert sorted((e["account_id"], e["policies"]) for e in escalations) == [
        ("f-other", ["spam_scam"]), ("f-stranger", ["off_platform_contact"])]
    assert m["riskscorer_exempt_hits_total"] >= 1
