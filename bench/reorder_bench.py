"""CPU of the reorder's release (`Reorder.due`) as partitions grow: one worker holding every
partition number of a messages and a proposals topic, each delivering two records a round.

    python bench/reorder_bench.py [--partitions 20,100,300] [--rounds 200]

Prints the median time of a `due` call per partition count (thread time, no I/O).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from streams.worker.ordering import GateWait, Reorder  # noqa: E402

RANKS = {"messages": 0, "proposals": 1}


@dataclass(frozen=True, slots=True)
class _Record:
    offset: int


def median_due_ms(partitions: int, rounds: int) -> float:
    reorder = Reorder(200, RANKS, gated="proposals", numbers=partitions)
    assigned = [(topic, n) for topic in RANKS for n in range(partitions)]
    offset, now, spent = 0, 1_000_000, []
    for i in range(rounds):
        for n in range(partitions):
            for topic in RANKS:
                offset += 1
                reorder.add(topic, n, now + offset % 50, _Record(offset))
        now += 20
        began = time.thread_time()
        reorder.due(assigned, lambda key: True, now, wait=GateWait(now=i * 0.02))
        spent.append(time.thread_time() - began)
    return statistics.median(spent) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partitions", default="20,100,300")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    for partitions in (int(p) for p in args.partitions.split(",")):
        print(f"{partitions} partitions: due() median {median_due_ms(partitions, args.rounds):.3f} ms")  # noqa: T201


if __name__ == "__main__":
    main()
