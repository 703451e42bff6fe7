"""What a process keeps for life is frozen out of the collector's passes; what it drops later,
cycles included (a text model replaced by new rules), is still freed."""

from __future__ import annotations

import gc
import weakref

from streams.batch import heap


class Node:
    def __init__(self) -> None:
        self.peer: Node | None = None


def test_a_cycle_frozen_then_dropped_is_freed_by_the_next_settle():
    a, b = Node(), Node()
    a.peer, b.peer = b, a  # as a model and its memo's readings, which point back at it
    gone = weakref.ref(a)
    try:
        heap.settle()
        assert gc.get_freeze_count() > 0
        del a, b
        gc.collect()
        assert gone() is not None  # frozen: no collection sees it
        heap.settle()
        assert gone() is None
    finally:
        gc.unfreeze()
