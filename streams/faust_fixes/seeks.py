"""After an assignment, every stream partition starts where it should, and the scorer learns where.

Works around two behaviours of Faust with aiokafka, on any broker:

1. Around an assignment Faust drops records its consumer already fetched (a fetched batch is cut
   short when the flow stops or the generation changes, and records of paused partitions are
   discarded), which moves the consumer past them. It then seeks every partition to its committed
   offset, but aiokafka's `seek_to_committed` leaves a partition with no committed offset (or
   offset 0) where it was: a topic's first records (re-keyed subject events, in a fresh
   deployment) were silently skipped. `seek_uncommitted_to_start` seeks such stream partitions to
   their beginning, as `auto_offset_reset=earliest` means.
2. A record Faust's fetcher marks as read around an assignment can fail to reach a stream, and
   the next fetch from the committed offset drops it (`streams.faust_fixes.continuity`). The
   patched seek hands each stream partition's position after the seek to the app's `Continuity`
   (registered with `follow`), which finds the holes this leaves for the agent to re-read;
   `mark_read` then lets Faust commit past them. The seek is announced before the consumer moves
   (`Continuity.seeking`): Faust's flow runs on during it, and records delivered once the
   consumer has moved are not delivered again, so they must not be dropped as if they would be.

Still needed? For 1: `aiokafka/consumer/consumer.py`, `seek_to_committed`: while it seeks only
`if offset and offset > 0`, yes. For 2: `riskscorer_offset_holes_total{found="skipped"}` counts
the holes found;
while it moves across rebalances (`tests/integration/test_replay.py` kills and restarts workers),
yes.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from typing import Any

import aiokafka
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP

from streams.faust_fixes.continuity import Continuity

_original_seek = faust_aiokafka.AIOKafkaConsumerThread.seek_to_committed

# The patch is on Faust's class, shared by every app of the process (tests build several): each
# app's own `Continuity` is found through its app, without keeping the app alive.
_FOLLOWERS: weakref.WeakKeyDictionary[Any, Continuity] = weakref.WeakKeyDictionary()


def follow(app: Any, continuity: Continuity) -> None:
    """Tell `continuity` every position `app`'s stream partitions are sought to."""
    _FOLLOWERS[app] = continuity


def _on_seeking(app: Any) -> None:
    continuity = _FOLLOWERS.get(app)
    if continuity is not None:
        continuity.seeking()


def _on_sought(app: Any, positions: dict[tuple[str, int], int]) -> None:
    continuity = _FOLLOWERS.get(app)
    if continuity is not None:
        continuity.sought(positions)


async def _seek(consumer: aiokafka.AIOKafkaConsumer, streamed: Callable[[str], bool]) -> Mapping[TP, int]:
    committed: Mapping[TP, int] = await consumer.seek_to_committed()
    unset = [tp for tp, offset in committed.items() if not offset and streamed(tp.topic)]
    if unset:
        await consumer.seek_to_beginning(*unset)
    return committed


def seek_uncommitted_to_start() -> None:
    async def seek_to_committed(self: Any) -> Mapping[TP, int]:
        if self.app.conf.consumer_auto_offset_reset != "earliest":
            return await _original_seek(self)
        # Stream topics only: changelog partitions are positioned by table recovery.
        streamed = self.app.topics.acks_enabled_for
        # Before the consumer moves: records delivered until now come again from the sought
        # positions, while those delivered once it has moved (the flow runs on meanwhile) do not.
        _on_seeking(self.app)
        committed: Mapping[TP, int] = await self.call_thread(_seek, self._ensure_consumer(), streamed)
        _on_sought(self.app, {(tp.topic, tp.partition): offset or 0
                              for tp, offset in committed.items() if streamed(tp.topic)})
        return committed

    faust_aiokafka.AIOKafkaConsumerThread.seek_to_committed = seek_to_committed  # type: ignore[method-assign]


async def mark_read(app: Any, topic: str, partition: int, start: int, end: int) -> None:
    """Offsets `start` to `end` (excluded) of a stream partition were processed without Faust's
    fetcher delivering them: Faust's consumer records them as a gap, which it commits through."""
    if end > start:
        await app.consumer._add_gap(TP(topic, partition), start, end - 1)
