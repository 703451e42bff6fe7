"""A dependency's state and what the log says of it: once per kind of failure, a refused broker
login named for the settings to change; aiokafka's retries logged once per message a while."""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError
from prometheus_client import CollectorRegistry

from streams.faust_fixes.log_storm import OncePerWhile
from streams.worker.health import BROKER, Health, broker_request, dependency_of
from streams.worker.metrics import Metrics
from streams.worker.security import BrokerAuthError
from streams.worker.settings import Settings

REFUSED = BrokerAuthError("SASL authentication failed: ... RISKSCORER_BROKER_SASL_PASSWORD ...")


def health() -> Health:
    return Health(Metrics.create(CollectorRegistry()).dependency_up)


def test_a_refused_login_puts_the_broker_down():
    assert dependency_of(REFUSED) == BROKER
    h = health()
    h.down_by(BROKER, REFUSED)
    assert h.down == {BROKER} and not h.ready


def test_up_since_is_when_the_last_dependency_down_came_back():
    h = health()
    assert h.up_since == 0.0
    h.down_by(BROKER, KafkaConnectionError())
    h.down_by("redis", ConnectionError())
    h.ok(BROKER)
    assert h.up_since == 0.0  # Redis still down
    h.ok("redis")
    assert h.up_since > 0.0 and not h.down


def test_the_log_says_an_outage_once_and_again_when_its_kind_changes(caplog):
    h = health()
    with caplog.at_level(logging.WARNING, logger="streams.worker.health"):
        for _ in range(3):
            h.down_by(BROKER, KafkaConnectionError("closed"))
            h.down_by(BROKER, KafkaTimeoutError())  # another error, the same kind: unreachable
        for _ in range(3):
            h.down_by(BROKER, REFUSED)
        h.ok(BROKER)
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 3, lines
    assert "unreachable" in lines[0]
    assert "RISKSCORER_BROKER_SASL_PASSWORD" in lines[1] and "until the login is accepted" in lines[1]
    assert "reachable again" in lines[2]


def test_a_failed_broker_request_without_sasl_is_an_outage_as_it_was():
    settings = Settings(broker_url="kafka://127.0.0.1:1")

    async def fails() -> None:
        raise KafkaConnectionError("closed")

    with pytest.raises(KafkaConnectionError):
        asyncio.run(broker_request(settings, fails)())


def record(msg: str, level: int = logging.ERROR, name: str = "aiokafka") -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, ("node",), None)


def test_a_repeated_error_passes_once_a_while_and_counts_what_it_held():
    now = [0.0]
    once = OncePerWhile(10.0, clock=lambda: now[0])
    assert once.filter(record("Unable connect to node %s"))
    held = [once.filter(record("Unable connect to node %s")) for _ in range(99)]
    assert not any(held)
    assert once.filter(record("Failed fetch messages from %s"))  # another message: its own count
    now[0] = 10.5
    again = record("Unable connect to node %s")
    assert once.filter(again)
    assert again.getMessage() == "Unable connect to node node [99 more like this in the last 10 s not logged]"
    assert once.filter(record("Unable connect to node %s", name="aiokafka.conn"))  # another logger


def test_below_warning_everything_passes():
    once = OncePerWhile(10.0, clock=lambda: 0.0)
    assert all(once.filter(record("Heartbeat %s", logging.INFO)) for _ in range(5))
