"""Batches are retried through outages and never stall on an event they keep failing on."""

from __future__ import annotations

import asyncio

import pytest
from aiokafka.errors import KafkaConnectionError, MessageSizeTooLargeError
from prometheus_client import CollectorRegistry
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import OutOfMemoryError, ReadOnlyError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from streams.worker import poison
from streams.worker.health import BROKER, REDIS, Health, dependency_of
from streams.worker.metrics import Metrics

FAST = poison.Backoff(first_s=0.001, max_s=0.003)


def health() -> Health:
    return Health(Metrics.create(CollectorRegistry()).dependency_up)


def up(h: Health, name: str) -> float:
    return h.gauge.labels(name)._value.get()  # type: ignore[no-any-return]


@pytest.mark.parametrize(("exc", "dependency"), [
    (RedisConnectionError("refused"), REDIS),
    (RedisTimeoutError("frozen"), REDIS),
    (OutOfMemoryError("OOM command not allowed when used memory > 'maxmemory'"), REDIS),
    (ReadOnlyError("You can't write against a read only replica."), REDIS),
    (ResponseError("ERR Error running script"), None),
    (KafkaConnectionError("no broker"), BROKER),
    (MessageSizeTooLargeError(), None),
    (ValueError("a bug on one event"), None),
])
def test_failures_are_told_apart_by_what_they_point_at(exc, dependency):
    assert dependency_of(exc) == dependency


def test_an_outage_is_retried_with_growing_delays_until_it_succeeds_and_reported_meanwhile():
    h, attempts, delays, seen_down = health(), [], [], []

    async def flaky(batch: list[int]) -> None:
        attempts.append(list(batch))
        seen_down.append(up(h, REDIS))
        if len(attempts) < 6:
            raise RedisConnectionError("redis unreachable")

    async def reject(item: int, exc: Exception) -> None:
        raise AssertionError("an outage must never dead-letter")

    asyncio.run(poison.Retrier(h, lambda exc, d: delays.append(d), FAST).settle([1, 2, 3], flaky, reject, 2))
    assert attempts == [[1, 2, 3]] * 6  # far more than the 2 attempts allowed a poison
    assert delays == [0.001, 0.002, 0.003, 0.003, 0.003]
    assert seen_down == [1, 0, 0, 0, 0, 0]
    assert up(h, REDIS) == 1 and h.ready


def test_an_event_the_batch_keeps_failing_on_is_rejected_and_every_other_one_handled_in_order():
    handled: list[int] = []
    rejected: list[tuple[int, str]] = []
    retries: list[float] = []

    async def handle(batch: list[int]) -> None:
        if 5 in batch or 11 in batch:
            raise MessageSizeTooLargeError()
        handled.extend(batch)

    async def reject(item: int, exc: Exception) -> None:
        rejected.append((item, type(exc).__name__))

    batch = list(range(16))
    asyncio.run(poison.Retrier(health(), lambda exc, d: retries.append(d), FAST).settle(batch, handle, reject, 3))
    assert rejected == [(5, "MessageSizeTooLargeError"), (11, "MessageSizeTooLargeError")]
    assert handled == [i for i in batch if i not in (5, 11)]  # each once, in order
    assert len(retries) == 2  # the whole batch's attempts; the halves get one each


def test_an_outage_while_isolating_is_waited_out_not_rejected():
    calls: list[list[int]] = []

    async def handle(batch: list[int]) -> None:
        calls.append(list(batch))
        if len(calls) == 3:
            raise KafkaConnectionError("broker gone for a moment")
        if 2 in batch:
            raise ValueError("poison")

    rejected: list[int] = []

    async def reject(item: int, exc: Exception) -> None:
        rejected.append(item)

    asyncio.run(poison.Retrier(health(), lambda exc, d: None, FAST).settle([1, 2], handle, reject, 2))
    assert calls == [[1, 2], [1, 2], [1], [1], [2]]
    assert rejected == [2]


def test_cancellation_is_not_retried():
    async def main() -> None:
        started = asyncio.Event()

        async def slow() -> None:
            started.set()
            await asyncio.sleep(10)

        task = asyncio.create_task(poison.Retrier(health(), lambda exc, delay: None).until_done(slow))
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())


