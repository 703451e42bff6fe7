"""At most one escalation per account and policy per cooldown period, also across a restart
of every worker: the cooldown lives in the account's state, restored from its changelog."""

from __future__ import annotations

import orjson
import pytest

from tests.integration.kafka_client import produce, read_all
from tests.integration.test_rules_reload import T0
from tests.integration.workers import Worker, scorer_env

pytestmark = pytest.mark.integration

HOUR = 3_600_000


def burst(sender: str, start: int, tag: str, topic: str, n: int = 16) -> list[tuple[str, bytes, bytes]]:
    return [
        (topic, sender.encode(), orjson.dumps({
            "event_id": f"{sender}-{tag}-{i}", "ts": start + i * 1000, "room_id": f"{sender}:c",
            "sender_id": sender, "recipient_id": "c", "text": "ok",
        }))
        for i in range(n)
    ]


def test_cooldown_survives_a_restart(services, tmp_path):
    env = scorer_env(services.broker_url, services.redis_url, tmp_path)
    topic, out = env["RISKSCORER_TOPIC_MESSAGES"], env["RISKSCORER_TOPIC_ESCALATIONS"]
    first = Worker(env, tmp_path).start()
    try:
        first.wait_ready()
        produce(services.broker_url, burst("f-cd", T0, "a", topic))
        assert len(read_all(services.broker_url, out, 1)) == 1
    finally:
        assert first.stop() == 0

    second = Worker(env, tmp_path).start()
    try:
        second.wait_ready()
        # Same cooldown period (24 hours from T0, a period boundary): no second escalation.
        produce(services.broker_url, burst("f-cd", T0 + HOUR, "b", topic))
        second.wait_processed(16 + 1)  # this worker's own: the second burst and its reply notice
        # The next period: a new one.
        produce(services.broker_url, burst("f-cd", T0 + 25 * HOUR, "c", topic))
        escalations = read_all(services.broker_url, out, 2)
    finally:
        second.stop()
    assert [(e["account_id"], e["trigger_event_id"]) for e in sorted(escalations, key=lambda e: e["ts"])] == [
        ("f-cd", "f-cd-a-15"), ("f-cd", "f-cd-c-15")]
