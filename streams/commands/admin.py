"""Topic creation and checks: source topics must exist, co-partitioned, before a worker starts."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.conn import create_conn
from aiokafka.errors import (
    KafkaConnectionError,
    KafkaError,
    SaslAuthenticationFailed,
    TopicAlreadyExistsError,
    UnsupportedSaslMechanismError,
)

from streams.worker import security
from streams.worker.settings import PREFIX, Settings
from streams.worker.topics import all_topic_names, changelog_topic_name

log = logging.getLogger(__name__)


class TopicError(RuntimeError):
    """A topic is missing or has the wrong partition count."""


class BrokerAuthError(RuntimeError):
    """The broker refused the SASL credentials or mechanism: retrying cannot help."""


async def _check_credentials(settings: Settings) -> None:
    """Raise `BrokerAuthError` when the first broker refuses our SASL login. aiokafka's bootstrap
    only logs that refusal and then reports "Unable to bootstrap", like an unreachable broker."""
    if settings.broker_security_protocol not in security.SASL_PROTOCOLS:
        return
    host, _, port = settings.broker_hosts[0].rpartition(":")
    try:
        conn = await create_conn(host, int(port), **security.aiokafka_options(settings))
    except (SaslAuthenticationFailed, UnsupportedSaslMechanismError) as exc:
        raise BrokerAuthError(
            f"SASL authentication failed: the broker at {host}:{port} refused {PREFIX}BROKER_SASL_USERNAME / "
            f"{PREFIX}BROKER_SASL_PASSWORD with {PREFIX}BROKER_SASL_MECHANISM={settings.broker_sasl_mechanism}: "
            f"{exc}") from None
    except (OSError, KafkaError):  # TimeoutError included
        return  # not a refusal: the caller retries
    conn.close()


async def _admin(settings: Settings, attempts: int = 40) -> AIOKafkaAdminClient:
    for attempt in range(attempts):
        admin = AIOKafkaAdminClient(bootstrap_servers=settings.broker_hosts, **security.aiokafka_options(settings))
        try:
            await admin.start()
            return admin
        except KafkaConnectionError:
            await admin.close()
            await _check_credentials(settings)
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
