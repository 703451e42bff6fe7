"""Topic creation and checks: source topics must exist, co-partitioned, before a worker starts."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, TopicAlreadyExistsError

from streams.worker import security
from streams.worker.settings import Settings
from streams.worker.topics import all_topic_names, changelog_topic_name

log = logging.getLogger(__name__)


class TopicError(RuntimeError):
    """A topic is missing or has the wrong partition count."""


async def _admin(settings: Settings, attempts: int = 40) -> AIOKafkaAdminClient:
    for attempt in range(attempts):
        admin = AIOKafkaAdminClient(bootstrap_servers=settings.broker_hosts, **security.aiokafka_options(settings))
        try:
            await admin.start()
            return admin
        except KafkaConnectionError:
            await admin.close()
            await security.check_login(settings)  # a refusal stops the start: no retry helps
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(0.25)
    raise AssertionError("unreachable")


async def ensure_topics(settings: Settings, replication: int = 1) -> None:
    """Create the scorer's topics that are missing; fail if one has the wrong partition count."""
    names = all_topic_names(settings)
    admin = await _admin(settings)
    try:
        existing = set(await admin.list_topics())
        missing = [n for n in names if n not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                compacted = {"cleanup.policy": "compact"}
                await admin.create_topics([
                    NewTopic(n, settings.partitions, replication,
                             topic_configs=compacted if n == changelog_topic_name(settings) else {})
                    for n in missing
                ])
            log.info("created topics %s with %d partitions", missing, settings.partitions)
        await _check_partitions(admin, names, settings.partitions)
    finally:
        await admin.close()


async def _check_partitions(admin: AIOKafkaAdminClient, names: list[str], wanted: int) -> None:
    for attempt in range(20):
        described = await admin.describe_topics(names)
        counts = {d["topic"]: len(d.get("partitions") or []) for d in described}
        if all(counts.get(n, 0) > 0 for n in names):
            break
        await asyncio.sleep(0.25 * (attempt + 1))
    wrong = {n: c for n, c in counts.items() if c != wanted}
    if wrong:
        raise TopicError(
            f"topics {wrong} do not have RISKSCORER_PARTITIONS={wanted} partitions; the input "
            "topics must be co-partitioned with the state table"
        )
