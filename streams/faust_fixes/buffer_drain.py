"""Records of a partition put back on the fetcher are handed over at once, not up to a second later.

Works around: faust-streaming 0.15.3 takes a partition off its fetcher while the partition's
stream buffer is under pressure (`Consumer.on_buffer_full`) and puts it back once the buffer has
drained to half (`on_buffer_drop`). Faust's fetcher asks the consumer thread for the records of the
partitions on it, waiting up to a second (`_drain_messages` calls `getmany(timeout=1.0)`), and
aiokafka's `Fetcher.fetched_records` wakes from that wait only when a fetch brings new records.
A partition put back meanwhile, its records already fetched and waiting in aiokafka, is not
looked at again until then. The scorer takes in a batch ahead at most, so in a backlog the
busiest partitions' buffers fill whenever scoring is the slower side; the other partitions,
read to their end, bring no new records, and intake stopped for up to a second while the scorer
ran out of work (BENCHMARKS.md, "Intake stalled for a second after a full stream buffer").

`on_buffer_drop` now also wakes the consumer thread's waits for records (aiokafka's
`_fetch_waiters`, from that thread's loop), so they look again at once, at the partitions on the
fetcher now.

Still needed? In the installed Faust and aiokafka: while `_drain_messages` passes `timeout=1.0`
and `fetched_records` waits only for fetched records, yes. `tests/unit/test_buffer_drain.py`
fails if a wait is no longer woken.
"""

from __future__ import annotations

from typing import Any

from faust.transport.consumer import Consumer

_original_on_buffer_drop = Consumer.on_buffer_drop


def wake_waiters(fetcher: Any) -> None:
    """aiokafka's waits for records (`Fetcher.fetched_records`) look again; in its thread."""
    for waiter in list(fetcher._fetch_waiters):
        fetcher._notify(waiter)


def on_buffer_drop(self: Any, tp: Any) -> None:
    """`Consumer.on_buffer_drop`, then the consumer thread's waits for records are woken."""
    put_back = tp in self._buffered_partitions
    _original_on_buffer_drop(self, tp)
    thread: Any = getattr(self, "_thread", None)  # a `ThreadDelegateConsumer`'s consumer thread
    client = getattr(thread, "_consumer", None)
    if put_back and client is not None:
        thread.thread_loop.call_soon_threadsafe(wake_waiters, client._fetcher)


def wake_on_drain() -> None:
    Consumer.on_buffer_drop = on_buffer_drop  # type: ignore[method-assign]
