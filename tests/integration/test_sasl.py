"""A worker that authenticates to its broker with SASL (PLAIN, SCRAM-SHA-256), through the SASL
proxy of the tests (`sasl_proxy`: the embedded broker cannot hold a user), and over TLS too
(SASL_SSL: the TLS proxy in front of the SASL one); and one with a wrong password, which stops."""

from __future__ import annotations

import contextlib
import socket
import struct
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from streams.commands import embedded
from tests.integration import sasl_proxy, tls_proxy
from tests.integration.kafka_client import produce, read_all
from tests.integration.test_outages import DERIVED, OUTAGE_S, ready, same, undisturbed, wait_for
from tests.integration.test_pipeline import T0, msg, scenario, topic
from tests.integration.test_tls import cert  # noqa: F401 (a fixture)
from tests.integration.workers import Worker, scorer_env

pytestmark = pytest.mark.integration

USER, PASSWORD = "scorer", "sasl-password-not-a-secret"


@contextlib.contextmanager
def sasl_broker(tls_cert: tuple[Path, Path] | None = None) -> Iterator[str]:
    """A broker that answers only through the SASL proxy it advertises (with TLS in front when
    given a certificate), all stopped after; yields the address clients bootstrap from."""
    started: list[embedded.Service] = []
    try:
        port = embedded.free_port()
        broker = embedded.start_broker(advertised_port=port)
        started.append(broker)
        sasl_port = embedded.free_port() if tls_cert else port
        started.append(sasl_proxy.start(sasl_port, broker.port, {USER: PASSWORD}))
        if tls_cert:
            started.append(tls_proxy.start(port, sasl_port, tls_cert))
        yield f"127.0.0.1:{port}"
    finally:
        for service in reversed(started):
            service.stop()


def sasl_env(broker_url: str, redis_url: str, tmp_path: Path, mechanism: str, password: str = PASSWORD,
             protocol: str = "SASL_PLAINTEXT", **extra: str) -> dict[str, str]:
    return scorer_env(broker_url, redis_url, tmp_path, RISKSCORER_BROKER_SECURITY_PROTOCOL=protocol,
                      RISKSCORER_BROKER_SASL_MECHANISM=mechanism, RISKSCORER_BROKER_SASL_USERNAME=USER,
                      RISKSCORER_BROKER_SASL_PASSWORD=password, **extra)


def client_config(mechanism: str, protocol: str = "sasl_plaintext") -> dict[str, object]:
    """librdkafka's settings for the test's own producer and reader."""
    return {"security.protocol": protocol, "sasl.mechanism": mechanism,
            "sasl.username": USER, "sasl.password": PASSWORD}


def scores_end_to_end(env: dict[str, str], tmp_path: Path, broker_url: str, **config: object) -> None:
    """The worker scores the pipeline scenario and its escalations are read back, all over SASL."""
    worker = Worker(env, tmp_path).start()
    try:
        worker.wait_ready()
        items = [(topic(env, k), key, value) for k, key, value in scenario()]
        produce(broker_url, items, **config)
        worker.wait_processed(len(items) + 17)  # and the derived subject events (see test_pipeline)
        escalations = read_all(broker_url, env["RISKSCORER_TOPIC_ESCALATIONS"], expected=5, **config)
        assert len({e["escalation_id"] for e in escalations}) == 5, worker.log_text()  # as in test_pipeline
        whole_log = (tmp_path / f"worker-{worker.port}.log").read_text(errors="replace")
        assert f"Authenticated as scorer via {env['RISKSCORER_BROKER_SASL_MECHANISM']}" in whole_log
    finally:
        worker.stop()


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256"])
def test_a_worker_scores_through_a_sasl_broker(services, mechanism, tmp_path):
    with sasl_broker() as broker_url:
        env = sasl_env(broker_url, services.redis_url, tmp_path, mechanism)
        scores_end_to_end(env, tmp_path, broker_url, **client_config(mechanism))


def test_a_worker_scores_over_sasl_ssl(services, cert, tmp_path):  # noqa: F811 (the fixture)
    """SASL_SSL: TLS, verified against the test's CA, in front of the SASL proxy."""
    with sasl_broker(cert) as broker_url:
        env = sasl_env(broker_url, services.redis_url, tmp_path, "SCRAM-SHA-256", protocol="SASL_SSL",
                       RISKSCORER_BROKER_SSL_CAFILE=str(cert[0]))
        scores_end_to_end(env, tmp_path, broker_url, **client_config("SCRAM-SHA-256", protocol="sasl_ssl"),
                          **{"ssl.ca.location": str(cert[0])})


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256"])
def test_a_wrong_password_stops_the_worker_and_says_why(services, mechanism, tmp_path):
    with sasl_broker() as broker_url:
        worker = Worker(sasl_env(broker_url, services.redis_url, tmp_path, mechanism, password="wrong"),
                        tmp_path).start()
        try:
            assert worker.proc is not None
            status = worker.proc.wait(30)  # no hang: it gives up at once
            log = worker.log_text()
            assert status != 0, log
            assert "SASL authentication failed" in log and "RISKSCORER_BROKER_SASL_PASSWORD" in log, log
        finally:
            worker.stop()


