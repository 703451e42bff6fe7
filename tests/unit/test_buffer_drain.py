"""A partition put back on the fetcher after its stream buffer drained: its records, fetched
already, reach a wait for records at once (aiokafka's own `fetched_records`, run in a consumer
thread's loop as Faust runs it), instead of when that wait times out."""

import asyncio
import threading
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from aiokafka.consumer.fetcher import Fetcher, FetchResult
from faust.types import TP

from streams.faust_fixes.buffer_drain import on_buffer_drop

WAIT_S = 1.5  # the wait's own timeout: woken by the drop, it ends long before


class Records:
    """aiokafka's `PartitionRecords` as `FetchResult` reads it: one record at offset 0."""

    next_fetch_offset = 0

    def __init__(self) -> None:
        self._left = ["record"]

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if not self._left:
            raise StopIteration
        self.next_fetch_offset = 1
        return self._left.pop()


def fetcher_with_records(tp: TP, loop: asyncio.AbstractEventLoop) -> Fetcher:
    """A `Fetcher` of `loop` with only what `fetched_records` reads: one partition's records waiting."""
    state = SimpleNamespace(paused=False, position=0, consumed_to=lambda offset: None)
    assignment = SimpleNamespace(active=True, state_value=lambda _: state)
    fetcher = Fetcher.__new__(Fetcher)
    fetcher._subscriptions = SimpleNamespace(reassignment_in_progress=False, is_assigned=lambda _: True)
    fetcher._loop = loop
    fetcher._closed = False
    fetcher._fetch_waiters = set()
    fetcher._wait_consume_future = None
    fetcher._records = {tp: FetchResult(tp, assignment=assignment, partition_records=Records(), backoff=0)}
    return fetcher


class ConsumerThread:
    """A loop in its own thread, as Faust's consumer thread runs aiokafka."""

    def __init__(self) -> None:
        self.thread_loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.thread_loop.run_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.thread_loop.call_soon_threadsafe(self.thread_loop.stop)
        self._thread.join(5)
        self.thread_loop.close()


def faust_consumer(thread: ConsumerThread, fetcher: Fetcher, active: set[TP], buffered: set[TP]) -> Any:
    """What Faust's `Consumer.on_buffer_drop` and the patch read of a `ThreadDelegateConsumer`."""
    thread._consumer = SimpleNamespace(_fetcher=fetcher)  # type: ignore[attr-defined]
    return SimpleNamespace(_thread=thread, _buffered_partitions=buffered, _get_active_partitions=lambda: active)


@pytest.fixture()
def thread() -> Iterator[ConsumerThread]:
    t = ConsumerThread()
    yield t
    t.stop()


def waited(thread: ConsumerThread, fetcher: Fetcher, active: set[TP], then: Any) -> tuple[dict[Any, Any], float]:
    """What a wait for the active partitions' records returned and how long it took, `then` called
    once it waits."""

    async def wait() -> tuple[dict[Any, Any], float]:
        began = time.monotonic()
        got = await fetcher.fetched_records(active, timeout=WAIT_S)
        return got, time.monotonic() - began

    future = asyncio.run_coroutine_threadsafe(wait(), thread.thread_loop)
    deadline = time.monotonic() + WAIT_S
    while not fetcher._fetch_waiters and time.monotonic() < deadline:
        time.sleep(0.005)
    assert fetcher._fetch_waiters, "the wait never started"
    then()
    return future.result(2 * WAIT_S)


def test_a_partition_put_back_hands_its_fetched_records_to_the_waiting_fetch_at_once(thread: ConsumerThread) -> None:
    full, other = TP("messages", 0), TP("accounts", 0)
    fetcher = fetcher_with_records(full, thread.thread_loop)
    active, buffered = {other}, {full}  # `full` taken off the fetcher while its buffer was full
    consumer = faust_consumer(thread, fetcher, active, buffered)
    got, took = waited(thread, fetcher, active, lambda: on_buffer_drop(consumer, full))
    assert got == {full: ["record"]}
    assert took < WAIT_S / 2
    assert full in active and full not in buffered  # Faust's own bookkeeping still done


def test_without_the_wake_the_records_wait_for_the_timeout(thread: ConsumerThread) -> None:
    """What the patch works around: putting the partition back alone wakes nothing."""
    full, other = TP("messages", 0), TP("accounts", 0)
    fetcher = fetcher_with_records(full, thread.thread_loop)
    active = {other}

    def put_back_only() -> None:
        active.add(full)

    began = time.monotonic()
    got, _ = waited(thread, fetcher, active, put_back_only)
    assert got == {}  # timed out with the records still waiting
    assert time.monotonic() - began >= WAIT_S * 0.9


def test_a_partition_that_was_not_taken_off_wakes_nothing(thread: ConsumerThread) -> None:
    tp = TP("messages", 0)
    fetcher = fetcher_with_records(tp, thread.thread_loop)
    fetcher._records.clear()
    woken: list[int] = []
    fetcher._notify = lambda waiter: woken.append(1)
    fetcher._fetch_waiters.add(asyncio.Future(loop=thread.thread_loop))  # a wait, never awaited here
    consumer = faust_consumer(thread, fetcher, {tp}, set())
    on_buffer_drop(consumer, tp)
    done = threading.Event()
    thread.thread_loop.call_soon_threadsafe(done.set)
    assert done.wait(5)
    assert woken == []


def test_once_the_consumer_thread_has_ended_a_partition_put_back_wakes_nothing_and_raises_nothing() -> None:
    """After the consumer thread stopped or crashed its loop is closed; a stream still emptying its
    buffer puts partitions back, and that must not fail the stream's read."""
    ended = ConsumerThread()
    tp = TP("messages", 0)
    fetcher = fetcher_with_records(tp, ended.thread_loop)
    active, buffered = {TP("accounts", 0)}, {tp}
    consumer = faust_consumer(ended, fetcher, active, buffered)
    ended.stop()
    assert ended.thread_loop.is_closed()
    on_buffer_drop(consumer, tp)
    assert tp in active and tp not in buffered


@pytest.mark.parametrize("thread", [
    None,  # not a consumer run in a thread of its own
    SimpleNamespace(_consumer=None, thread_loop=None),  # not started
    SimpleNamespace(_consumer=SimpleNamespace(), thread_loop=None),  # its fetcher not made yet
])
def test_a_consumer_without_a_started_fetcher_is_left_alone(thread: Any) -> None:
    tp = TP("messages", 0)
    active, buffered = {TP("accounts", 0)}, {tp}
    consumer = SimpleNamespace(_thread=thread, _buffered_partitions=buffered, _get_active_partitions=lambda: active)
    on_buffer_drop(consumer, tp)
    assert tp in active and tp not in buffered
