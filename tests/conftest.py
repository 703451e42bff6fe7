"""Fixtures shared by every tier: the real broker and Redis, started when no URL is given."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from streams.commands import embedded


@dataclass(frozen=True)
class Services:
    broker_url: str
    redis_url: str


@pytest.fixture(scope="session")
def services() -> Iterator[Services]:
    """The broker and Redis under test: RISKSCORER_TEST_BROKER_URL / _REDIS_URL, or embedded."""
    broker = os.environ.get("RISKSCORER_TEST_BROKER_URL")
    redis = os.environ.get("RISKSCORER_TEST_REDIS_URL")
    started = embedded.start(broker is None, redis is None)
    try:
        yield Services(
            broker_url=broker or f"127.0.0.1:{started.broker.port}",  # type: ignore[union-attr]
            redis_url=redis or f"redis://127.0.0.1:{started.redis.port}",  # type: ignore[union-attr]
        )
    finally:
        started.stop()
