"""Rules without a redeploy: a new rules file published to Redis reaches every worker.

`riskscorer publish-rules FILE` validates the file and stores its text under
one Redis key. Each worker polls that key; a new text is parsed and, when
valid, swapped in between two batches (atomically: a batch sees one version).
An invalid one is logged, counted, and the rules in force stay.
"""

from __future__ import annotations

import hashlib
import logging

from redis.asyncio import Redis

from scoring.rules import Rules, RulesError
from streams.adapters import keys
from streams.batch.pipeline import Processor
from streams.batch.rules_file import parse_text
from streams.worker.metrics import Metrics


def rules_key(app_id: str) -> str:
    return keys.key(keys.RULES, app_id)
log = logging.getLogger(__name__)


async def publish(redis: Redis, app_id: str, text: str) -> Rules:
    """Validate, then store the rules text for every worker; return the parsed rules."""
    rules = parse_text(text)
    await redis.set(rules_key(app_id), text.encode())
    return rules


class Reloader:
    """Keeps the processor's rules current: the published version, with the rules that
    reviewers' verdicts demoted (`streams.worker.agents.reviewer`) in shadow mode."""

    def __init__(self, redis: Redis, app_id: str, processor: Processor, metrics: Metrics,
                 demoted_key: str) -> None:
        self.redis = redis
        self.key = rules_key(app_id)
        self.demoted_key = demoted_key
        self.processor = processor
        self.metrics = metrics
        self.seen: str | None = None
        self.published = processor.rules  # before demotions

    async def poll(self) -> None:
        pipe = self.redis.pipeline(transaction=False)
        pipe.get(self.key)
        pipe.hkeys(self.demoted_key)
        raw, demoted = await pipe.execute()
        if raw is not None:
            self._take(raw if isinstance(raw, bytes) else raw.encode())
        names = frozenset(k.decode() if isinstance(k, bytes) else k for k in demoted)
        if names != self.processor.rules.demoted:
            self.processor.rules = self.published.with_demoted(names)
            log.warning("rules in shadow mode by reviewers' verdicts: %s", ", ".join(sorted(names)) or "none")

    def _take(self, data: bytes) -> None:
        digest = hashlib.sha256(data).hexdigest()
        if digest == self.seen:
            return
        self.seen = digest
        try:
            rules = parse_text(data.decode(), self.processor.rules.text_model)
        except (RulesError, UnicodeDecodeError) as exc:
            self.metrics.rules_rejected.inc()
            log.error("rejected published rules, keeping version %s: %s", self.published.version, exc)
            return
        old = self.published.version
        self.published = rules
        self.processor.rules = rules.with_demoted(self.processor.rules.demoted)
        self.metrics.rules_info.clear()
        self.metrics.rules_info.labels(rules.version).set(1)
        self.metrics.rules_reloads.inc()
        log.warning("rules reloaded: version %s -> %s", old, rules.version)
