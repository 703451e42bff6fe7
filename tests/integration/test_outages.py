"""Redis stopped or frozen under a running worker: it stays up, says it is not ready,
consumes nothing new, and when Redis is back it resumes by itself with exactly the
outputs of an undisturbed run, each event counted once."""

from __future__ import annotations

import os
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import orjson
import pytest

from streams.batch.recorded import RecordedEvent
from streams.batch.rules_file import load_rules
from streams.commands import backtest, embedded
from streams.worker.settings import DEFAULT_RULES
from tests.integration import tls_proxy
from tests.integration.kafka_client import produce, read_all
from tests.integration.test_pipeline import T0, TOKEN, lookup, msg, scenario, topic
from tests.integration.workers import Worker, scorer_env

pytestmark = pytest.mark.integration

# Longer than the rules poll, the Redis timeout and a batch retry; longer outages for the record
# (BENCHMARKS.md): RISKSCORER_TEST_OUTAGE_S=30.
OUTAGE_S = float(os.environ.get("RISKSCORER_TEST_OUTAGE_S", "8"))


@pytest.fixture
def own_redis() -> Iterator[list[embedded.Service]]:
    """A Redis this test may stop and start again (on the same port); the list holds the current one."""
    current = [embedded.start_redis()]
    try:
        yield current
    finally:
        current[-1].stop()


def undisturbed() -> list[dict]:
    """The scenario's escalations as the backtest (the worker's code, in memory, no outage) makes
    them, in the form `same` compares."""
    events = [RecordedEvent(kind, key.decode(), orjson.loads(value)["ts"], orjson.loads(value))
              for kind, key, value in scenario()]
    result = backtest.run(events, load_rules(DEFAULT_RULES))
    return same(e.to_dict() for e in result.escalations)


def distinct(escalations: Iterable[dict]) -> list[dict]:
    """One of each escalation id, after checking that every copy of an id has the same content."""
    by_id: dict[str, dict] = {}
    for e in escalations:
        assert by_id.setdefault(e["escalation_id"], e) == e, f"{e['escalation_id']} sent with two contents"
    return list(by_id.values())


def same(escalations: Iterable[dict]) -> list[dict]:
    """Every escalation whole: a fan-out finding too is made at the message it names, however its
    recipients' `cold` answers interleave with the sender's messages."""
    return sorted(escalations, key=lambda e: (e["account_id"], e["escalation_id"]))


def ready(worker: Worker) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{worker.port}/ready", timeout=3) as resp:
            return resp.status, orjson.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, orjson.loads(err.read())


def redis_up(worker: Worker) -> float | None:
    for line in (worker.scrape() or "").splitlines():
        if line.startswith('riskscorer_dependency_up{dependency="redis"}'):
            return float(line.split()[-1])
    return None


def wait_for(what: Callable[[], bool], timeout: float, worker: Worker) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        assert worker.proc is not None and worker.proc.poll() is None, worker.log_text()
        assert time.monotonic() < deadline, worker.log_text()
        time.sleep(0.2)


def stop_and_restart(redis: list[embedded.Service]) -> Callable[[], None]:
    port = redis[-1].port
    redis[-1].stop()
    return lambda: redis.append(embedded.start_redis(port=port))


# Events the scorer derives from the scenario (see test_pipeline): reply notices, first messages'
# `cold` answers, and the duplicate link told to f-dup-a and f-dup-b.
DERIVED = 16 + 16 + 2


def freeze(redis: list[embedded.Service]) -> Callable[[], None]:
    pid = redis[-1].proc.pid
    os.kill(pid, signal.SIGSTOP)
    return lambda: os.kill(pid, signal.SIGCONT)


@pytest.mark.parametrize("outage", [stop_and_restart, freeze])
def test_the_worker_survives_a_redis_outage_and_loses_and_repeats_nothing(services, tmp_path, own_redis, outage):
    redis_url = f"redis://127.0.0.1:{own_redis[-1].port}"
    env = scorer_env(services.broker_url, redis_url, tmp_path, RISKSCORER_RULES_POLL_S="0.5",
                     RISKSCORER_REDIS_TIMEOUT_S="1", RISKSCORER_API_TOKEN=TOKEN)
    worker = Worker(env, tmp_path).start()
    try:
        worker.wait_ready()
        warmup = [(topic(env, "messages"), k, v) for _, k, v in (msg(i, T0 + i, "f-warm", "c-0", "hi")
                                                                 for i in range(5))]
        produce(services.broker_url, warmup)
        warm = len(warmup) + 2  # and the reply notice of their conversation turn, and the first's `cold` answer
        worker.wait_processed(warm)
        assert ready(worker) == (200, {"ready": True, "down": []})

        restore = outage(own_redis)
        items = [(topic(env, k), key, value) for k, key, value in scenario()]
        produce(services.broker_url, items)
        wait_for(lambda: ready(worker)[0] == 503, 10, worker)
        assert ready(worker)[1] == {"ready": False, "down": ["redis"]}
        assert redis_up(worker) == 0
        assert lookup(worker, "f-pay", TOKEN) == (503, {"error": "redis unreachable: try again later"})
        # A batch that needs no Redis (a few messages without findings) may be scored before the
        # outage is noticed; once it is, nothing more is taken in until Redis is back.
        held = worker.processed()
        time.sleep(OUTAGE_S)
        assert worker.processed() == held, f"events went on without Redis\n{worker.log_text()}"
        assert held < warm + len(items), "the outage held nothing back"
        restore()

        derived = DERIVED
        metrics = worker.wait_processed(warm + len(items) + derived, timeout=60)
        wait_for(lambda: ready(worker)[0] == 200, 10, worker)
        assert redis_up(worker) == 1
        # Redis is written before a batch's outputs are sent, so an outage of Redis re-sends none;
        # were an id sent twice (at least once), both copies must carry the same content.
        escalations = distinct(read_all(services.broker_url, topic(env, "escalations"), expected=5))
        # The undisturbed run's escalations (test_pipeline), ids and content.
        assert sorted((e["account_id"], tuple(e["policies"])) for e in escalations) == [
            ("f-burst", ("spam_scam",)), ("f-dup-a", ("duplicate_account",)), ("f-dup-b", ("duplicate_account",)),
            ("f-fan", ("spam_scam",)), ("f-pay", ("off_platform_payment",)),
        ]
        assert same(escalations) == undisturbed()
        counts = f"{metrics}\n{worker.log_text()}"  # what was counted, and the worker's log, should it fail
        assert metrics["riskscorer_events_total:scored"] == warm + len(items) + derived, counts
        # A partition Faust's fetcher leaves quiet for a while after Redis is back has its tail read
        # anew; the records Faust then delivers late are skipped as replays. Any other replay is a
        # record Faust delivered twice. (A subject event sent twice by a batch retried through the
        # outage would be a new record, scored twice: the count above.)
        refetched = metrics.get("riskscorer_records_refetched_total", 0)
        assert metrics.get("riskscorer_events_total:replayed", 0) <= refetched, counts
    finally:
        worker.stop()


