"""A fetched record handed to its stream without four tasks when the hand-over does not wait.

Works around: faust-streaming 0.15.3's consumer (`Consumer._drain_messages`) hands each record
to the conductor through `self.wait_first(callback(message), self.suspend_flow.wait())`: four
tasks (the callback, the flow's suspension, the consumer's stop and crash), an `asyncio.wait`
and three cancellations per record, ~1/7 of a busy worker's CPU (BENCHMARKS.md). The callback
puts the record in its stream's buffer and almost always returns without waiting.

`eager_hand_over` runs the callback's first step at once. When it returns, that is the outcome
`wait_first` would have had: the callback done, nothing cancelled (the drain loop ignores which
waits ended). When it waits (a full buffer), the callback goes on as a task from where it stopped,
and `wait_first` waits for it, the flow's suspension, the stop and the crash as before. While the
flow is suspended, or the consumer stopped or crashed, `wait_first` runs as it was.

Still needed? `grep -n "wait_first" faust/transport/consumer.py` in the installed Faust: while
`_drain_messages` calls it for each record, yes. `tests/unit/test_delivery.py` covers both ways.
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
    context = contextvars.copy_context()  # a task would run it in a copy of ours
    try:
        waiting_on = context.run(first.send, None)
    except StopIteration as done:
        _close(coros[1:])
        return WaitResults([first], [done.value], False)
    except BaseException:
        _close(coros[1:])
        raise
    task = asyncio.get_running_loop().create_task(_resumed(first, waiting_on), context=context)
    return await _original_wait_first(self, task, *coros[1:])


def _close(coros: tuple[Any, ...]) -> None:
    """Close the coroutines given for waits that will not be made (none is left never awaited)."""
    for coro in coros:
        if isinstance(coro, types.CoroutineType):
            coro.close()


def eager_hand_over() -> None:
    Consumer.wait_first = eager_wait_first  # type: ignore[method-assign]
