"""The one `faust.App`, built from the settings, with its topics, table, agent and pages."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

import faust
from faust.sensors.prometheus import setup_prometheus_sensors
from faust.types import TP
from prometheus_client import CollectorRegistry
from redis.asyncio import Redis

from scoring.rules import Rules
from streams import faust_fixes
from streams.adapters import keys
from streams.adapters.floors import Floors
from streams.adapters.letter_index import RedisLetterIndex
from streams.adapters.link_index import LinkIndex, NoLinkIndex, RedisLinkIndex
from streams.adapters.profiles import ProfileStore
from streams.adapters.waiting import WaitingDecisions
from streams.batch import processes
from streams.batch.pipeline import Processor
from streams.faust_fixes import seeks
from streams.faust_fixes.acks import acknowledge, release_when_held
from streams.faust_fixes.continuity import Continuity, Refetcher
from streams.faust_fixes.producer import aiokafka_producer, broker_metadata
from streams.faust_fixes.sensors import LeanPrometheusMonitor
from streams.training.verdicts import ExampleStore
from streams.worker import security, tables, topics, web
from streams.worker.agents.reviewer import DecisionsAgent, RuleBoard, VerdictStore
from streams.worker.agents.score import ScoreAgent
from streams.worker.health import BROKER, REDIS, Health, broker_request
from streams.worker.metrics import Metrics
from streams.worker.ordering import Reorder
from streams.worker.rules_reload import Reloader
from streams.worker.settings import Settings

log = logging.getLogger(__name__)

# Used only when no broker is configured and the command does not consume (classify, simulate
# to a file); `riskscorer worker` starts the embedded broker instead.
UNUSED_BROKER = "kafka://127.0.0.1:1"


@dataclass(frozen=True, slots=True)
class Scorer:
    app: faust.App
    settings: Settings
    rules: Rules
    metrics: Metrics
    registry: CollectorRegistry
    topics: topics.Topics


def _faust_config(settings: Settings) -> dict[str, Any]:
    brokers = (
        [f"kafka://{h}" for h in settings.broker_hosts] if settings.broker_url else [UNUSED_BROKER]
    )
    return {
        "broker": brokers,
        "store": "memory://",
        "topic_partitions": settings.partitions,
        "topic_allow_declare": True,
        "web_host": settings.web_host,  # the name the worker gives itself
        "web_bind": settings.web_host,  # the interface it listens on (Faust's default: every one)
        "web_port": settings.web_port,
        "datadir": str(settings.data_dir),
        "broker_session_timeout": settings.session_timeout_s,
        "broker_heartbeat_interval": max(1.0, settings.session_timeout_s / 6),
        "broker_rebalance_timeout": settings.session_timeout_s * 2,
        "consumer_auto_offset_reset": "earliest",
        "stream_buffer_maxsize": settings.stream_buffer,
        "producer_acks": -1,
        "web_enabled": True,
        "broker_credentials": security.faust_credentials(settings),
        # Faust's own pages would answer anyone: which worker holds an account (/router/...),
        # table contents (/table/...), the topology and statistics. The scorer serves only
        # /metrics, /ready and the token-protected lookup (streams/worker/web.py).
        "web_router_enabled": False,
        "web_tables_enabled": False,
        "web_graph_enabled": False,
        "web_stats_enabled": False,
        "web_metrics_enabled": False,
    }


BROKER_PROBE_TIMEOUT_S = 5.0


def create(settings: Settings, rules: Rules) -> Scorer:
    faust_fixes.install(settings.fetch_wait_ms)
    app = faust.App(settings.app_id, **_faust_config(settings))
    continuity = Continuity()
    seeks.follow(app, continuity)
    registry, metrics, health = _observability(app, rules)
    release_when_held(app, lambda: bool(health.down))
    defined = topics.define(app, settings)
    table = tables.define(app, settings)
    redis = Redis.from_url(settings.redis_url or "redis://127.0.0.1:1", **security.redis_options(settings))
    profiles = ProfileStore(redis, settings.profile_ttl_s, settings.app_id)
    web.register(app, profiles, settings.api_token)
    web.readiness(app, health)
    processor = Processor(rules, settings.max_event_bytes, settings.max_text_chars)
    verdicts = VerdictStore(redis, settings.app_id)
    reloader = Reloader(redis, settings.app_id, processor, metrics, verdicts.demoted_key)
    board = RuleBoard(verdicts, metrics, lambda: reloader.published)
    _timers(app, settings, health, reloader, board)
    agent = _score_agent(app, settings, processor, defined, table, continuity, profiles, metrics, health, redis)
    app.agent(defined.inputs, name="score")(agent.run)
    _hand_over_on_revoke(app, agent)
    decisions = DecisionsAgent(
        topics=defined, profiles=profiles, store=verdicts, board=board,
        examples=ExampleStore(redis, settings.app_id), metrics=metrics,
        max_text_chars=settings.max_text_chars, batch_max=settings.batch_max,
        batch_window_s=settings.batch_window_ms / 1000,
        producer=lambda: aiokafka_producer(app),
        health=health,
        attempts=settings.batch_attempts,
        stopping=lambda: _agent_stopping(app, "decisions"),
        waiting=WaitingDecisions(redis, settings.app_id),
        wait_ms=int(settings.decision_wait_s * 1000), wait_max=settings.decision_wait_max,
        max_event_bytes=settings.max_event_bytes,
        worker_id=uuid.uuid4().hex,
    )
    app.agent(defined.decisions, name="decisions")(decisions.run)
    app.timer(settings.rules_poll_s)(health.guarded(decisions.retry_waiting, needs=REDIS))
    return Scorer(app, settings, rules, metrics, registry, defined)


def _agent_stopping(app: faust.App, name: str) -> bool:
    """Whether Faust is stopping the agent registered as `name`."""
    agent = app.agents.get(name)
    return agent is not None and bool(agent.should_stop)


def _hand_over_on_revoke(app: faust.App, agent: ScoreAgent) -> None:
    """Faust awaits its partitions-revoked signal before the worker rejoins the group: the agent
    finishes what it was writing then (`ScoreAgent.hand_over_partitions`)."""

    def hand_over(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> Awaitable[None]:
        return agent.hand_over_partitions()

    app.on_partitions_revoked.connect(hand_over)


def _observability(app: faust.App, rules: Rules) -> tuple[CollectorRegistry, Metrics, Health]:
    registry = CollectorRegistry()
    setup_prometheus_sensors(app, pattern="/metrics", registry=registry, name_prefix="faust")
    app.monitor = LeanPrometheusMonitor.replacing(app.monitor)  # same metrics, less work per event
    metrics = Metrics.create(registry)
    metrics.rules_info.labels(rules.version).set(1)
    for rule in rules.detectors:
        metrics.exempt_hits.labels(rule)  # exported at 0: allow-listed accounts may never act
        metrics.shadow_withdrawals.labels(rule)  # at 0: a rule's first one is then a rise
    return registry, metrics, Health(metrics.dependency_up)


def _timers(app: faust.App, settings: Settings, health: Health, reloader: Reloader, board: RuleBoard) -> None:
    # Timers end the worker when they raise: an outage of Redis is waited out instead.
    app.timer(settings.rules_poll_s)(health.guarded(reloader.poll, needs=REDIS))
    app.timer(settings.rules_poll_s)(health.guarded(board.refresh, needs=REDIS))
    # Batches find an outage when there are events; this finds one when there are none.
    app.timer(settings.rules_poll_s, name="broker_probe")(
        health.probe(BROKER, broker_request(settings, lambda: broker_metadata(app)), BROKER_PROBE_TIMEOUT_S))


def _score_agent(app: faust.App, settings: Settings, processor: Processor, defined: topics.Topics, table: Any,
                 continuity: Continuity, profiles: ProfileStore, metrics: Metrics, health: Health,
                 redis: Redis) -> ScoreAgent:
    links: LinkIndex = NoLinkIndex() if not settings.links_shards else RedisLinkIndex(
        redis, settings.links_ttl_s, settings.links_max_per_fingerprint,
        prefix=keys.key(keys.LINKS, settings.app_id), shards=settings.links_shards)
    letters = RedisLetterIndex(redis, settings.letters_ttl_s, settings.letters_max_per_band,
                               prefix=keys.key(keys.LETTERS, settings.app_id))
    across = settings.reorder_scope == "all"
    return ScoreAgent(
        topics=defined,
        table=table,
        scoring=processes.create(processor, settings.scoring_processes, settings.scoring_timeout_s),
        profiles=profiles,
        links=links,
        letters=letters,
        metrics=metrics,
        batch_max=settings.batch_max,
        batch_window_s=settings.batch_window_ms / 1000,
        producer=lambda: aiokafka_producer(app),
        continuity=continuity,
        refetcher=Refetcher(settings.broker_hosts if settings.broker_url else [],
                            client=security.aiokafka_options(settings)),
        mark_read=lambda h: seeks.mark_read(app, h.topic, h.partition, h.start, h.end),
        health=health,
        attempts=settings.batch_attempts,
        reorder=Reorder(settings.reorder_window_ms, {t: rank for rank, t in enumerate(defined.kind_of)},
                        settings.reorder_max_events, followers=frozenset({settings.topic_subjects}),
                        gated=settings.topic_proposals, numbers=settings.partitions if across else 0),
        floors=Floors(redis, keys.key(keys.FLOORS, settings.app_id), settings.letters_ttl_s) if across else None,
        gate_max_s=settings.reorder_gate_max_ms / 1000,
        hand_over_s=settings.session_timeout_s / 2,  # within the rebalance's timeout
        rebalancing=lambda: bool(app.rebalancing),
        assigned=lambda: [(tp.topic, tp.partition) for tp in app.consumer.assignment()
                          if tp.topic in defined.kind_of],
        highwater=lambda key: app.consumer.highwater(TP(*key)),
        ack=lambda event: acknowledge(app.consumer, event),
        stopping=lambda: _agent_stopping(app, "score"),
    )
