"""Reviewers' verdicts as labelled text: the texts an escalation read, labelled by its verdict.

A confirmed escalation's texts show its policies; a dismissed one's do not. They are kept in
Redis, one field per (escalation, event, policy), so a verdict re-delivered or changed later
replaces the earlier one. `riskscorer train-text` reads them (or a JSONL export of them) as
training examples that outweigh every other source (`streams.training.fit.SOURCE_WEIGHT`).
Reviewers decide at human pace, so the store grows by a few thousand entries a day at most;
it has no expiry, since the verdicts are the team's own labelled data.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from redis.asyncio import Redis

from scoring.records import Decision
from streams.adapters import keys
from streams.training.examples import Example


def examples_key(app_id: str) -> str:
    return keys.key(keys.TEXT_EXAMPLES, app_id)


def entries(decision: Decision, escalation: dict[str, Any]) -> dict[str, bytes]:
    """The store's fields for one verdict on one escalation (see `streams.adapters.profiles.reviewed`)."""
    out = {}
    for text in escalation.get("texts", ()):
        field = f"{decision.escalation_id}:{text['event_id']}:{text['policy']}"
        out[field] = orjson.dumps({
            "text": text["body"], "kind": text["kind"], "policy": text["policy"],
            "decision": decision.decision, "reviewer": decision.reviewer,
            "escalation_id": decision.escalation_id, "model_version": text["model_version"],
            "ts": decision.ts,
        })
    return out


class ExampleStore:
    def __init__(self, redis: Redis, app_id: str) -> None:
        self.redis = redis
        self.key = examples_key(app_id)

    async def record(self, verdicts: Iterable[tuple[Decision, dict[str, Any]]]) -> int:
        """Store the texts of decided escalations; the number of fields written."""
        fields: dict[str, bytes] = {}
        for decision, escalation in verdicts:
            fields.update(entries(decision, escalation))
        if fields:
            await self.redis.hset(self.key, mapping=fields)  # type: ignore[arg-type]
        return len(fields)

    async def read(self) -> list[dict[str, Any]]:
        """Every stored entry, in field order (stable across reads)."""
        raw = await self.redis.hgetall(self.key)
        return [orjson.loads(raw[k]) for k in sorted(raw)]


def to_examples(records: Iterable[dict[str, Any]]) -> list[Example]:
    """One example per distinct (text, kind): positive for the policies its latest verdict
    confirmed, negative for those it dismissed, unknown for the rest. Verdicts on the same text
    and policy from several escalations: the latest decision (by its time) stands."""
    latest: dict[tuple[str, str, str], str] = {}
    for rec in sorted(records, key=lambda r: r.get("ts", 0)):  # stable: equal times keep their order
        latest[(rec["text"], rec["kind"], rec["policy"])] = rec["decision"]
    found: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for (text, kind, policy), decision in latest.items():
        positive, negative = found.setdefault((text, kind), (set(), set()))
        (positive if decision == "confirmed" else negative).add(policy)
    return [
        Example(text, kind, frozenset(pos), frozenset(neg), "verdict")
        for (text, kind), (pos, neg) in sorted(found.items())
    ]
