"""Each account's events applied in event-time order across topics, however they arrive.

A worker reads an account's messages, proposals, feedback, account and
contract events, and the subject events re-keyed to it, from six partitions
with the same number (they are co-partitioned). How those partitions
interleave in delivery depends on timing: live, one topic's event comes a few
milliseconds before another's; in a backlog or after a restart the consumer may
read thousands of one topic's records before the next topic's. The detectors'
windows, decayed scores and cooldowns depend on the order of an account's
events, so `Reorder` holds what was delivered and releases it merged by event
time (`ts`, then the topics' order as a tie-break), each partition's records
still in offset order (so the source offsets kept in a state keep skipping
replays).

An event is released once no partition of its group can still deliver an
earlier one. For a partition with records held, its next is its head. For an
empty one: when the consumer has read up to its end (known from the broker's
high watermark) nothing is pending there, and an event may still be produced
with a time down to the wall clock minus the reorder window; otherwise its
next record's time is at least the newest time read from it minus the window
(producers write each topic in about event-time order, within the window). A
partition not read from at all yet holds everything back. So the same input
gives the same order live, from a backlog, and after a restart, provided
producers keep within the window; a record later than that is applied when it
comes (`late`, counted). Held events are not acknowledged, so Faust commits
no offset past them: a worker killed or a partition revoked drops them, and
they are delivered again from the committed offset.

What `Reorder` cannot order is a subject event whose source has not been
scored yet: it is derived by the worker of some partition (often this one) when
it scores the source, at its own pace. The subject-events partitions therefore
hold nothing back (`followers`: waiting for them would make every release wait
for the worker's own sends to come back); a subject event is merged with what is
held when it arrives, and the detectors fed by it must count it the same
whenever it comes (docs/operating.md, "Event order").

Across partition numbers (`numbers` set): the cover-letter index joins every
partition's proposals, and a proposal is compared with the letters sent before
it. Proposals are put in the index as they are read, before they are held here.
A number's floor is the earliest time a proposal of it not read yet can have.
For a proposals partition read to its end it is found as above (the wall clock
less the window). For one with records still to take in it is the newest time
read from it: what a partition delivers next comes after what it delivered, as
the merge above takes it of a partition with records held. (A letter written to
its partition behind one with a later time is still compared with the letters
before it, but a proposal of another number may have passed it.) Workers share
their floors through Redis (`streams.adapters.floors`). A proposal (the `gated`
topic) is released only once it is earlier than every other number's floor,
this worker's own or another's (`remote`): every letter sent up to its time is
then in the index. Floors only rise: what a floor covers stays in the index, so
one written before a restart stays true.
"""

from __future__ import annotations

import heapq
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

Partition = tuple[str, int]
FAR_PAST = -(2**62)


TS = b'"ts":'
TS_FIELD = re.compile(rb'"ts":(\d{1,18})[,}]')


def event_time(value: bytes | None, default: int) -> int:
    """The `ts` of a raw event; `default` for one that does not decode to one (it is dead-lettered
    when scored, in its partition's order). The usual compact JSON is read without decoding it
    all (a quote inside a string is escaped, so `"ts":` only matches a key)."""
    if not value:
        return default
    found = TS_FIELD.search(value)
    if found is not None and value.find(TS, found.end()) < 0 and value.find(TS, 0, found.start()) < 0:
        return int(found[1])
    try:
        ts = orjson.loads(value)["ts"]
    except (orjson.JSONDecodeError, TypeError, KeyError):
        return default
    return ts if type(ts) is int else default


