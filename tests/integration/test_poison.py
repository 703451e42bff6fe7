"""Poison input never stalls a worker: huge and broken events are dead-lettered in seconds,
the events around them are scored, and each is counted once."""

from __future__ import annotations

import hashlib
import time

import orjson
import pytest

from tests import fuzz_events
from tests.integration.kafka_client import produce, read_all
from tests.integration.test_pipeline import T0, msg, topic
from tests.integration.workers import Worker, scorer_env

pytestmark = pytest.mark.integration


def huge(size: int) -> bytes:
    """A valid message event of about `size` bytes, its text far over every limit."""
    return orjson.dumps({"event_id": f"big-{size}", "ts": T0, "room_id": "f-big:c-1", "sender_id": "f-big",
                         "recipient_id": "c-1", "text": "t.me/x " * (size // 7), "contract_stage": "pre_contract"})


def test_huge_and_broken_events_are_dead_lettered_in_seconds_and_the_rest_drains(services, tmp_path):
    env = scorer_env(services.broker_url, services.redis_url, tmp_path)
    worker = Worker(env, tmp_path).start()
    try:
        worker.wait_ready()
        messages = topic(env, "messages")
        good = [(messages, k, v) for _, k, v in (msg(i, T0 + i * 60_000, f"f-{i % 7}", "c-9", "hello")
                                                  for i in range(60))]
        poison = [
            (messages, b"f-big", huge(800_000)),
            (messages, b"f-big", huge(2_000_000)),
            # Not JSON, not UTF-8, no key: nothing to repair.
            (messages, None, b"\xff\x00{" * 1000 + b"[" * 40_000),
        ]
        items = good[:20] + poison[:1] + good[20:40] + poison[1:] + good[40:]
        started = time.monotonic()
        produce(services.broker_url, items, **{"message.max.bytes": 4_000_000})
        metrics = worker.wait_processed(len(items), timeout=30)  # the count includes derived subject events
        while metrics.get("riskscorer_events_total:messages:scored", 0) < len(good) and time.monotonic() - started < 30:
            time.sleep(0.2)
            metrics = worker.metrics()
        assert time.monotonic() - started < 15, "poison events held the partitions up"

        dead = read_all(services.broker_url, topic(env, "deadletter"), expected=3)
        assert sorted((d["reason"], d["value_bytes"]) for d in dead) == sorted(
            [("too_large", len(poison[0][2])), ("too_large", len(poison[1][2])), ("invalid_utf8", len(poison[2][2]))])
        for d in dead:
            original = next(v for _, _, v in poison if len(v) == d["value_bytes"])
            assert d["value_sha256"] == hashlib.sha256(original).hexdigest()
            assert d["value_truncated"] is (len(original) > 65536)
        # Each event counted once: no attempt at a batch was repeated.
        assert metrics["riskscorer_events_total:messages:scored"] == len(good)
        assert metrics["riskscorer_events_total:messages:dead_letter"] == len(poison)
        assert metrics.get("riskscorer_batch_retries_total", 0) == 0
    finally:
        worker.stop()


def test_generated_hostile_events_are_each_dead_lettered_or_scored_by_a_running_worker(services, tmp_path):
    env = scorer_env(services.broker_url, services.redis_url, tmp_path, RISKSCORER_MAX_TEXT_CHARS="2000")
    worker = Worker(env, tmp_path).start()
    try:
        worker.wait_ready()
        items = [(topic(env, kind), key, value) for kind, key, value in fuzz_events.events(300, seed=1515)]
        produce(services.broker_url, items)
        # Some accepted events are replies that derive subject events: count the inputs only.
        deadline = time.monotonic() + 60
        while (m := worker.metrics()) and time.monotonic() < deadline:
            inputs = sum(m.get(f"riskscorer_events_total:{k}:{o}", 0)
                         for k in fuzz_events.ACTOR for o in ("scored", "dead_letter"))
            if inputs >= len(items):
                break
            time.sleep(0.3)
        assert inputs == len(items), worker.log_text()
        assert m["riskscorer_events_total:dead_letter"] == m["riskscorer_dead_letters_total"] > len(items) // 2
        assert worker.proc is not None and worker.proc.poll() is None
    finally:
        worker.stop()
