"""Latest risk profile per account in Redis, so support tooling on any worker can read it."""

from __future__ import annotations

from typing import Any

import orjson
from redis.asyncio import Redis

from scoring.escalation import Escalation
from scoring.rules import rule_of

PROFILE_KEY = "riskscorer:profile:{}"
ESCALATIONS_KEY = "riskscorer:escalations:{}"
ESCALATION_KEY = "riskscorer:escalation:{}"  # by escalation id: what a reviewer's decision refers to


class ProfileStore:
    def __init__(self, redis: Redis, ttl_s: int) -> None:
        self.redis = redis
        self.ttl_s = ttl_s

    async def write(self, profiles: dict[str, dict[str, Any]], escalations: list[Escalation]) -> None:
        """One pipelined round trip for the whole batch."""
        if not profiles and not escalations:
            return
        pipe = self.redis.pipeline(transaction=False)
        for account, profile in profiles.items():
            key = PROFILE_KEY.format(account)
            pipe.hset(key, mapping={k: orjson.dumps(v) for k, v in profile.items()})
            pipe.expire(key, self.ttl_s)
        for esc in escalations:
            key = PROFILE_KEY.format(esc.account_id)
            pipe.hset(key, mapping={"last_escalation": orjson.dumps(esc.to_dict())})
            pipe.expire(key, self.ttl_s)
            listed = ESCALATIONS_KEY.format(esc.account_id)
            pipe.hset(listed, esc.escalation_id, orjson.dumps(_summary(esc)))
            pipe.expire(listed, self.ttl_s)
            pipe.set(ESCALATION_KEY.format(esc.escalation_id), orjson.dumps(reviewed(esc)), ex=self.ttl_s)
        await pipe.execute()

    async def escalations(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """What reviewers' decisions need of each known escalation (see `reviewed`)."""
        if not ids:
            return {}
        raw = await self.redis.mget([ESCALATION_KEY.format(i) for i in ids])
        return {i: orjson.loads(v) for i, v in zip(ids, raw, strict=True) if v is not None}

    async def read(self, account: str) -> dict[str, Any] | None:
        """The account's profile, with its escalations still within the profile TTL."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.hgetall(PROFILE_KEY.format(account))
        pipe.hgetall(ESCALATIONS_KEY.format(account))
        raw, listed = await pipe.execute()
        if not raw:
            return None
        profile = {_text(k): orjson.loads(v) for k, v in raw.items()}
        profile["escalations"] = sorted(
            (orjson.loads(v) for v in listed.values()), key=lambda e: e["ts"], reverse=True
        )
        return profile


def _text(key: bytes | str) -> str:
    return key.decode() if isinstance(key, bytes) else key


def reviewed(esc: Escalation) -> dict[str, Any]:
    """The escalation as its reviewers' decision is applied: the account, the policies, when,
    the rules whose evidence it carried, and the texts it read (which a verdict labels)."""
    return {
        "account_id": esc.account_id,
        "policies": list(esc.policies),
        "ts": esc.ts,
        "rules": sorted({rule_of(item["detector"]) for item in esc.evidence}),
        "texts": [
            {"policy": item["policy"], "event_id": item["event_id"], **item["text"]}
            for item in esc.evidence if "text" in item
        ],
    }


def _summary(esc: Escalation) -> dict[str, Any]:
    return {
        "escalation_id": esc.escalation_id,
        "policies": list(esc.policies),
        "severity": esc.severity,
        "score": esc.score,
        "reasons": list(esc.reasons),
        "ts": esc.ts,
        "rule_version": esc.rule_version,
        "model_version": esc.model_version,
    }
