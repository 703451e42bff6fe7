"""The reorder buffer: an account group's events in event-time order however topics interleave."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

import pytest

from streams.worker.ordering import FAR_PAST, Clock, GateWait, Reorder, event_time

RANKS = {"m": 0, "p": 1, "s": 2}


@dataclass(frozen=True)
class Item:
    topic: str
    offset: int
    ts: int
    key: bytes | None = None  # the account


def stream(topic: str, times: list[int]) -> list[Item]:
    return [Item(topic, offset, ts) for offset, ts in enumerate(times)]


def replay(deliveries: list[list[Item]], window: int, idle_at_end: bool = True) -> list[tuple[str, int]]:
    """Feed the deliveries (batches) in turn; partitions are idle once everything was delivered."""
    reorder = Reorder(window, RANKS)
    ends = {t: sum(1 for b in deliveries for i in b if i.topic == t) for t in RANKS}
    seen = dict.fromkeys(RANKS, 0)
    out: list[tuple[str, int]] = []
    assigned = [(t, 0) for t in RANKS]
    for batch in deliveries:
        for item in batch:
            reorder.add(item.topic, 0, item.ts, item)
            seen[item.topic] += 1
        due = reorder.due(assigned, lambda key: seen[key[0]] >= ends[key[0]], now_ms=0)
        out += [(h.item.topic, h.item.offset) for h in due.held]
    if idle_at_end:
        due = reorder.due(assigned, lambda key: True, now_ms=10**12)
        out += [(h.item.topic, h.item.offset) for h in due.held]
    assert reorder.held == 0
    return out


TOPICS = {"m": stream("m", [1, 5, 9, 12, 20]), "p": stream("p", [2, 3, 10, 11]), "s": stream("s", [4, 30])}
IDEAL = [("m", 0), ("p", 0), ("p", 1), ("s", 0), ("m", 1), ("m", 2), ("p", 2), ("p", 3), ("m", 3),
         ("m", 4), ("s", 1)]


@pytest.mark.parametrize("order", [
    "live",  # interleaved by time
    "topic_by_topic",  # a backlog read one topic after another
    "reversed_topics",
    "one_at_a_time_random",
])
def test_any_interleaving_gives_the_event_time_order(order):
    items = [i for t in TOPICS.values() for i in t]
    if order == "live":
        deliveries = [[i] for i in sorted(items, key=lambda i: i.ts)]
    elif order == "topic_by_topic":
        deliveries = [TOPICS["m"], TOPICS["p"], TOPICS["s"]]
    elif order == "reversed_topics":
        deliveries = [TOPICS["s"], TOPICS["p"], TOPICS["m"]]
    else:
        rng = random.Random(5)
        cursors = {t: list(v) for t, v in TOPICS.items()}
        deliveries = []
        while any(cursors.values()):
            t = rng.choice([t for t, v in cursors.items() if v])
            deliveries.append([cursors[t].pop(0)])
    assert replay(deliveries, window=0) == IDEAL


def test_a_partition_keeps_its_offset_order_within_the_window():
    # p's second record is 2 ms earlier than its first: within the window, so still in offset order
    topics = {"m": stream("m", [1, 6]), "p": stream("p", [5, 3])}
    got = replay([topics["p"], topics["m"]], window=5)
    assert got == [("m", 0), ("p", 0), ("p", 1), ("m", 1)]


def test_an_unread_partition_holds_everything_back():
    reorder = Reorder(0, RANKS)
    reorder.add("m", 0, 5, Item("m", 0, 5))
    assigned = [("m", 0), ("p", 0)]
    assert not reorder.due(assigned, lambda key: False, now_ms=10**12).held  # p not read yet
    assert len(reorder.due(assigned, lambda key: key[0] == "p", now_ms=10**12).held) == 1  # p read to its end


def test_a_partition_read_to_its_end_waits_the_window_on_the_wall_clock():
    reorder = Reorder(100, RANKS)
    reorder.add("m", 0, 1_000, Item("m", 0, 1_000))
    assigned = [("m", 0), ("p", 0)]
    assert not reorder.due(assigned, lambda key: True, now_ms=1_050).held
    assert len(reorder.due(assigned, lambda key: True, now_ms=1_101).held) == 1


def test_records_delivered_again_after_a_seek_replace_the_held_ones():
    reorder = Reorder(0, RANKS)
    for offset in (3, 4, 5):
        reorder.add("m", 0, offset, Item("m", offset, offset))
    for offset in (4, 5, 6):
        reorder.add("m", 0, offset, Item("m", offset, offset))
    due = reorder.due([("m", 0)], lambda key: True, now_ms=10**12)
    assert [h.item.offset for h in due.held] == [3, 4, 5, 6]


def test_too_many_held_releases_the_oldest_and_counts_them():
    reorder = Reorder(0, RANKS, max_held=2)
    for offset in range(4):
        reorder.add("m", 0, offset, Item("m", offset, offset))
    due = reorder.due([("m", 0), ("p", 0)], lambda key: False, now_ms=0)
    assert [h.item.offset for h in due.held] == [0, 1] and due.forced == 2 and reorder.held == 2


def test_an_event_behind_the_window_is_applied_late_and_counted():
    reorder = Reorder(0, RANKS)
    reorder.add("m", 0, 10, Item("m", 0, 10))
    assert len(reorder.due([("m", 0), ("p", 0)], lambda key: True, now_ms=100).held) == 1
    reorder.add("p", 0, 5, Item("p", 0, 5))
    due = reorder.due([("m", 0), ("p", 0)], lambda key: True, now_ms=100)
    assert len(due.held) == 1 and due.late == 1


@pytest.mark.parametrize(("value", "ts"), [
    (b'{"ts": 17, "x": 1}', 17), (b'{"ts": "17"}', -1), (b"not json", -1), (None, -1), (b"[1]", -1),
    (b'{"x": 1}', -1), (b'{"text":"say \\"ts\\":5","ts":7}', 7), (b'{"ts":1.5}', -1), (b'{"ts":-3}', -3),
    (b'{"ts":1,"ts":2}', 2), (b'{"ts":12}', 12), (b'{"ts":99999999999999999999999999}', -1),
])
def test_event_time_of_a_raw_event(value, ts):
    assert event_time(value, -1) == ts


def test_subject_events_hold_nothing_back():
    reorder = Reorder(0, RANKS, followers=frozenset({"s"}))
    reorder.add("m", 0, 5, Item("m", 0, 5))
    assigned = [("m", 0), ("s", 0)]
    assert len(reorder.due(assigned, lambda key: key[0] == "m", now_ms=10**12).held) == 1  # s not read, not idle


def test_after_a_seek_a_partition_holds_back_until_read_again():
    reorder = Reorder(0, RANKS)
    reorder.add("p", 0, 50, Item("p", 0, 50))
    assigned = [("m", 0), ("p", 0)]
    assert len(reorder.due(assigned, lambda key: key[0] == "m", now_ms=10**12).held) == 1
    reorder.clear()
    reorder.add("m", 0, 20, Item("m", 0, 20))
    assert not reorder.due(assigned, lambda key: False, now_ms=0).held  # p sought back: its next may be older


def test_the_clock_releases_the_oldest_head_when_its_time_plus_the_window_has_passed():
    reorder = Reorder(100, RANKS)
    assert reorder.wake_ms() is None
    reorder.add("m", 0, 1_000, Item("m", 0, 1_000))
    reorder.add("p", 0, 990, Item("p", 0, 990))
    reorder.add("p", 0, 1_500, Item("p", 1, 1_500))
    wake = reorder.wake_ms()
    assigned = [("m", 0), ("p", 0), ("s", 0)]
    assert wake == 1_091
    assert not reorder.due(assigned, lambda key: True, now_ms=wake - 2).held  # within the window
    assert [h.item.offset for h in reorder.due(assigned, lambda key: True, now_ms=wake).held] == [0]
    assert reorder.wake_ms() == 1_101  # the next head: m's event at 1,000



def gated(numbers: int = 2, **kw) -> Reorder:
    return Reorder(0, RANKS, gated="p", numbers=numbers, **kw)


def test_a_proposal_waits_until_every_other_numbers_proposals_are_read_past_it():
    reorder = gated()
    reorder.add("m", 0, 10, Item("m", 0, 10))
    reorder.add("p", 0, 25, Item("p", 0, 25))
    reorder.add("m", 0, 30, Item("m", 1, 30))
    reorder.add("p", 1, 20, Item("p", 0, 20))
    assigned = [("m", 0), ("p", 0), ("m", 1), ("p", 1)]
    due = reorder.due(assigned, lambda key: key[0] == "m", now_ms=10**6)  # p of 1 read up to 20, not to its end
    assert [(h.item.topic, h.ts) for h in due.held] == [("m", 10), ("p", 20)]  # 25 and what follows it wait
    reorder.add("p", 1, 26, Item("p", 1, 26))
    due = reorder.due(assigned, lambda key: key[0] == "m", now_ms=10**6)
    assert [(h.item.topic, h.ts) for h in due.held] == [("p", 25)]  # m 30: p of 0 may still deliver from 25


def test_a_proposal_waits_for_no_window_behind_a_partition_with_records_still_to_take_in():
    # what that partition delivers next comes after what it delivered: its floor is its newest time
    reorder = Reorder(100, RANKS, gated="p", numbers=2)
    reorder.add("p", 0, 1_000, Item("p", 0, 1_000))
    reorder.add("p", 1, 1_050, Item("p", 0, 1_050))
    due = reorder.due([("p", 0), ("p", 1)], lambda key: False, now_ms=1_060)
    assert [h.ts for h in due.held] == [1_000]  # 1,050 waits: number 0 may still deliver from 1,000


def test_apart_a_proposal_waits_for_its_own_numbers_topics_only():
    reorder = Reorder(0, RANKS)
    reorder.add("p", 0, 25, Item("p", 0, 25))
    due = reorder.due([("m", 0), ("p", 0), ("m", 1), ("p", 1)], lambda key: key[1] == 0, now_ms=10**6)
    assert [h.ts for h in due.held] == [25]


def test_a_number_held_elsewhere_binds_proposals_by_its_shared_floor():
    reorder = gated(3)
    reorder.add("p", 0, 5, Item("p", 0, 5))
    reorder.add("p", 0, 15, Item("p", 1, 15))
    assigned = [("p", 0)]
    assert not reorder.due(assigned, lambda key: True, now_ms=0).held  # 1 and 2: no floor shared yet
    reorder.remote = {1: 12, 2: 11}
    assert [h.ts for h in reorder.due(assigned, lambda key: True, now_ms=0).held] == [5]
    reorder.remote = {0: -1, 1: 100, 2: 16}  # its own number's shared floor does not bind it
    assert [h.ts for h in reorder.due(assigned, lambda key: True, now_ms=0).held] == [15]


def test_each_numbers_proposals_pass_below_the_earliest_floor_of_the_others_however_many():
    rng = random.Random(7)
    for _ in range(200):
        numbers = rng.randint(1, 40)
        reorder = gated(numbers)
        mine = rng.sample(range(numbers), rng.randint(1, numbers))
        # numbers held elsewhere, some with no floor shared yet (FAR_PAST: nothing passes them)
        reorder.remote = {n: rng.randint(0, 100) for n in range(numbers) if n not in mine and rng.random() < 0.9}
        ts = {n: rng.randint(0, 100) for n in mine}
        for n in mine:
            reorder.add("p", n, ts[n], Item("p", n, ts[n]))  # offset: its number
        floors = {**{n: FAR_PAST for n in range(numbers)}, **reorder.remote, **ts}  # own: records still to come
        due = reorder.due([("p", n) for n in mine], lambda key: False, now_ms=10**6)
        expected = {n for n in mine if ts[n] < min((f for m, f in floors.items() if m != n), default=2**62)}
        assert {h.item.offset for h in due.held} == expected


def test_floors_are_the_earliest_time_a_proposal_not_read_yet_can_have():
    reorder = Reorder(100, RANKS, gated="p", numbers=3)
    reorder.add("p", 0, 500, Item("p", 0, 500))
    reorder.add("p", 2, 300, Item("p", 0, 300))
    assigned = [("m", 0), ("p", 0), ("p", 1), ("p", 2)]
    floors = reorder.floors(assigned, lambda key: key[1] == 2, now_ms=450)
    # 0: read up to 500, more to come after it; 1: never read; 2: read to its end, may still get one
    # from 450 - 100
    assert floors == {0: 500, 1: FAR_PAST, 2: 350}


def test_the_clock_is_the_wall_clock_while_event_times_are_live_else_the_newest_read():
    clock = Clock(200)
    wall = int(time.time() * 1000)
    assert clock.now_ms(latest=5_000, local=False) == 5_000  # nothing seen live yet
    clock.saw(ts=1_000_000, written_ms=wall, at=time.monotonic())  # a replay: old events written now
    assert clock.now_ms(latest=1_000_000, local=False) == 1_000_000
    assert clock.now_ms(latest=1_000_000, local=True) == 1_000_000  # delivered just now
    clock.delivered -= 0.2  # nothing delivered for the window: the stream's last events may go
    assert clock.now_ms(latest=1_000_000, local=True) >= wall
    assert clock.now_ms(latest=1_000_000, local=False) == 1_000_000  # but no floor is shared on it
    assert clock.now_ms(latest=1_000_000, local=False, ended=True) >= wall  # unless all is read to its end
    clock.saw(ts=wall - 150, written_ms=wall, at=time.monotonic())  # stamped within the window
    assert clock.now_ms(latest=wall - 150, local=False) >= wall


def test_a_subject_event_leaves_the_live_clock_live():
    # a subject event carries its trigger's time and is written once the trigger is scored, past
    # the window: read as a producer's record it would turn the clock back to the newest time read
    reorder = Reorder(200, RANKS, followers=frozenset({"s"}))
    wall = int(time.time() * 1000)
    reorder.saw("m", wall - 30, wall, time.monotonic())
    reorder.saw("s", wall - 400, wall, time.monotonic())
    assert reorder.now_ms(local=True) >= wall
    reorder.saw("m", wall - 400, wall, time.monotonic())  # a producer's record that late is a replay's
    assert reorder.now_ms(local=True) < wall


def test_a_proposal_passes_the_gate_after_waiting_its_longest():
    reorder = gated()
    reorder.add("p", 0, 25, Item("p", 0, 25), at=10.0)
    reorder.add("p", 0, 26, Item("p", 1, 26), at=12.0)
    assigned = [("p", 0)]
    # number 1 has no floor (its worker gone): taken in before `overdue`, a proposal passes
    assert not reorder.due(assigned, lambda key: True, now_ms=10**6, wait=GateWait(100.0, 30.0, 10.0)).held
    due = reorder.due(assigned, lambda key: True, now_ms=10**6, wait=GateWait(100.0, 30.0, 11.0))
    assert [h.ts for h in due.held] == [25] and due.gated == 1 and due.forced == 0


def test_a_proposal_waits_past_its_longest_while_the_number_holding_it_still_rises():
    """A worker reading on far behind is not gone: its floors rise, and the proposals they hold
    wait for its letters up to `bound`."""
    reorder = gated(3)
    reorder.add("p", 0, 25, Item("p", 0, 25), at=10.0)
    assigned = [("p", 0)]
    reorder.shared({1: 30, 2: 20}, now=0.0)  # 2 holds the proposal
    reorder.shared({1: 30, 2: 21}, now=90.0)  # and rose 10 s ago
    rising = GateWait(100.0, 30.0, overdue=70.0, bound=0.0)
    assert not reorder.due(assigned, lambda key: True, now_ms=10**6, wait=rising).held
    reorder.shared({1: 30, 2: 21}, now=119.0)
    assert not reorder.due(assigned, lambda key: True, now_ms=10**6, wait=GateWait(119.0, 30.0, 89.0)).held
    reorder.shared({1: 30, 2: 21}, now=121.0)
    due = reorder.due(assigned, lambda key: True, now_ms=10**6, wait=GateWait(121.0, 30.0, 91.0))  # still 31 s
    assert [h.ts for h in due.held] == [25] and due.gated == 1


def test_floors_read_long_ago_do_not_count_as_still():
    """Shared floors are only as new as their last reading: one that rose just before it may have
    risen since."""
    reorder = gated()
    reorder.add("p", 0, 25, Item("p", 0, 25), at=10.0)
    reorder.shared({1: 20}, now=0.0)
    reorder.shared({1: 21}, now=5.0)  # rose, then nothing read for 40 s
    assert not reorder.due([("p", 0)], lambda key: True, now_ms=10**6, wait=GateWait(45.0, 30.0, 15.0)).held
    reorder.shared({1: 21}, now=46.0)  # read again: still since 5
    due = reorder.due([("p", 0)], lambda key: True, now_ms=10**6, wait=GateWait(46.0, 30.0, 16.0))
    assert [h.ts for h in due.held] == [25] and due.gated == 1


def test_this_workers_own_rising_number_holds_a_proposal_and_a_still_one_lets_it_pass():
    reorder = gated(3)
    reorder.add("p", 0, 25, Item("p", 0, 25), at=10.0)
    reorder.add("p", 2, 20, Item("p", 0, 20), at=10.0)  # 2's floor: its newest read, 20
    assigned = [("p", 0), ("p", 2)]
    reorder.shared({1: 30}, now=0.0)  # 1, held elsewhere, is past 25 anyway
    reorder.shared({1: 30}, now=100.0)
    not_idle = lambda key: False  # noqa: E731 - both may still deliver
    due = reorder.due(assigned, not_idle, now_ms=10**6, wait=GateWait(100.0, 30.0, 70.0))
    assert [h.ts for h in due.held] == [20]  # 2 first seen now: counted as rising, 0's proposal waits
    reorder.shared({1: 30}, now=131.0)
    due = reorder.due(assigned, not_idle, now_ms=10**6, wait=GateWait(131.0, 30.0, 101.0))
    assert [h.ts for h in due.held] == [25] and due.gated == 1  # 2 stood still 31 s


def test_a_proposal_passes_at_the_bound_whatever_holds_it():
    reorder = gated()
    reorder.add("p", 0, 25, Item("p", 0, 25), at=10.0)
    reorder.shared({1: 20}, now=99.0)
    due = reorder.due([("p", 0)], lambda key: True, now_ms=10**6, wait=GateWait(100.0, 30.0, 70.0, bound=11.0))
    assert [h.ts for h in due.held] == [25] and due.gated == 1


def test_a_number_that_only_rises_beside_the_gate_does_not_hold_a_proposal():
    """Only the numbers at or below a proposal's time hold it: one rising above it does not keep it
    waiting once the number holding it stood still."""
    reorder = gated(3)
    reorder.add("p", 0, 25, Item("p", 0, 25), at=10.0)
    reorder.shared({1: 50, 2: 20}, now=0.0)
    reorder.shared({1: 60, 2: 20}, now=95.0)  # 1 rose lately but is past 25; 2 stood still
    due = reorder.due([("p", 0)], lambda key: True, now_ms=10**6, wait=GateWait(100.0, 30.0, 70.0))
    assert [h.ts for h in due.held] == [25] and due.gated == 1


def test_a_subject_event_read_ahead_does_not_move_a_replay_clock():
    # a replay's clock is the newest time read; a subject event derived elsewhere, further ahead,
    # would pass an event that an idle partition can still precede (its newest less the window)
    reorder = Reorder(200, RANKS, followers=frozenset({"s"}))
    reorder.add("m", 0, 1100, Item("m", 0, 1100))
    assert [h.ts for h in reorder.due([("m", 0)], lambda key: True, now_ms=reorder.now_ms(local=False)).held] == [1100]
    reorder.add("p", 0, 1000, Item("p", 0, 1000))
    reorder.add("s", 1, 10_000, Item("s", 0, 10_000))
    assert reorder.latest() == 1100
    due = reorder.due([("m", 0), ("p", 0)], lambda key: True, now_ms=reorder.now_ms(local=False))
    assert not due.held  # m can still deliver from 900


@pytest.mark.parametrize("seed", range(20))
def test_with_the_gate_any_reading_keeps_each_accounts_order_and_proposals_wait_for_the_others(seed):
    # two partition numbers of three topics, six accounts; each partition in time order; read in
    # random chunks, the numbers' proposals partitions at different paces
    rng = random.Random(seed)
    records: dict[tuple[str, int], list[Item]] = {}
    for number in (0, 1):
        for topic in RANKS:
            times = sorted(rng.randrange(1000) for _ in range(rng.randrange(5, 40)))
            records[(topic, number)] = [Item(topic, o, ts, b"%d-%d" % (number, rng.randrange(3)))
                                        for o, ts in enumerate(times)]
    reorder = gated()
    read = dict.fromkeys(records, 0)
    out: list[Item] = []
    while any(read[k] < len(v) for k, v in records.items()):
        key = rng.choice([k for k, v in records.items() if read[k] < len(v)])
        for item in records[key][read[key]:read[key] + rng.randrange(1, 8)]:
            reorder.add(key[0], key[1], item.ts, item)
            read[key] += 1
        due = reorder.due(list(records), lambda k: read[k] == len(records[k]), now_ms=0)
        for h in due.held:  # a proposal only once the other number's proposals are read past it
            other = ("p", 1 - int(h.item.key[:1]))
            assert h.item.topic != "p" or read[other] == len(records[other]) or read[other] > 0 and \
                records[other][read[other] - 1].ts > h.ts
        out += [h.item for h in due.held]
    out += [h.item for h in reorder.due(list(records), lambda k: True, now_ms=10**6).held]
    assert sorted(out, key=lambda i: (i.topic, i.key, i.offset)) == sorted(
        (i for v in records.values() for i in v), key=lambda i: (i.topic, i.key, i.offset))
    for account in {i.key for i in out}:
        mine = [(i.ts, RANKS[i.topic]) for i in out if i.key == account]
        assert mine == sorted(mine), account
