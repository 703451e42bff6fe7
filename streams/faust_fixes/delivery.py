"""A fetched record handed to its stream without four tasks per record.

Works around: faust-streaming 0.15.3's consumer (`Consumer._drain_messages`) hands each record
to the conductor through `self.wait_first(callback(message), self.suspend_flow.wait())`: four
tasks (the callback, the flow's suspension, the consumer's stop and crash), an `asyncio.wait`
and three cancellations per record, ~1/7 of a busy worker's CPU (BENCHMARKS.md). The callback
puts the record in its stream's buffer, and waits only when that buffer is full.

`eager_wait_first` runs the callback's first step at once. When it returns, that is the outcome
`wait_first` would have had: the callback done, nothing cancelled (the drain loop ignores which
waits ended). When it waits (a full buffer), the callback goes on as a task from where it stopped,
and one future waits for whichever comes first: the task's end, or the flow's suspension, the
consumer's stop or its crash, whose events wake it as they wake their own waiters (their private
`_waiters`); the task is cancelled if it is not done, as `wait_first` does. While the flow is
suspended, or the consumer stopped or crashed, `wait_first` runs as it was.

Still needed? `grep -n "wait_first" faust/transport/consumer.py` in the installed Faust: while
`_drain_messages` calls it for each record, yes. `tests/unit/test_delivery.py` covers both ways,
and fails if the events stop keeping their waiters in `_waiters`.
"""

from __future__ import annotations

import asyncio
import contextvars
import types
from collections.abc import Coroutine, Generator
from typing import Any

from faust.transport.consumer import Consumer
from mode.services import WaitResults

_original_wait_first = Consumer.wait_first


@types.coroutine
def _resumed(coro: Coroutine[Any, Any, Any], waiting_on: Any) -> Generator[Any, Any, Any]:
    """`coro`, already started and now waiting on `waiting_on`, driven on to its end."""
    while True:
        try:
            sent = yield waiting_on
        except BaseException as exc:  # noqa: BLE001 - a cancellation or error goes into the coroutine
            try:
                waiting_on = coro.throw(exc)
            except StopIteration as stop:
                return stop.value
        else:
            try:
                waiting_on = coro.send(sent)
            except StopIteration as stop:
                return stop.value


async def eager_wait_first(self: Any, *coros: Any, timeout: Any = None) -> WaitResults:  # noqa: ASYNC109 - Faust's signature
    """`Service.wait_first` for the consumer's hand-over of one record: see the module's docstring."""
    first = coros[0] if coros else None
    if (not isinstance(first, types.CoroutineType) or timeout is not None or self.suspend_flow.is_set()
            or self._stopped.is_set() or self._crashed.is_set()):
        return await _original_wait_first(self, *coros, timeout=timeout)
    _close(coros[1:])  # the flow's suspension is waited for below, by its event
    context = contextvars.copy_context()  # a task would run it in a copy of ours
    try:
        waiting_on = context.run(first.send, None)
    except StopIteration as done:
        return WaitResults([first], [done.value], False)
    task = asyncio.get_running_loop().create_task(_resumed(first, waiting_on), context=context)
    return await _first_of(task, (self.suspend_flow, self._stopped, self._crashed), first)


async def _first_of(task: asyncio.Task[Any], events: tuple[Any, ...], coro: Any) -> WaitResults:
    """Wait for `task` to end or any of `events` to be set (none is yet); a task not done then is
    cancelled. `coro` names the task in the result, as `wait_first` names its callback."""
    woken = asyncio.get_running_loop().create_future()

    def wake(_: Any) -> None:
        if not woken.done():
            woken.set_result(None)

    task.add_done_callback(wake)
    for event in events:
        event._waiters.append(woken)
    try:
        await woken
    finally:
        for event in events:
            event._waiters.remove(woken)
        if not task.done():
            task.cancel()
    if not task.done():  # an event came first: the task is being cancelled
        return WaitResults([], [], events[1].is_set() or events[2].is_set())
    return WaitResults([coro], [task.result()], False)  # a failed callback raises here, as in wait_first


def _close(coros: tuple[Any, ...]) -> None:
    """Close the coroutines given for waits made otherwise (none is left never awaited)."""
    for coro in coros:
        if isinstance(coro, types.CoroutineType):
            coro.close()


def eager_hand_over() -> None:
    Consumer.wait_first = eager_wait_first  # type: ignore[method-assign]
