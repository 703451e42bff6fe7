"""The Kafka topics: five raw-bytes inputs, reviewers' decisions, the escalations out, the dead letters."""

from __future__ import annotations

from dataclasses import dataclass

import faust
from faust.types import TopicT

from streams.worker.settings import Settings


@dataclass(frozen=True, slots=True)
class Topics:
    inputs: TopicT  # the five input topics and the subject events, one co-partitioned subscription
    kind_of: dict[str, str]  # topic name -> schema name
    escalations: TopicT
    dead_letters: TopicT
    subjects: TopicT
    shadow: TopicT
    decisions: TopicT  # reviewers' verdicts, keyed by escalation id


def _raw(app: faust.App, *names: str, partitions: int) -> TopicT:
    return app.topic(
        *names,
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
        partitions=partitions,
    )


def define(app: faust.App, settings: Settings) -> Topics:
    names = settings.consumed_topics
    return Topics(
        inputs=_raw(app, *names.values(), partitions=settings.partitions),
        kind_of={topic: kind for kind, topic in names.items()},
        escalations=_raw(app, settings.topic_escalations, partitions=settings.partitions),
        dead_letters=_raw(app, settings.topic_deadletter, partitions=settings.partitions),
        subjects=_raw(app, settings.topic_subjects, partitions=settings.partitions),
        shadow=_raw(app, settings.topic_shadow, partitions=settings.partitions),
        decisions=_raw(app, settings.topic_decisions, partitions=settings.partitions),
    )


def changelog_topic_name(settings: Settings) -> str:
    """The state table's changelog, named as Faust names it."""
    return f"{settings.app_id}-account_state-changelog"


def all_topic_names(settings: Settings) -> list[str]:
    """Every topic the scorer reads or writes, for creation up front (the changelog too:
    states are sent to it by partition, which must exist before the first batch)."""
    return [
        *settings.consumed_topics.values(),
        settings.topic_escalations,
        settings.topic_deadletter,
        settings.topic_shadow,
        settings.topic_decisions,
        changelog_topic_name(settings),
    ]
