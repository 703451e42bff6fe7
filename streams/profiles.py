"""Latest risk profile per account in Redis, so support tooling on any worker can read it."""

from __future__ import annotations

from typing import Any

import orjson
from redis.asyncio import Redis

from scoring.escalation import Escalation

PROFILE_KEY = "riskscorer:profile:{}"
ESCALATIONS_KEY = "riskscorer:escalations:{}"


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
        await pipe.execute()

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


def _summary(esc: Escalation) -> dict[str, Any]:
    return {
        "escalation_id": esc.escalation_id,
        "policies": list(esc.policies),
        "severity": esc.severity,
        "score": esc.score,
        "reasons": list(esc.reasons),
        "ts": esc.ts,
        "rule_version": esc.rule_version,
    }
