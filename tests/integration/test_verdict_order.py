"""Of two verdicts on one escalation, the one decided later stands, whichever arrives last: in the
rule counts, the labelled texts and the support lookup (a real Redis)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from redis.asyncio import Redis

from scoring.escalation import Escalation
from scoring.records import Decision
from streams.adapters.profiles import ProfileStore
from streams.training.verdicts import ExampleStore
from streams.worker.agents.reviewer import VerdictStore

pytestmark = pytest.mark.integration

ESCALATION = {"account_id": "f1", "policies": ["off_platform_contact", "spam_scam"], "ts": 500,
              "rules": ["text_contact_detail"], "rule_policies": {"text_contact_detail": ["off_platform_contact"]},
              "texts": [{"policy": "off_platform_contact", "event_id": "m1", "kind": "message",
                         "body": "mail me at a@b.example", "model_version": "text-x"}]}


def verdict(decision: str, ts: int, policy: str = "") -> Decision:
    return Decision("e1", decision, "rev", ts=ts, policy=policy)


async def replay(redis_url: str) -> dict[str, Any]:
    redis, app = Redis.from_url(redis_url), f"test-{uuid.uuid4().hex[:8]}"
    rules, examples, profiles = VerdictStore(redis, app), ExampleStore(redis, app), ProfileStore(redis, 600, app)
    out: dict[str, Any] = {}

    async def apply(*decisions: Decision) -> None:
        await rules.record((d.escalation_id, d.decision, d.ts, ["text_contact_detail"]) for d in decisions)
        await examples.record((d, ESCALATION) for d in decisions)
        await profiles.decided((d, ESCALATION) for d in decisions)

    published = Escalation("e1", "f1", ("off_platform_contact", "spam_scam"), 2.0, {}, "high", ("why",), (),
                           "v1", "text-x", 500, "m1")
    await profiles.write({"f1": {"scores": {}}}, [published])

    async def seen(label: str) -> None:
        profile = await profiles.read("f1")
        assert profile is not None
        out[label] = ((await rules.counts(["text_contact_detail"]))["text_contact_detail"],
                      [e["decision"] for e in await examples.read()],
                      {p: v["decision"] for p, v in profile["escalations"][0]["verdicts"].items()})

    try:
        await apply(verdict("dismissed", 2000))
        await apply(verdict("confirmed", 1000))  # decided before, delivered after
        await seen("older arrives last")
        await apply(verdict("confirmed", 3000), verdict("dismissed", 2500))  # one batch, out of order
        await seen("one batch")
        await apply(verdict("dismissed", 4000, policy="off_platform_contact"))
        await apply(verdict("confirmed", 5000))  # the whole escalation, after the policy's verdict
        await seen("whole after one policy")
        verdicts, counts = rules._keys("text_contact_detail")
        await redis.hset(verdicts, "e2", "dismissed")  # as stored before verdicts kept their time
        await redis.hincrby(counts, "dismissed", 1)
        await rules.record([("e2", "confirmed", 10, ["text_contact_detail"])])
        out["untimed replaced"] = (await rules.counts(["text_contact_detail"]))["text_contact_detail"]
    finally:
        await redis.aclose()
    return out


def test_the_verdict_decided_later_stands_whatever_the_order_of_arrival(services):
    out = asyncio.run(replay(services.redis_url))
    assert out["older arrives last"] == ((0, 1), ["dismissed"], {"*": "dismissed"})
    assert out["one batch"] == ((1, 0), ["confirmed"], {"*": "confirmed"})
    assert out["whole after one policy"] == ((1, 0), ["confirmed"], {"*": "confirmed"})
    assert out["untimed replaced"] == (2, 0)