@dataclass(slots=True)
class Clock:
    """The time a partition read to its end is held to (its next event can be no earlier than it,
    less the window). The wall clock, while producers stamp events with about the time they
    write them: the newest record read had an event time within the window of its write time.
    Otherwise the stream is read behind the clock (a backlog of older events, a replay), and the
    newest event time read stands for it: no producer writes an event more than the window before
    one it wrote earlier. To release a stream's last events (`local`), the wall clock is also
    taken once nothing was delivered for the window; floors shared with other workers take it
    then only when every partition is read up to the end the broker gave (a pause in a replay,
    a rebalance, is not the stream's end)."""

    window_ms: int
    live: bool = False
    delivered: float = 0.0  # when a record was last delivered (monotonic seconds)

    def saw(self, ts: int, written_ms: int, at: float) -> None:
        self.live = ts >= written_ms - self.window_ms
        self.delivered = at

    def now_ms(self, latest: int, local: bool, ended: bool = False) -> int:
        """`ended`: every partition is read up to the end the broker gave (not a pause)."""
        wall = int(time.time() * 1000)
        quiet = time.monotonic() - self.delivered >= self.window_ms / 1000
        return wall if self.live or (quiet and (local or ended)) else latest


@dataclass(slots=True)
class Held:
    ts: int
    rank: int  # the topic's place in the tie-break
    item: Any  # what the agent scores (an `Incoming`)
    handle: Any = None  # what it acknowledges once scored (a Faust event)
    at: float = 0.0  # when it was delivered (the caller's clock: how long it was held)


@dataclass(frozen=True, slots=True)
class GateWait:
    """When a proposal passes the gate without the other numbers' letters (monotonic seconds, the
    caller's clock at `now`): one taken in before `overdue`, once every number holding it has a
    floor that last rose `still_s` or more ago (its worker gone or stopped); one taken in before
    `bound`, whatever holds it (a worker reading on far behind: its floors still rise). The
    defaults let none pass."""

    now: float = 0.0
    still_s: float = 0.0
    overdue: float = float("-inf")
    bound: float = float("-inf")


@dataclass(frozen=True, slots=True)
class _Gate:
    """A partition number's gate: its proposals pass below `floor` (the other numbers' earliest
    floor); below `moving()` (the earliest of those whose floors rose lately, found only for a
    proposal that waited its longest) only still numbers hold them."""

    floor: int
    moving: Callable[[], int]
    wait: GateWait


@dataclass(slots=True)
class Released:
    held: list[Held] = field(default_factory=list)
    late: int = 0  # released behind a later event of the same account group (beyond the window)
    forced: int = 0  # released because too many were held, before the watermark passed them
    gated: int = 0  # proposals passed the gate having waited their longest for other numbers' letters