def test_a_timer_waits_out_an_outage_and_still_raises_a_bug():
    h = health()
    failure: list[Exception] = [RedisTimeoutError("frozen")]

    async def tick() -> None:
        if failure:
            raise failure[0]

    guarded = h.guarded(tick, needs=REDIS)
    asyncio.run(guarded())  # does not raise: the worker stays up
    assert h.down == {REDIS} and not h.ready
    failure.clear()
    asyncio.run(guarded())
    assert h.ready and up(h, REDIS) == 1
    failure.append(ValueError("a bug"))
    with pytest.raises(ValueError):
        asyncio.run(guarded())


def test_a_probe_marks_its_dependency_down_on_a_failure_or_a_silence_and_up_on_an_answer():
    h = health()
    answers: list[object] = [KafkaConnectionError("gone"), "slow", None]

    async def request() -> None:
        answer = answers.pop(0)
        if answer == "slow":
            await asyncio.sleep(1)
        elif isinstance(answer, Exception):
            raise answer

    tick = h.probe(BROKER, request, timeout_s=0.05)
    asyncio.run(tick())
    assert h.down == {BROKER} and up(h, BROKER) == 0
    asyncio.run(tick())  # no answer in time: still down
    assert h.down == {BROKER}
    asyncio.run(tick())
    assert h.ready and up(h, BROKER) == 1


def test_an_agent_being_stopped_ends_the_retries_of_an_outage_and_leaves_the_batch_undone():
    """Through an outage a batch is retried for ever; an agent Faust stops must not wait for the
    dependency: the batch ends uncommitted, within a pause's check, even mid-pause."""
    stop_at, tries, handled = 3, [], []

    async def handle(batch):
        tries.append(len(batch))
        raise RedisConnectionError("refused")

    async def reject(item, exc):
        handled.append(item)

    retrier = poison.Retrier(health(), lambda exc, d: None, FAST, stopping=lambda: len(tries) >= stop_at)
    with pytest.raises(asyncio.CancelledError):
        asyncio.run(retrier.settle([1, 2], handle, reject, 3))
    assert tries == [2] * stop_at and handled == []  # nothing dead-lettered, nothing done

    slow, started = poison.Backoff(first_s=30.0, max_s=30.0), []
    paused = poison.Retrier(health(), lambda exc, d: started.append(d), slow, stopping=lambda: bool(started))

    async def stops_while_paused():
        await asyncio.wait_for(paused.settle([1], handle, reject, 3), timeout=5)

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(stops_while_paused())
    assert started == [30.0]  # stopping from the first pause on: ended within its first check


def test_a_stopping_worker_releases_what_its_streams_hold_once_an_outage_holds_them_up():
    """Faust's wait for its streams at a stop ends once the messages it waits for are released,
    also when the outage begins while it waits; a rebalance (not a stop) still waits."""
    from types import SimpleNamespace

    from streams.faust_fixes import acks

    async def scenario(stopping: bool) -> tuple[bool, list[bool]]:
        messages = [SimpleNamespace(acked=False) for _ in range(3)]
        consumer = SimpleNamespace(_unacked_messages=messages)

        async def wait_empty(consumer, logger):  # Faust's: until every message is acknowledged
            while not all(m.acked for m in consumer._unacked_messages):  # noqa: ASYNC110 - polls as Faust does
                await asyncio.sleep(0.01)

        app = SimpleNamespace(should_stop=stopping, _consumer_wait_empty=wait_empty)
        began = asyncio.get_running_loop().time()
        acks.release_when_held(app, lambda: asyncio.get_running_loop().time() - began > 0.2)
        try:
            await asyncio.wait_for(app._consumer_wait_empty(consumer, None), timeout=2)
        except TimeoutError:
            return False, [m.acked for m in messages]
        return True, [m.acked for m in messages]

    assert asyncio.run(scenario(stopping=True)) == (True, [True, True, True])
    assert asyncio.run(scenario(stopping=False)) == (False, [False, False, False])


def test_a_reason_stays_within_its_bound_once_its_invisible_characters_are_written_out():
    from scoring.signals import REASON_MAX, Signal

    reason = "quotes " + "\u200b" * 400
    shown = Signal("spam_scam", "text_scam_script.model", 1.0, reason, "m1", 1).to_dict()["reason"]
    assert len(shown) <= REASON_MAX and "\u200b" not in shown and shown.startswith("quotes \\u200b")
