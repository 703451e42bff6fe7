"""Every offset of a partition reaches the scorer, in order, or the partition is rewound.

The state keeps, per input partition, the last offset applied to each account,
and treats anything at or below it as a replay. That is exact only if each
partition's events reach the agent in offset order with nothing missing: a
record skipped inside the consumer (Faust drops fetched records around
rebalances, and its commit tolerates a hole of one offset) would be committed
past and never scored. `Continuity` checks each batch against the next offset
expected per partition (the committed offset after an assignment), keeps what
is in order (replays included), and names the partitions to rewind; the
batch's events of those partitions are not acknowledged and come again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from faust.types import TP


@dataclass(slots=True)
class Split:
    kept: list[Any]
    refused: list[Any]
    rewind: dict[TP, int]  # partition -> offset to seek back to


@dataclass(slots=True)
class Continuity:
    expected: dict[TP, int] = field(default_factory=dict)  # partition -> next offset due
    generation: int = -1

    def split(self, events: Sequence[Any], generation: int, committed: Callable[[TP], int | None]) -> Split:
        """`events` carry `.message.tp` and `.message.offset`; `committed` gives a partition's
        committed offset (None when it has none). A new consumer generation (a rebalance,
        after which Faust seeks to the committed offsets) starts the expectations afresh.

        Records fetched before a seek back still drain afterwards; each batch of them asks
        for the seek again, which is cheap and survives a seek that did not take. Offsets
        that do not exist on the broker (transaction markers, compaction) would hold the
        partition here: the input topics must not have them (see the README).
        """
        if generation != self.generation:
            self.expected.clear()
            self.generation = generation
        out = Split([], [], {})
        for event in events:
            tp, offset = event.message.tp, event.message.offset
            due = self.expected.get(tp)
            if due is None:
                due = committed(tp)
            if due is not None and offset > due:
                out.refused.append(event)
                out.rewind[tp] = due
                continue
            out.kept.append(event)
            out.rewind.pop(tp, None)  # the re-read began within this batch
            self.expected[tp] = max(due or 0, offset + 1)
        return out
