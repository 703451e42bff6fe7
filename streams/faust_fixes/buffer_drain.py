"""Records of a partition put back on the fetcher are handed over at once, not up to a second later.

Works around: faust-streaming 0.15.3 takes a partition off its fetcher while the partition's
stream buffer is under pressure (`Consumer.on_buffer_full`, at about 80% full) and puts it back
once the buffer has drained (`on_buffer_drop`, at 40% or empty). Faust's fetcher asks the
consumer thread for the records of the partitions on it, waiting up to a second
(`_drain_messages` calls `getmany(timeout=1.0)`), and aiokafka's `Fetcher.fetched_records` wakes
from that wait when a fetch brings new records (or the fetcher closes), not when a partition is
put back. The records of a partition put back meanwhile, fetched already and waiting in aiokafka,
were not looked at until then. The scorer takes in a batch ahead at most, so in a backlog the
busiest partitions' buffers fill whenever scoring is the slower side; the other partitions, read
to their end, bring no new records, and intake stopped for up to a second while the scorer ran
out of work (BENCHMARKS.md, "Intake stalled for a second after a full stream buffer").

`on_buffer_drop` now also wakes the consumer thread's waits for records (aiokafka's
`_fetch_waiters`, from that thread's loop). A woken wait looks again at the partitions it was
given, which is Faust's live set of active partitions (`_get_active_partitions`, passed on
uncopied), so it finds the partition put back. Once the consumer thread has ended (its loop
closed), nothing is woken.

Still needed? In the installed Faust and aiokafka: while `_drain_messages` passes `timeout=1.0`
and `fetched_records` waits only for fetched records, yes. The wake works only while Faust passes
its live set of active partitions to `fetched_records`: if it passes a copy, a woken wait finds
nothing new. `tests/unit/test_buffer_drain.py` fails if a wait is no longer woken.
"""

from __future__ import annotations

import contextlib
from typing import Any

from faust.transport.consumer import Consumer

_original_on_buffer_drop = Consumer.on_buffer_drop


def wake_waiters(fetcher: Any) -> None:
    """aiokafka's waits for records (`Fetcher.fetched_records`) look again; in its thread."""
    for waiter in list(fetcher._fetch_waiters):
        fetcher._notify(waiter)


def _wake(consumer: Any) -> None:
    """Wake the consumer thread's waits for records, if that thread runs aiokafka's fetcher."""
    thread: Any = getattr(consumer, "_thread", None)  # a `ThreadDelegateConsumer`'s consumer thread
    fetcher = getattr(getattr(thread, "_consumer", None), "_fetcher", None)
    loop = getattr(thread, "thread_loop", None)
    if fetcher is None or loop is None or loop.is_closed():
        return  # not started, or ended: no wait to wake
    with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
        loop.call_soon_threadsafe(wake_waiters, fetcher)


def on_buffer_drop(self: Any, tp: Any) -> None:
    """`Consumer.on_buffer_drop`, then the consumer thread's waits for records are woken."""
    put_back = tp in self._buffered_partitions
    _original_on_buffer_drop(self, tp)
    if put_back:
        _wake(self)


def wake_on_drain() -> None:
    Consumer.on_buffer_drop = on_buffer_drop  # type: ignore[method-assign]