@pytest.fixture
def cut_off_broker() -> Iterator[tuple[str, list[embedded.Service]]]:
    """A broker reached only through a proxy the test may stop and start again (on the same
    port): the broker keeps its records meanwhile. The list holds the current proxy."""
    listen = embedded.free_port()
    broker = embedded.start_broker(advertised_port=listen)
    proxies = [tls_proxy.start(listen, broker.port, None)]
    try:
        yield f"127.0.0.1:{listen}", proxies
    finally:
        proxies[-1].stop()
        broker.stop()


def test_the_worker_survives_a_broker_outage_and_loses_and_repeats_nothing(services, tmp_path, cut_off_broker):
    broker_url, proxies = cut_off_broker
    env = scorer_env(broker_url, services.redis_url, tmp_path, RISKSCORER_RULES_POLL_S="0.5")
    worker = Worker(env, tmp_path).start()
    try:
        worker.wait_ready()
        items = [(topic(env, k), key, value) for k, key, value in scenario()]
        produce(broker_url, items)
        worker.wait_processed(len(items) + DERIVED)

        listen, target = proxies[-1].port, proxies[-1].proc.args[-1]
        proxies[-1].stop()
        wait_for(lambda: ready(worker)[0] == 503, 15, worker)
        assert ready(worker)[1] == {"ready": False, "down": ["broker"]}
        time.sleep(OUTAGE_S)
        proxies.append(tls_proxy.start(listen, int(target), None))
        wait_for(lambda: ready(worker)[0] == 200, 30, worker)

        more = [(topic(env, "messages"), k, v) for _, k, v in (msg(i, T0 + i, "f-after", "c-0", "hi")
                                                               for i in range(5))]
        produce(broker_url, more)
        metrics = worker.wait_processed(len(items) + DERIVED + len(more) + 2, timeout=60)
        assert metrics["riskscorer_events_total:scored"] == len(items) + DERIVED + len(more) + 2
        escalations = read_all(broker_url, topic(env, "escalations"), expected=5)
        assert same(escalations) == undisturbed()
    finally:
        worker.stop()


def test_a_worker_asked_to_stop_through_a_redis_outage_stops_and_loses_nothing(services, tmp_path, own_redis):
    """A batch retried through an outage holds its events unacknowledged, and Faust waits for
    them before it stops: the retries must end when the worker is asked to stop, the batch
    uncommitted, to be redone by the next worker."""
    from streams.devtools.simulator import SimConfig, generate

    events = [ev for ev in generate(SimConfig(accounts=400, days=4, seed=3)).events if ev.kind != "decisions"]
    expected = same(e.to_dict() for e in backtest.run(events, load_rules(DEFAULT_RULES)).escalations)
    redis_url = f"redis://127.0.0.1:{own_redis[-1].port}"
    env = scorer_env(services.broker_url, redis_url, tmp_path, RISKSCORER_REDIS_TIMEOUT_S="1")
    worker = Worker(env, tmp_path).start()
    try:
        worker.wait_ready()
        restore = stop_and_restart(own_redis)
        produce(services.broker_url, [(topic(env, ev.kind), ev.key.encode(), ev.payload()) for ev in events])
        wait_for(lambda: ready(worker)[0] == 503, 10, worker)
        time.sleep(15)  # a batch in hand, retried, and the next gathered behind it
        began = time.monotonic()
        code = worker.stop()
        took = time.monotonic() - began
    finally:
        worker.stop()
    log = Path(worker.log.name).read_text(errors="replace")
    assert code >= 0 and took < 15, f"stopped by {code} after {took:.1f} s\n{log}"
    restore()
    again = Worker(env, tmp_path).start()
    try:
        again.wait_ready()
        escalations = distinct(read_all(services.broker_url, topic(env, "escalations"), expected=len(expected)))
    finally:
        again.stop()
    assert same(escalations) == expected
