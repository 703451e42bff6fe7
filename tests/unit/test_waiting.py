"""Which decisions may wait for their escalation: all that wait already, new ones up to the room left."""

from __future__ import annotations

from streams.adapters.waiting import admitted
from streams.batch.pipeline import Incoming


def decision(offset: int) -> tuple[Incoming, int]:
    return Incoming("decisions", "decisions", 0, offset, b"e", b"{}", 1000), 5_000


def test_new_decisions_wait_up_to_the_room_left_and_those_waiting_stay():
    waiters = [decision(i) for i in range(5)]
    already = [decision(0)[0].where, decision(3)[0].where]
    kept, full = admitted(waiters, already, room=2)
    assert sorted(item.offset for item, _ in kept) == [0, 1, 2, 3]
    assert [item.offset for item in full] == [4]


def test_no_room_left_takes_no_new_one_even_when_over_the_limit():
    kept, full = admitted([decision(1), decision(2)], [decision(2)[0].where], room=-3)
    assert [item.offset for item, _ in kept] == [2]
    assert [item.offset for item in full] == [1]
