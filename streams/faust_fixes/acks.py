"""A batch's events are acknowledged when they are scored, not when Faust moves on.

Works around: `Stream.take_events` acknowledges the events it yielded when its generator goes
on, also when the batch body was cancelled (a worker stopping mid-batch), and before events held
for event-time order are scored. `unacknowledged` marks each message acknowledged already, which
Faust's consumer bookkeeping (`Consumer.ack` acts only on a message not yet `acked`) then skips,
so its offset is not committed until `acknowledge` and, if the worker stops first, is delivered
again to whichever worker takes the partition (the offsets in the state make that replay exact).

Still needed? `faust/streams.py`, `Stream.take_events`: while it acks the yielded events in a
`finally` after its `yield`, yes. If `Consumer.ack` (`faust/transport/consumer.py`) stops testing
`message.acked`, this no longer holds events back: `tests/integration/test_replay.py` (workers
killed mid-stream) then finds events lost.
"""

from __future__ import annotations

from typing import Any

from faust.types import EventT


def unacknowledged(events: list[EventT[bytes]]) -> None:
    """Keep events from being committed until they are scored (`acknowledge`)."""
    for event in events:
        event.message.acked = True


def acknowledge(consumer: Any, event: EventT[bytes]) -> None:
    """The event was scored: its offset may be committed."""
    event.message.acked = False
    consumer.ack(event.message)
