"""CPU of the scoring processes' work, in one process: the throughput benchmark's stream through two
`Processor`s, as a worker with two scoring processes hands it over.

    python bench/scoring_cpu.py [--accounts 1000] [--days 7] [--batch 700]

The stream (`SimConfig(accounts, days, seed=7)`, in time order) goes in batches, each split by
account between two processors as `ChildPool` splits it; its cover letters are sketched first (the
worker's `index_letters`), the indexes' views are those of the in-memory indexes, and each part's
request and reply are pickled and unpickled as they cross the pipe; subject events come back as the
next batch's first events. Prints the thread time of each stage and the total per event (subject
events included): no broker, no Redis, nothing else on the clock.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring import sketch  # noqa: E402
from streams.adapters.letter_index import MemoryLetterIndex  # noqa: E402
from streams.adapters.link_index_memory import MemoryLinkIndex  # noqa: E402
from streams.batch.pipeline import Incoming, Processor, account_events, proposals  # noqa: E402
from streams.batch.rules_file import load_model, load_rules  # noqa: E402
from streams.batch.schemas import Rejected, subjects  # noqa: E402
from streams.commands.backtest import incoming  # noqa: E402
from streams.devtools.simulator import SimConfig, generate  # noqa: E402
from streams.worker.settings import DEFAULT_RULES  # noqa: E402

PARTS = 2
STAGES = ("sketch", "request", "process", "reply")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--batch", type=int, default=700, help="events per batch")
    args = parser.parse_args()
    items = list(incoming(generate(SimConfig(accounts=args.accounts, days=args.days, seed=7)).events))
    rules = load_rules(DEFAULT_RULES, load_model(None))
    reader, scorers = Processor(rules, 65536, 20000), [Processor(rules, 65536, 20000) for _ in range(PARTS)]
    links, letters = MemoryLinkIndex(), MemoryLetterIndex()
    states: dict[str, bytes] = {}
    spent = dict.fromkeys(STAGES, 0.0)
    pending: list[Incoming] = []
    offset, start, events = -1, 0, 0
    while start < len(items) or pending:
        batch = pending + items[start:start + args.batch]
        start += args.batch
        events += len(batch)
        decoded = reader.decode_all(batch)
        letters_read = proposals(decoded)
        began = time.thread_time()
        sketches = {p.event_id: sketch.make(p.cover_letter) for p in letters_read}
        spent["sketch"] += time.thread_time() - began
        views = {**links.observe_now(account_events(decoded)), **letters.observe_now(letters_read, sketches)}
        parts: list[tuple[list[Incoming], dict[str, bytes | None], dict[str, object], dict[str, str]]] = [
            ([], {}, {}, {}) for _ in range(PARTS)]
        for item, record in decoded:
            owner = "" if isinstance(record, Rejected) else record.actor
            part, known, seen, sketched = parts[zlib.crc32(owner.encode()) % PARTS if owner else 0]
            part.append(item)
            if owner:
                known[owner] = states.get(owner)
            if not isinstance(record, Rejected) and record.event_id in views:
                seen[record.event_id] = views[record.event_id]
            if not isinstance(record, Rejected) and record.event_id in sketches:
                sketched[record.cover_letter] = sketches[record.event_id]  # type: ignore[attr-defined]
        pending = []
        for scorer, (part, known, seen, sketched) in zip(scorers, parts, strict=True):
            if not part:
                continue
            began = time.thread_time()
            request = pickle.loads(pickle.dumps((part, known, seen, sketched), protocol=pickle.HIGHEST_PROTOCOL))
            spent["request"] += time.thread_time() - began
            began = time.thread_time()
            sketch.given(request[3])
            result = scorer.process(request[0], request[1].__getitem__, request[2])
            spent["process"] += time.thread_time() - began
            began = time.thread_time()
            result = pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
            spent["reply"] += time.thread_time() - began
            for account, (_, state) in result.states.items():
                states[account] = state
            for fwd in result.forwards:
                offset += 1
                pending.append(Incoming("subjects", "subjects", 0, offset, fwd.subject_id.encode(),
                                        subjects.encode(fwd), fwd.ts))
    total = sum(spent.values())
    print(f"{events:,} events ({len(items):,} input, the rest subject events): "  # noqa: T201
          + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in spent.items())
          + f"; total {total:.2f} s = {total / events * 1e6:.1f} µs/event")


if __name__ == "__main__":
    main()