@dataclass(slots=True)
class Reorder:
    """Events held per partition until the watermark of their partition number passes them."""

    window_ms: int
    ranks: Mapping[str, int]  # consumed topic -> tie-break rank
    max_held: int = 50_000
    # topics whose empty partitions hold nothing back: the subject events, which the workers derive
    # from the events they release (waiting for them would wait for our own round trip)
    followers: frozenset[str] = frozenset()
    _queues: dict[Partition, deque[Held]] = field(default_factory=dict)
    _newest: dict[Partition, int] = field(default_factory=dict)  # newest ts read per partition
    _released: dict[int, tuple[int, int]] = field(default_factory=dict)  # partition number -> last (ts, rank)
    # the topic whose events wait for every partition number's floor (the proposals), the numbers
    # 0..numbers-1 (0: none waits), and the floors of the numbers held elsewhere as last shared
    gated: str = ""
    numbers: int = 0
    remote: dict[int, int] = field(default_factory=dict)
    rose: dict[int, float] = field(default_factory=dict)  # when each number's floor last rose (monotonic)
    shared_at: float = float("-inf")  # when the shared floors were last read (monotonic)
    _local: dict[int, int] = field(default_factory=dict)  # this worker's floors as last found
    clock: Clock = field(init=False)
    held: int = 0
    epoch: int = 0  # the consumer's seek count when the queues were last cleared
    since: float = 0.0  # when they were (monotonic seconds)

    def __post_init__(self) -> None:
        self.clock = Clock(self.window_ms)

    def add(self, topic: str, partition: int, ts: int, item: Any, handle: Any = None, at: float = 0.0) -> None:
        key = (topic, partition)
        queue = self._queues.get(key)
        if queue is None:
            queue = self._queues[key] = deque()
        while queue and queue[-1].item.offset >= item.offset:  # sought back: delivered again from here
            queue.pop()
            self.held -= 1
        queue.append(self._hold(key, ts, item, handle, at))

    def insert(self, topic: str, partition: int, ts: int, item: Any, handle: Any = None, at: float = 0.0) -> None:
        """A record read anew (an offset hole's, a tail's): held in its place by offset among its
        partition's (`add` takes a lower offset as a seek back and drops what follows it)."""
        key = (topic, partition)
        queue = self._queues.setdefault(key, deque())
        i = len(queue)
        while i and queue[i - 1].item.offset > item.offset:
            i -= 1
        if i and queue[i - 1].item.offset == item.offset:
            return  # held already
        queue.insert(i, self._hold(key, ts, item, handle, at))

    def _hold(self, key: Partition, ts: int, item: Any, handle: Any, at: float) -> Held:
        """A record of `key` (topic, partition) as held, counted and its time noted (`add` and
        `insert` place it)."""
        if ts > self._newest.get(key, FAR_PAST):
            self._newest[key] = ts
        self.held += 1
        return Held(ts, self.ranks[key[0]], item, handle, at)

    def saw(self, topic: str, ts: int, written_ms: int, at: float) -> None:
        """A record delivered, for the clock (`Clock.saw`). A follower's says nothing of it: a subject
        event carries its trigger's time and is written once the trigger is scored, so it reads
        as a replay, and while the scorer's own round trip delivered such events the clock would
        stay at the newest time read instead of the wall clock."""
        if topic not in self.followers:
            self.clock.saw(ts, written_ms, at)

    def newest(self, key: Partition) -> int:
        return self._newest.get(key, FAR_PAST)

    def latest(self) -> int:
        """The newest time read from any partition of the input topics (a follower's record,
        derived by a worker maybe further ahead, is no producer's)."""
        return max((ts for key, ts in self._newest.items() if key[0] not in self.followers), default=FAR_PAST)

    def now_ms(self, local: bool, ended: bool = False) -> int:
        """The time partitions read to their end are held to (`Clock`)."""
        return self.clock.now_ms(self.latest(), local, ended)

    def wake_ms(self) -> int | None:
        """The wall-clock time (ms) at which the clock alone can next release a held event: the
        earliest head's time plus the window, passed (what partitions read to their end wait for).
        None when nothing is held. A head held by a partition with records still to read waits
        for their delivery instead, so the time may already be past."""
        heads = [queue[0].ts for queue in self._queues.values() if queue]
        return min(heads) + self.window_ms + 1 if heads else None

    def clear(self) -> list[Held]:
        """Drop everything held (partitions sought again deliver it anew); what was dropped."""
        dropped = [h for queue in self._queues.values() for h in queue]
        self._queues.clear()
        self._newest.clear()  # read again from the sought positions: not read past anything yet
        self._released.clear()
        self.held = 0
        return dropped

    def shared(self, floors: Mapping[int, int], now: float) -> None:
        """The floors every worker last shared, read at `now` (monotonic): each one's rise noted."""
        self._note_rises(floors, self.remote, now)
        self.remote = dict(floors)
        self.shared_at = now

    def _note_rises(self, floors: Mapping[int, int], before: Mapping[int, int], now: float) -> None:
        for number, floor in floors.items():
            if number not in self.rose or floor > before.get(number, FAR_PAST):
                self.rose[number] = now

    def due(self, assigned: Iterable[Partition], idle: Callable[[Partition], bool], now_ms: int,
            floor_ms: int | None = None, wait: GateWait | None = None) -> Released:
        """What may be applied now, in order: per partition number, merged by (ts, rank). With
        proposals gated: the numbers' floors are found at `floor_ms` (default `now_ms`), and a
        proposal that waited its longest (`wait`; none without it) passes the gate anyway
        (`gated`)."""
        groups: dict[int, list[Partition]] = {}
        for key in assigned:
            groups.setdefault(key[1], []).append(key)
        out = Released()
        local = self.floors((k for keys in groups.values() for k in keys), idle,
                            now_ms if floor_ms is None else floor_ms) if self.numbers else {}
        if wait is not None:
            self._note_rises(local, self._local, wait.now)
            self._local = local
        floors = self._every_floor(local)
        lowest = heapq.nsmallest(2, floors)  # the earliest other than a number's own is one of these
        for number, keys in groups.items():
            gate = self._gate(number, floors, lowest, local, wait or GateWait()) if self.numbers else None
            self._release(number, keys, idle, now_ms, out, gate=gate)
        while self.held > self.max_held:  # a backlog far ahead on one topic: bound the memory
            number = max(self._queues, key=lambda k: len(self._queues[k]))[1]
            before = len(out.held)
            self._release(number, [k for k in self._queues if k[1] == number], idle, now_ms, out, limit=1)
            out.forced += len(out.held) - before
        return out

    def _bound(self, key: Partition, idle: Callable[[Partition], bool], now_ms: int, behind: int | None = None) -> int:
        """The earliest time an empty partition can still deliver: read to its end, the wall clock
        less the window; otherwise its newest time read less `behind` (default: the window)."""
        if idle(key):
            return max(now_ms, self.newest(key)) - self.window_ms
        newest = self._newest.get(key)
        return FAR_PAST if newest is None else newest - (self.window_ms if behind is None else behind)

    def floors(self, assigned: Iterable[Partition], idle: Callable[[Partition], bool], now_ms: int) -> dict[int, int]:
        """Per partition number assigned, the earliest time a proposal not read yet can have (what
        is read is in the cover-letter index already): `_bound`, with a partition that has records
        still to take in at its newest time read, which those records follow."""
        return {key[1]: self._bound(key, idle, now_ms, behind=0) for key in assigned if key[0] == self.gated}

    def _every_floor(self, local: Mapping[int, int]) -> list[tuple[int, int]]:
        """(floor, number) of every partition number: this worker's own, else as last shared."""
        return [(local[n] if n in local else self.remote.get(n, FAR_PAST), n) for n in range(self.numbers)]

    def _gate(self, number: int, floors: list[tuple[int, int]], lowest: list[tuple[int, int]],
              local: Mapping[int, int], wait: GateWait) -> _Gate:
        """A proposal of `number` waits until it is earlier than every other number's floor (the
        earliest of `lowest`, the two earliest `floors`, not its own), or has waited its longest
        (`wait`). A number held elsewhere counts as still only if it was still for `still_s` when
        the shared floors were last read: read long ago, they say nothing."""
        own, shared = wait.now - wait.still_s, min(wait.now, self.shared_at) - wait.still_s

        def moving() -> int:
            return min((floor for floor, n in floors if n != number
                        and self.rose.get(n, float("-inf")) > (own if n in local else shared)), default=2**62)

        return _Gate(next((floor for floor, n in lowest if n != number), 2**62), moving, wait)

    def _release(self, number: int, keys: list[Partition], idle: Callable[[Partition], bool], now_ms: int,
                 out: Released, limit: int | None = None, gate: _Gate | None = None) -> None:
        heads = [(q[0].ts, q[0].rank, i) for i, q in enumerate(self._queues.get(k) for k in keys) if q]
        if not heads:
            return
        heapq.heapify(heads)
        floor = min(((self._bound(k, idle, now_ms), self.ranks[k[0]]) for k in keys
                     if not self._queues.get(k) and k[0] not in self.followers), default=(2**62, 0))
        last = self._released.get(number, (FAR_PAST, 0))
        released = 0
        while heads and (limit is None or released < limit):
            ts, rank, i = heads[0]
            queue = self._queues[keys[i]]
            if limit is None and (ts, rank) >= floor:
                break
            if limit is None and gate is not None and keys[i][0] == self.gated and ts >= gate.floor:
                at = queue[0].at
                if at >= gate.wait.bound and (at >= gate.wait.overdue or ts >= gate.moving()):
                    break
                out.gated += 1  # waited its longest for the other numbers' letters
            head = queue.popleft()
            released += 1
            if (ts, rank) < last:
                out.late += 1
            else:
                last = (ts, rank)
            out.held.append(head)
            if queue:
                heapq.heapreplace(heads, (queue[0].ts, rank, i))
            else:
                heapq.heappop(heads)
                if keys[i][0] not in self.followers:
                    floor = min(floor, (self._bound(keys[i], idle, now_ms), rank))
        self.held -= released
        self._released[number] = last
