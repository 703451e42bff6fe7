"""A worker that reaches its broker and its Redis over TLS only, verifying their certificate
(self-signed for 127.0.0.1, made by openssl for the test), and Redis with a password."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from streams.commands import embedded
from tests.integration import tls_proxy
from tests.integration.kafka_client import produce
from tests.integration.test_pipeline import scenario, topic
from tests.integration.workers import Worker, scorer_env

pytestmark = pytest.mark.integration

REDIS_PASSWORD = "test-password-not-a-secret"


@pytest.fixture
def cert(tmp_path) -> tuple[Path, Path]:
    key, crt = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(crt)],
                   check=True, capture_output=True)
    return crt, key


@pytest.fixture
def tls_services(cert) -> Iterator[tuple[str, str, embedded.Service]]:
    """A broker advertising only its TLS endpoint, and a Redis behind one; all stopped after."""
    started: list[embedded.Service] = []
    try:
        tls_port = embedded.free_port()
        broker = embedded.start_broker(advertised_port=tls_port)
        started.append(broker)
        started.append(tls_proxy.start(tls_port, broker.port, cert))
        plain_redis = embedded.start_redis(args=("--requirepass", REDIS_PASSWORD))
        started.append(plain_redis)
        redis_tls = tls_proxy.start(embedded.free_port(), plain_redis.port, cert)
        started.append(redis_tls)
        yield f"127.0.0.1:{tls_port}", f"rediss://127.0.0.1:{redis_tls.port}", plain_redis
    finally:
        for service in reversed(started):
            service.stop()


def test_a_worker_scores_through_tls_to_broker_and_redis(tls_services, cert, tmp_path):
    broker_url, redis_url, plain_redis = tls_services
    env = scorer_env(broker_url, redis_url, tmp_path, RISKSCORER_BROKER_SECURITY_PROTOCOL="SSL",
                     RISKSCORER_BROKER_SSL_CAFILE=str(cert[0]), RISKSCORER_REDIS_SSL_CAFILE=str(cert[0]),
                     RISKSCORER_REDIS_PASSWORD=REDIS_PASSWORD)
    worker = Worker(env, tmp_path).start()
    try:
        worker.wait_ready()
        items = [(topic(env, k), key, value) for k, key, value in scenario()]
        produce(broker_url, items, **{"security.protocol": "ssl", "ssl.ca.location": str(cert[0])})
        worker.wait_processed(len(items) + 17)  # and the derived subject events (see test_pipeline)
        # Written through the TLS endpoint, read here from the plain one behind it.
        store = redis.Redis(port=plain_redis.port, password=REDIS_PASSWORD)
        assert store.exists(f"riskscorer:{env['RISKSCORER_APP_ID']}:profile:f-pay")
    finally:
        worker.stop()


def test_a_worker_refuses_a_broker_whose_certificate_it_cannot_verify(tls_services, tmp_path):
    broker_url, redis_url, _ = tls_services
    env = scorer_env(broker_url, redis_url, tmp_path, RISKSCORER_BROKER_SECURITY_PROTOCOL="SSL")  # system CAs
    worker = Worker(env, tmp_path).start()
    try:
        with pytest.raises(AssertionError):
            worker.wait_ready(timeout=15)
        assert "CERTIFICATE_VERIFY_FAILED" in worker.log_text()
    finally:
        worker.stop()


def test_train_text_reads_the_verdicts_behind_a_redis_password(tls_services, cert):
    """`riskscorer train-text` connects as the worker does: password and TLS from the settings."""
    import asyncio

    import orjson

    from streams.training.command import verdict_examples
    from streams.training.verdicts import examples_key
    from streams.worker import security
    from streams.worker.settings import load

    _, redis_url, plain_redis = tls_services
    settings = load({"RISKSCORER_REDIS_URL": redis_url, "RISKSCORER_REDIS_PASSWORD": REDIS_PASSWORD,
                     "RISKSCORER_REDIS_SSL_CAFILE": str(cert[0])})
    record = {"text": "pay me by zelle", "kind": "message", "policy": "off_platform_payment",
              "decision": "confirmed", "ts": 1}
    redis.Redis(port=plain_redis.port, password=REDIS_PASSWORD).hset(
        examples_key(settings.app_id), "e1:m1:off_platform_payment", orjson.dumps(record))
    found = asyncio.run(verdict_examples(settings.redis_url, settings.app_id, None, security.redis_options(settings)))
    assert [(e.text, e.positive) for e in found] == [("pay me by zelle", {"off_platform_payment"})]
