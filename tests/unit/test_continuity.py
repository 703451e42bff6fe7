"""The offset that must come next on each input partition, and the holes a batch leaves."""

from __future__ import annotations

from types import SimpleNamespace

from streams.faust_fixes.continuity import Continuity, Hole, Stalls


def offsets(topic: str, partition: int, *values: int) -> list[tuple[str, int, int]]:
    return [(topic, partition, v) for v in values]


def test_consecutive_offsets_after_a_seek_leave_no_hole():
    c = Continuity()
    c.sought({("m", 0): 52, ("m", 1): 0})
    assert c.holes(offsets("m", 0, 52, 53, 54) + offsets("m", 1, 0, 1)) == []
    assert c.holes(offsets("m", 0, 55)) == []


def test_a_partition_resuming_past_its_seek_position_has_a_hole():
    c = Continuity()
    c.sought({("m", 0): 52})
    assert c.holes(offsets("m", 0, 53, 54)) == [Hole("m", 0, 52, 53)]


def test_a_hole_is_reported_once():
    c = Continuity()
    c.sought({("m", 0): 52})
    assert c.holes(offsets("m", 0, 60)) == [Hole("m", 0, 52, 60)]
    assert c.holes(offsets("m", 0, 61)) == []


def test_a_jump_between_batches_is_a_hole():
    c = Continuity()
    c.sought({("m", 0): 0})
    assert c.holes(offsets("m", 0, 0, 1, 2)) == []
    assert c.holes(offsets("m", 0, 5, 6)) == [Hole("m", 0, 3, 5)]


def test_redelivered_offsets_are_no_hole_and_do_not_move_back_what_is_due():
    c = Continuity()
    c.sought({("m", 0): 10})
    assert c.holes(offsets("m", 0, 10, 11, 12)) == []
    assert c.holes(offsets("m", 0, 10, 11)) == []  # replayed after a seek-less redelivery
    assert c.holes(offsets("m", 0, 14)) == [Hole("m", 0, 13, 14)]


def test_a_new_seek_resets_what_is_due_to_its_position():
    c = Continuity()
    c.sought({("m", 0): 0})
    assert c.holes(offsets("m", 0, 0, 1, 2, 3)) == []
    c.sought({("m", 0): 2})  # committed offset behind what this worker read: a replay
    assert c.holes(offsets("m", 0, 2, 3, 4)) == []
    c.sought({("m", 0): 40})  # another worker went on meanwhile
    assert c.holes(offsets("m", 0, 41)) == [Hole("m", 0, 40, 41)]


def test_a_record_delivered_before_the_seek_but_scored_after_it_counts_against_the_position():
    c = Continuity()
    c.sought({("m", 0): 52})
    # 53 was fetched before the seek; 52 must still be scored first.
    assert c.holes(offsets("m", 0, 53, 52, 53)) == [Hole("m", 0, 52, 53)]


def test_a_partition_never_sought_is_checked_from_its_first_offset():
    c = Continuity()
    assert c.holes(offsets("m", 0, 7, 8)) == []
    assert c.holes(offsets("m", 0, 10)) == [Hole("m", 0, 9, 10)]


def test_partitions_are_independent():
    c = Continuity()
    c.sought({("m", 0): 5, ("p", 0): 5})
    assert c.holes(offsets("m", 0, 5) + offsets("p", 0, 7) + offsets("m", 0, 6)) == [Hole("p", 0, 5, 7)]


def item(topic: str, partition: int, offset: int) -> SimpleNamespace:
    return SimpleNamespace(topic=topic, partition=partition, offset=offset)


def keys(items: list[SimpleNamespace]) -> list[tuple[str, int, int]]:
    return [(i.topic, i.partition, i.offset) for i in items]


def test_records_delivered_while_a_seek_runs_are_of_the_new_epoch():
    c = Continuity()
    c.sought({("m", 0): 0})
    assert c.holes(offsets("m", 0, *range(16))) == []
    c.seeking()  # the consumer moves to 16 and delivers 16-31 before the positions are told
    assert c.holes(offsets("m", 0, *range(16, 32))) == []
    c.sought({("m", 0): 16})
    assert c.next_offset(("m", 0)) == 32  # not expected again from 16: they will not come again
    assert c.holes(offsets("m", 0, 32)) == []


def test_a_seek_counts_once_whether_or_not_its_start_was_told():
    c = Continuity()
    c.seeking()
    c.sought({("m", 0): 5})
    assert c.epoch == 1
    c.sought({("m", 0): 5})
    assert c.epoch == 2


def test_records_from_before_the_seek_delivered_while_it_runs_do_not_move_its_position_back():
    c = Continuity()
    c.sought({("m", 0): 0})
    assert c.holes(offsets("m", 0, 0, 1, 2)) == []
    c.seeking()
    assert c.holes(offsets("m", 0, 3)) == []  # fetched before the consumer moved
    c.sought({("m", 0): 16})  # another worker went on meanwhile
    assert c.holes(offsets("m", 0, 17)) == [Hole("m", 0, 16, 17)]


def test_a_tail_not_delivered_is_a_hole_once():
    c = Continuity()
    c.sought({("m", 0): 10})
    assert c.tail(("m", 0), 10) is None  # nothing past the seek position
    assert c.tail(("m", 0), 14) == Hole("m", 0, 10, 14)
    assert c.tail(("m", 0), 14) is None  # reported once
    assert c.holes(offsets("m", 0, 14, 15)) == []  # the partition goes on from its end
    assert c.tail(("m", 1), 3) is None  # not sought, nothing seen: the next offset is unknown


def test_a_partition_short_of_the_brokers_end_twice_at_the_same_offset_is_stalled():
    stalls = Stalls(every_s=5.0, idle_s=30.0)
    assert stalls.due(0.0)
    assert stalls.found({("m", 0): 5, ("m", 1): 3}, {("m", 0): 2, ("m", 1): 3}, now=0.0) == []  # once
    assert not stalls.due(4.9) and stalls.due(5.0)  # some short: asked again soon
    assert stalls.found({("m", 0): 6, ("m", 1): 4}, {("m", 0): 2, ("m", 1): 3}, now=5.0) == [("m", 0)]


def test_a_partition_that_moved_or_whose_end_is_not_given_is_not_stalled():
    stalls = Stalls(every_s=5.0, idle_s=30.0)
    stalls.found({("m", 0): 5, ("m", 1): 5}, {("m", 0): 2, ("m", 1): 2}, now=0.0)
    assert stalls.found({("m", 0): 5}, {("m", 0): 3, ("m", 1): 2}, now=5.0) == []
    stalls.found({("m", 0): 3, ("m", 1): 2}, {("m", 0): 3, ("m", 1): 2}, now=10.0)
    assert not stalls.due(39.9) and stalls.due(40.0)  # none short: asked again later


def test_an_asking_that_failed_keeps_what_the_one_before_found_and_waits_as_long():
    stalls = Stalls(every_s=5.0, idle_s=30.0)
    stalls.found({("m", 0): 5}, {("m", 0): 2}, now=0.0)  # short once
    assert stalls.found(None, {}, now=5.0) == []  # failed
    assert not stalls.due(9.9) and stalls.due(10.0)
    assert stalls.found({("m", 0): 5}, {("m", 0): 2}, now=10.0) == [("m", 0)]  # short twice


def test_the_broker_is_asked_once_at_a_time():
    stalls = Stalls(every_s=0.0, idle_s=0.0, asking=SimpleNamespace())  # an asking under way
    assert not stalls.due(100.0)
