"""Every offset of every input partition reaches the scorer, also across rebalances.

After a seek (Faust seeks every stream partition to its committed offset when
partitions are assigned) the first record a partition delivers must be the one
at the seek position, and after that each record must follow the one before.
Faust's fetcher does not guarantee it: around an assignment a record it marks
as read may never reach a stream, and the fetch from the committed offset then
drops it, so the partition resumes one or more offsets further on. Faust commits
past such a hole, and no worker would ever see those events.

`Continuity` keeps, per input partition, the offset that must come next: the
position of the last seek, then one past the last offset seen. Delivered offsets
are checked against it as they are taken in, and every hole is read straight
from the broker (`Refetcher`, a consumer of its own outside the group) and held
for event-time order in its place among its partition's records, before anything
more is released (`ScoreAgent.hold_read_anew`): a state skips a record at or below
the last offset it applied from that partition, so a hole's records must come
after the earlier ones still held and before the later ones. Re-reading is safe: a record seen twice is
skipped by the offsets kept in each account's state, and escalation ids are
deterministic. Re-reading too much only costs time; missing a record loses it.

A skipped tail (the partition's last records, none delivered after them) has no later record
to show it: a partition that delivered nothing for `TAIL_HOLE_S` while the worker was idle and
its end says more is there is read from the broker the same way, its records then held for
event-time order like delivered ones (`ScoreAgent.find_tails`). A partition the fetcher stopped
fetching altogether shows no tail that way, since the end the group consumer knows moves only with
its fetches: the broker is asked for the ends of quiet partitions directly (`Stalls`).

Still needed? `riskscorer_offset_holes_total{found="skipped"}` counts the holes found (`tail` and
`stalled` count the tails): while it moves across rebalances (workers joining, leaving, killed;
`tests/integration/test_replay.py` does all three), yes. The positions come from `streams.faust_fixes.seeks`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiokafka
from faust.types import TP

from streams.faust_fixes import highwaters

Partition = tuple[str, int]


@dataclass(frozen=True, slots=True)
class Hole:
    """Offsets `start` (included) to `end` (excluded) of one partition, never delivered."""

    topic: str
    partition: int
    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(slots=True)
class Continuity:
    """The offset that must come next on each partition, and the holes a batch leaves."""

    _sought: dict[Partition, int] = field(default_factory=dict)
    _epoch: int = 0
    _seen_epoch: dict[Partition, int] = field(default_factory=dict)
    _next: dict[Partition, int] = field(default_factory=dict)

    _seeking: bool = False

    def seeking(self) -> None:
        """A seek begins: what is delivered from now on is of a new epoch.

        Called before the consumer moves, so that everything delivered before is known to come
        again from the sought positions; what is delivered while the seek runs (from before it
        or after it) is checked from its own first offset until the positions are told."""
        self._epoch += 1
        self._sought = {}
        self._seeking = True

    def sought(self, positions: Mapping[Partition, int]) -> None:
        """The consumer was sought: each partition's next record is the one at its position
        (or further on, if the partition delivered past it while the seek ran)."""
        if not self._seeking:
            self._epoch += 1
        self._seeking = False
        self._sought = dict(positions)
        for key, start in self._sought.items():
            if self._seen_epoch.get(key) == self._epoch:
                self._next[key] = max(self._next.get(key, start), start)

    @property
    def epoch(self) -> int:
        """How many times the consumer was sought."""
        return self._epoch

    def next_offset(self, key: Partition) -> int | None:
        """The offset `key` delivers next, if known (sought, or seen since)."""
        if self._seen_epoch.get(key) == self._epoch:
            return self._next.get(key)
        return self._sought.get(key)

    def tail(self, key: Partition, end: int, most: int | None = None) -> Hole | None:
        """The offsets from the one `key` delivers next up to `end` (excluded; `most` of them at
        most), as a hole, once: a tail the fetcher skipped after a seek has no later record to
        show it."""
        due = self.next_offset(key)
        if due is None or due >= end:
            return None
        end = end if most is None else min(end, due + most)
        self._seen_epoch[key] = self._epoch
        self._next[key] = end
        return Hole(key[0], key[1], due, end)

    def holes(self, offsets: Iterable[tuple[str, int, int]]) -> list[Hole]:
        """The holes in front of (topic, partition, offset) triples, in delivery order.

        Records the offsets as seen: a hole is reported once.
        """
        found: list[Hole] = []
        for topic, partition, offset in offsets:
            key = (topic, partition)
            if self._seen_epoch.get(key) != self._epoch:
                self._seen_epoch[key] = self._epoch
                if key in self._sought:
                    self._next[key] = self._sought[key]
                else:
                    self._next.pop(key, None)
            due = self._next.get(key)
            if due is not None and offset > due:
                found.append(Hole(topic, partition, due, offset))
            self._next[key] = offset + 1 if due is None else max(due, offset + 1)
        return found


@dataclass(slots=True)
class Stalls:
    """Partitions the fetcher stopped fetching. Such a partition's end, as the group consumer knows
    it, stays where it was, so no tail shows (`Continuity.tail`): the broker is asked for the ends
    of quiet partitions, every `idle_s` after an answer with none short of its end and every
    `every_s` after one with some. A partition found short twice running, at the same next offset,
    is stalled. Once is not enough: a record written a moment before the asking may be on its way."""

    every_s: float
    idle_s: float
    asked_at: float = float("-inf")  # when the last answer was read
    behind: dict[Partition, int] = field(default_factory=dict)
    asking: asyncio.Future[dict[Partition, int]] | None = None  # the broker's answer, while it comes

    def due(self, now: float) -> bool:
        return self.asking is None and now - self.asked_at >= (self.every_s if self.behind else self.idle_s)

    def found(self, ends: Mapping[Partition, int] | None, next_offsets: Mapping[Partition, int],
              now: float) -> list[Partition]:
        """The partitions stalled, given the broker's `ends` and the offsets each delivers next;
        none when the asking failed (`ends` None), what the one before found kept."""
        self.asked_at = now
        if ends is None:
            return []
        short = {key: due for key, due in next_offsets.items() if ends.get(key, due) > due}
        stalled = [key for key, due in short.items() if self.behind.get(key) == due]
        self.behind = short
        return stalled


class RefetchTimeout(TimeoutError):
    pass


@dataclass(frozen=True, slots=True)
class Refetcher:
    """Reads given offset ranges from the broker, outside the consumer group."""

    bootstrap: list[str]
    timeout_s: float = 30.0
    client: Mapping[str, Any] = field(default_factory=dict)

    async def fetch(self, holes: list[Hole]) -> list[aiokafka.ConsumerRecord]:
        """The records in `holes`, in offset order per partition. A hole's offsets that the
        partition does not hold (deleted by retention) are passed over."""
        if not holes:
            return []
        consumer = aiokafka.AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap, group_id=None, enable_auto_commit=False,
            auto_offset_reset="earliest", fetch_max_wait_ms=100, **self.client,
        )
        await consumer.start()
        try:
            return await self._read(consumer, holes)
        finally:
            await consumer.stop()

    async def ends(self, keys: list[Partition]) -> dict[Partition, int]:
        """The end offset of each of `keys`, asked of the broker itself: the group consumer's
        (`highwater`) moves only while its fetcher fetches the partition. The end reported is
        checked with a fetch by the same client (`highwaters.probed_ends`: some brokers report a
        short one)."""
        if not keys:
            return {}
        consumer = highwaters.probe_consumer(self.bootstrap, **self.client)
        try:
            await consumer.start()
            reported = await consumer.end_offsets([aiokafka.TopicPartition(t, p) for t, p in keys])
            ends = await highwaters.probed_ends(consumer, {TP(tp.topic, tp.partition): end
                                                           for tp, end in reported.items()})
        finally:
            await consumer.stop()
        return {(tp.topic, tp.partition): end for tp, end in ends.items()}

    async def _read(self, consumer: aiokafka.AIOKafkaConsumer, holes: list[Hole]) -> list[aiokafka.ConsumerRecord]:
        by_partition: dict[aiokafka.TopicPartition, list[Hole]] = {}
        for hole in holes:
            by_partition.setdefault(aiokafka.TopicPartition(hole.topic, hole.partition), []).append(hole)
        consumer.assign(list(by_partition))
        ends = {}
        for tp, ranges in by_partition.items():
            consumer.seek(tp, min(h.start for h in ranges))
            ends[tp] = max(h.end for h in ranges)
        out: list[aiokafka.ConsumerRecord] = []
        pending = set(by_partition)
        deadline = time.monotonic() + self.timeout_s
        while pending:
            if time.monotonic() > deadline:
                raise RefetchTimeout(f"offsets not read within {self.timeout_s:.0f} s: "
                                     + ", ".join(f"{tp.topic}:{tp.partition}" for tp in pending))
            fetched = await consumer.getmany(*pending, timeout_ms=200)
            for tp, records in fetched.items():
                out += [r for r in records if any(h.start <= r.offset < h.end for h in by_partition[tp])]
            for tp in list(pending):
                if await consumer.position(tp) >= ends[tp]:
                    pending.discard(tp)
        return sorted(out, key=lambda r: (r.topic, r.partition, r.offset))
