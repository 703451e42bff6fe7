"""Detectors against partitions read at different paces, in memory: seconds instead of
`bench/equality.py`'s minutes, and the same lag patterns every time (seeded).

    python bench/order_lag.py [--runs 6] [--accounts 400] [--days 5] [--seed 11] [--numbers 8]

The simulator's events are split over `--numbers` partition numbers by account. Each run reads
them as the worker's ordering delivers them when partition numbers run at different paces: a
number is picked at random, weighted by a pace drawn per run (1 to 100: some numbers run days
ahead of others), and reads its next 1-300 events. Per number, what was read is released in
event time, merged with the subject events that number has received, a subject partition in
the order it was written (`streams.worker.ordering`); an event waits while its number may still
read an earlier one. Subject events go to the number of their account when the batch that
derives them is scored. Views of the link and cover-letter indexes are those of a run in event
time (the worker gates proposals on every number's floor; `bench/equality.py` measures both
indexes live).

Each run's escalations are compared with the backtest's (ids, which carry a digest of the
content): lost and extra, by the detectors of their evidence. Escalations withdrawn are left
out: what is compared is what is in force.
"""

from __future__ import annotations

import argparse
import random
import sys
import zlib
from collections import Counter, defaultdict, deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.detector import View  # noqa: E402
from scoring.escalation import Escalation  # noqa: E402
from streams.adapters.letter_index import MemoryLetterIndex  # noqa: E402
from streams.adapters.link_index_memory import MemoryLinkIndex  # noqa: E402
from streams.batch.pipeline import Incoming, Processor, account_events, proposals  # noqa: E402
from streams.batch.rules_file import load_rules  # noqa: E402
from streams.batch.schemas import subjects  # noqa: E402
from streams.commands import backtest  # noqa: E402
from streams.devtools.simulator import SimConfig, generate  # noqa: E402
from streams.worker.settings import DEFAULT_RULES  # noqa: E402

PACES = (1, 1, 5, 20, 100)  # a number's pace is drawn from these
MAX_READ = 300  # events a number reads at a time, at most


def in_time_views(processor: Processor, items: list[Incoming]) -> dict[str, View]:
    """The index views every account event and proposal gets when all are read in event time."""
    views: dict[str, View] = {}
    links, letters = MemoryLinkIndex(), MemoryLetterIndex()
    for batch in backtest.batches(items):
        decoded = processor.decode_all(batch)
        views.update(links.observe_now(account_events(decoded)))
        views.update(letters.observe_now(proposals(decoded)))
    return views


class Lagged:
    """One run: partition numbers read at their own paces."""

    def __init__(self, processor: Processor, views: dict[str, View], numbers: int, seed: int) -> None:
        self.processor, self.views, self.numbers = processor, views, numbers
        self.rnd = random.Random(seed)
        self.paces = [self.rnd.choice(PACES) for _ in range(numbers)]
        self.states: dict[str, bytes] = {}
        self.found = backtest.Backtest()  # its escalations in force, as the backtest keeps them
        self.inbox: dict[int, list[Incoming]] = defaultdict(list)  # subject events, as written
        self.offset = 0

    def number(self, key: bytes) -> int:
        return zlib.crc32(key) % self.numbers

    def run(self, items: list[Incoming]) -> dict[str, Escalation]:
        unread: dict[int, deque[Incoming]] = defaultdict(deque)
        for item in items:
            unread[self.number(item.key)].append(item)
        read: dict[int, deque[Incoming]] = defaultdict(deque)
        while any(unread.values()) or any(read.values()) or any(self.inbox.values()):
            busy = [n for n in range(self.numbers) if unread[n] or read[n] or self.inbox[n]]
            n = self.rnd.choices(busy, weights=[self.paces[i] for i in busy])[0]
            for _ in range(min(self.rnd.randint(1, MAX_READ), len(unread[n]))):
                read[n].append(unread[n].popleft())
            # what the number may still read is no earlier than the newest it read
            floor = (read[n][-1].timestamp_ms if read[n] else -1) if unread[n] else 2**62
            batch = self.release(read[n], n, floor)
            if batch:
                self.score(batch)
        return {e.escalation_id: e for e in self.found.escalations}

    def release(self, read: deque[Incoming], n: int, floor: int) -> list[Incoming]:
        """What was read and received up to `floor`, merged by time; each partition in its order."""
        batch, received, taken = [], self.inbox[n], 0
        while True:
            own = read[0] if read and read[0].timestamp_ms <= floor else None
            told = received[taken] if taken < len(received) and received[taken].timestamp_ms <= floor else None
            if own is None and told is None:
                break
            if told is None or (own is not None and own.timestamp_ms <= told.timestamp_ms):
                batch.append(read.popleft())
            else:
                batch.append(told)
                taken += 1
        self.inbox[n] = received[taken:]
        return batch

    def score(self, batch: list[Incoming]) -> None:
        result = self.processor.process(batch, self.states.get, self.views)
        for account, (_, state) in result.states.items():
            self.states[account] = state
        self.found.add(result.escalations)
        for fwd in result.forwards:
            self.offset += 1
            key = fwd.subject_id.encode()
            self.inbox[self.number(key)].append(
                Incoming("subjects", "subjects", self.number(key), self.offset, key, subjects.encode(fwd), fwd.ts))


def differences(reference: dict[str, Escalation], found: dict[str, Escalation]) -> tuple[int, int, Counter[str]]:
    lost, extra = set(reference) - set(found), set(found) - set(reference)
    detectors: Counter[str] = Counter()
    for escalation_id in lost | extra:
        esc = reference.get(escalation_id) or found[escalation_id]
        detectors.update({item["detector"].split(".")[0] for item in esc.evidence})
    return len(lost), len(extra), detectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--accounts", type=int, default=400)
    parser.add_argument("--days", type=float, default=5)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--numbers", type=int, default=8)
    args = parser.parse_args()
    sim = generate(SimConfig(accounts=args.accounts, days=args.days, seed=args.seed, malformed_share=0.0))
    rules = load_rules(DEFAULT_RULES)
    reference = {e.escalation_id: e for e in backtest.run(sim.events, rules).escalations}
    items = list(backtest.incoming(sim.events))
    views = in_time_views(Processor(rules, 65536, 20000), items)
    print(f"{len(sim.events)} events, backtest {len(reference)} escalations", flush=True)
    totals: Counter[str] = Counter()
    for run in range(args.runs):
        lagged = Lagged(Processor(rules, 65536, 20000), views, args.numbers, run)
        found = lagged.run(items)
        lost, extra, detectors = differences(reference, found)
        totals.update(detectors)
        print(f"run {run + 1}: {len(found)} escalations in force ({lagged.found.withdrawn} withdrawn), lost {lost}, "
              f"extra {extra}; by detector "
              f"{dict(sorted(detectors.items()))}", flush=True)
    print(f"differences by detector over {args.runs} runs: {dict(sorted(totals.items()))}")


if __name__ == "__main__":
    main()
