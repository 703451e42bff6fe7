"""Rules without a redeploy: a new rules file published to Redis reaches every worker.

`riskscorer publish-rules FILE` validates the file and stores its text under
one Redis key. Each worker polls that key; a new text is parsed and, when
valid, swapped in between two batches (atomically: a batch sees one version).
An invalid one is logged, counted, and the rules in force stay.
"""

from __future__ import annotations

import hashlib
import logging
import tomllib

from redis.asyncio import Redis

from scoring.rules import Rules, RulesError, parse_rules
from streams.metrics import Metrics
from streams.pipeline import Processor

RULES_KEY = "riskscorer:{}:rules"  # per app id: deployments sharing a Redis stay apart


def rules_key(app_id: str) -> str:
    return RULES_KEY.format(app_id)
log = logging.getLogger(__name__)


def parse_text(text: str) -> Rules:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"not valid TOML: {exc}") from None
    return parse_rules(raw)


async def publish(redis: Redis, app_id: str, text: str) -> Rules:
    """Validate, then store the rules text for every worker; return the parsed rules."""
    rules = parse_text(text)
    await redis.set(rules_key(app_id), text.encode())
    return rules


class Reloader:
    def __init__(self, redis: Redis, app_id: str, processor: Processor, metrics: Metrics) -> None:
        self.redis = redis
        self.key = rules_key(app_id)
        self.processor = processor
        self.metrics = metrics
        self.seen: str | None = None

    async def poll(self) -> None:
        raw = await self.redis.get(self.key)
        if raw is None:
            return
        data = raw if isinstance(raw, bytes) else raw.encode()
        digest = hashlib.sha256(data).hexdigest()
        if digest == self.seen:
            return
        self.seen = digest
        try:
            rules = parse_text(data.decode())
        except (RulesError, UnicodeDecodeError) as exc:
            self.metrics.rules_rejected.inc()
            log.error("rejected published rules, keeping version %s: %s",
                      self.processor.rules.version, exc)
            return
        old = self.processor.rules.version
        self.processor.rules = rules
        self.metrics.rules_info.clear()
        self.metrics.rules_info.labels(rules.version).set(1)
        self.metrics.rules_reloads.inc()
        log.warning("rules reloaded: version %s -> %s", old, rules.version)
