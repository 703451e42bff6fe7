"""Offsets reach the scorer in order per partition, or the partition is rewound."""

from __future__ import annotations

from dataclasses import dataclass

from faust.types import TP

from streams.agents.continuity import Continuity

A, B = TP("t.messages", 0), TP("t.messages", 1)


@dataclass
class Message:
    tp: TP
    offset: int


@dataclass
class Event:
    message: Message


def events(tp: TP, *offsets: int) -> list[Event]:
    return [Event(Message(tp, o)) for o in offsets]


def offsets(items: list[Event]) -> list[tuple[int, int]]:
    return [(e.message.tp.partition, e.message.offset) for e in items]


def test_contiguous_batches_are_kept():
    c = Continuity()
    committed = {A: 10}.get
    assert offsets(c.split(events(A, 10, 11, 12), 1, committed).kept) == [(0, 10), (0, 11), (0, 12)]
    split = c.split(events(A, 13, 14), 1, committed)
    assert offsets(split.kept) == [(0, 13), (0, 14)] and split.rewind == {}


def test_a_missing_offset_after_the_committed_one_rewinds_that_partition_only():
    c = Continuity()
    split = c.split(events(A, 11, 12) + events(B, 0, 1), 1, {A: 10}.get)
    assert split.rewind == {A: 10}
    assert offsets(split.refused) == [(0, 11), (0, 12)]
    assert offsets(split.kept) == [(1, 0), (1, 1)]
    again = c.split(events(A, 10, 11, 12), 1, {A: 10}.get)
    assert again.rewind == {} and offsets(again.kept) == [(0, 10), (0, 11), (0, 12)]


def test_a_hole_inside_a_batch_refuses_the_rest_of_that_partition():
    c = Continuity()
    split = c.split(events(A, 5, 6, 8, 9), 1, {A: 5}.get)
    assert offsets(split.kept) == [(0, 5), (0, 6)]
    assert split.rewind == {A: 7} and offsets(split.refused) == [(0, 8), (0, 9)]


def test_the_reread_may_start_in_the_same_batch_as_the_draining_records():
    c = Continuity()
    c.split(events(A, 11), 1, {A: 10}.get)
    split = c.split(events(A, 12, 13, 10, 11, 12), 1, {A: 10}.get)
    assert offsets(split.kept) == [(0, 10), (0, 11), (0, 12)] and split.rewind == {}


def test_replays_are_kept_and_do_not_lower_the_expectation():
    c = Continuity()
    c.split(events(A, 0, 1, 2, 3), 1, lambda tp: None)
    split = c.split(events(A, 1, 2, 3, 4), 1, lambda tp: None)
    assert split.rewind == {} and len(split.kept) == 4
    assert c.split(events(A, 6), 1, lambda tp: None).rewind == {A: 5}


def test_a_new_generation_starts_from_the_committed_offsets():
    c = Continuity()
    c.split(events(A, 0, 1, 2), 1, lambda tp: None)
    split = c.split(events(A, 1, 2), 2, {A: 1}.get)  # rewound to the commit by the rebalance
    assert split.rewind == {} and len(split.kept) == 2


def test_a_partition_without_a_commit_accepts_its_first_offset():
    c = Continuity()
    assert c.split(events(A, 7, 8), 1, lambda tp: None).rewind == {}



def test_each_batch_still_out_of_order_asks_for_the_seek_again():
    c = Continuity()
    committed = {A: 10}.get
    assert c.split(events(A, 11, 12), 1, committed).rewind == {A: 10}
    assert c.split(events(A, 13, 14), 1, committed).rewind == {A: 10}
    assert offsets(c.split(events(A, 10, 11), 1, committed).kept) == [(0, 10), (0, 11)]
