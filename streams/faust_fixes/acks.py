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

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from faust.types import EventT

log = logging.getLogger(__name__)
RELEASE_CHECK_S = 0.5  # how often a stopping worker looks whether an outage holds its streams up


def unacknowledged(events: list[EventT[bytes]]) -> None:
    """Keep events from being committed until they are scored (`acknowledge`)."""
    for event in events:
        event.message.acked = True


def acknowledge(consumer: Any, event: EventT[bytes]) -> None:
    """The event was scored: its offset may be committed."""
    event.message.acked = False
    consumer.ack(event.message)


def release_unacknowledged(consumer: Any) -> int:
    """Mark every message the consumer still waits for as acknowledged, uncommitted; how many."""
    waiting = [m for m in getattr(consumer, "_unacked_messages", ()) if not m.acked]
    for message in waiting:
        message.acked = True
    return len(waiting)


def release_when_held(app: Any, held: Callable[[], bool]) -> None:
    """While a stopping worker waits for its streams, release what they hold whenever `held()`
    (a dependency is down): nothing of it can be scored until the outage ends.

    Works around: `App._consumer_wait_empty` waits (`Consumer.wait_empty`) for every message
    delivered to a stream and not yet acknowledged, among them those gathered behind a batch
    that cannot be scored, so a worker asked to stop through an outage never stopped. Marked as
    `unacknowledged` does, they are not waited for and not committed: the next worker to hold
    their partitions reads them again (the offsets in the states make that exact). A rebalance
    still waits (the partitions' hand-over must not race the batch being written). Still
    needed? While `wait_empty` waits on `_unacked_messages` whatever the app's `should_stop`,
    yes (`tests/integration/test_outages.py`, a worker asked to stop through an outage).
    """
    wait_empty = app._consumer_wait_empty

    async def released_when_held(consumer: Any, logger: Any) -> None:
        if not app.should_stop:
            await wait_empty(consumer, logger)
            return
        waiting = asyncio.ensure_future(wait_empty(consumer, logger))
        try:
            while not waiting.done():
                if held() and (count := release_unacknowledged(consumer)):
                    log.warning("stopping through an outage: %d events taken in are left uncommitted, "
                                "for the next worker", count)
                await asyncio.wait([waiting], timeout=RELEASE_CHECK_S)
            waiting.result()
        finally:
            waiting.cancel()

    app._consumer_wait_empty = released_when_held
