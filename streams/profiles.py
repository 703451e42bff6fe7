"""Latest risk profile per account in Redis, so support tooling on any worker can read it."""

from __future__ import annotations

from typing import Any

import orjson
from redis.asyncio import Redis

from scoring.escalation import Escalation

PROFILE_KEY = "riskscorer:profile:{}"


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
            pipe.hset(key, mapping={"scores": orjson.dumps(profile["scores"])})
            pipe.expire(key, self.ttl_s)
        for esc in escalations:
            key = PROFILE_KEY.format(esc.account_id)
            pipe.hset(key, mapping={"last_escalation": orjson.dumps(esc.to_dict())})
            pipe.expire(key, self.ttl_s)
        await pipe.execute()

    async def read(self, account: str) -> dict[str, Any] | None:
        raw = await self.redis.hgetall(PROFILE_KEY.format(account))
        if not raw:
            return None
        return {
            (k.decode() if isinstance(k, bytes) else k): orjson.loads(v) for k, v in raw.items()
        }