def request(sock: socket.socket, api_key: int, version: int, body: bytes = b"") -> bytes:
    """One Kafka request (header v1, client id "t"); its response, or b"" when the peer closed."""
    payload = struct.pack(">hhih", api_key, version, 7, 1) + b"t" + body
    sock.sendall(struct.pack(">i", len(payload)) + payload)
    head = sock.recv(4)
    if len(head) < 4:
        return b""
    (size,) = struct.unpack(">i", head)
    return sock.recv(size, socket.MSG_WAITALL)


def test_the_sasl_endpoint_serves_nothing_before_a_login():
    """What the worker's login proves rests on this: a client that skips SASL gets nothing."""
    with sasl_broker() as broker_url:
        host, port = broker_url.split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            versions = request(sock, 18, 0)
            (count,) = struct.unpack_from(">i", versions, 6)
            entries = [struct.unpack_from(">hhh", versions, 10 + 6 * i) for i in range(count)]
            keys = {api_key: (low, high) for api_key, low, high in entries}
            assert keys[17] == (1, 1) and keys[36] == (0, 1)  # the proxy's, not the broker's (36: 0-2)
            assert 0 in keys and 1 in keys  # the broker's own entries passed on (Produce, Fetch)
            assert request(sock, 3, 0, struct.pack(">i", 0)) == b""  # Metadata before a login: closed
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            assert request(sock, 17, 1, struct.pack(">h", 5) + b"PLAIN")[:6] == struct.pack(">ih", 7, 0)
            login = b"\0scorer\0wrong"
            refused = request(sock, 36, 0, struct.pack(">i", len(login)) + login)
            assert refused[4:6] == struct.pack(">h", 58)  # SASL_AUTHENTICATION_FAILED
            assert sock.recv(1) == b""  # and closed


@contextlib.contextmanager
def rotating_sasl_broker() -> Iterator[tuple[str, Callable[[dict[str, str]], None]]]:
    """A broker behind the SASL proxy, and a way to replace the proxy's users (the proxy is started
    again on the same port: every connection drops and must log in again, as when credentials are
    revoked and the broker closes their sessions)."""
    port = embedded.free_port()
    broker = embedded.start_broker(advertised_port=port)
    proxies = [sasl_proxy.start(port, broker.port, {USER: PASSWORD})]

    def users(new: dict[str, str]) -> None:
        proxies[-1].stop()
        proxies.append(sasl_proxy.start(port, broker.port, new))

    try:
        yield f"127.0.0.1:{port}", users
    finally:
        proxies[-1].stop()
        broker.stop()


def test_revoked_credentials_hold_the_worker_back_until_they_are_accepted_again(services, tmp_path):
    """Credentials revoked while the worker runs: it stays up, consumes nothing, says the broker
    refuses its login and which settings those are, and resumes once they are accepted again,
    losing and repeating nothing."""
    with rotating_sasl_broker() as (broker_url, users):
        env = sasl_env(broker_url, services.redis_url, tmp_path, "SCRAM-SHA-256", RISKSCORER_RULES_POLL_S="0.5")
        worker = Worker(env, tmp_path).start()
        try:
            worker.wait_ready()
            warmup = [(topic(env, "messages"), k, v) for _, k, v in (msg(i, T0 + i, "f-warm", "c-0", "hi")
                                                                     for i in range(5))]
            produce(broker_url, warmup, **client_config("SCRAM-SHA-256"))
            warm = len(warmup) + 2  # and the reply notice of their turn, and the first's `cold` answer
            worker.wait_processed(warm)

            users({USER: "rotated-" + PASSWORD})
            items = [(topic(env, k), key, value) for k, key, value in scenario()]
            produce(broker_url, items, **{**client_config("SCRAM-SHA-256"), "sasl.password": "rotated-" + PASSWORD})
            wait_for(lambda: ready(worker)[0] == 503, 20, worker)
            assert ready(worker)[1] == {"ready": False, "down": ["broker"]}
            held = worker.processed()
            time.sleep(OUTAGE_S)
            assert worker.processed() == held == warm, "events went on with refused credentials"
            log = worker.log_text()
            assert "refused" in log and "RISKSCORER_BROKER_SASL_PASSWORD" in log, log

            users({USER: PASSWORD})
            metrics = worker.wait_processed(warm + len(items) + DERIVED, timeout=60)
            wait_for(lambda: ready(worker)[0] == 200, 20, worker)
            assert metrics["riskscorer_events_total:scored"] == warm + len(items) + DERIVED
            escalations = read_all(broker_url, topic(env, "escalations"), expected=5,
                                   **client_config("SCRAM-SHA-256"))
            assert same(escalations) == undisturbed()
        finally:
            worker.stop()
