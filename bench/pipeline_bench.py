"""Per-event cost of decoding, detectors and scoring, without a broker; state size per account.

    python bench/pipeline_bench.py [--accounts N] [--days D] [--runs R]

Runs the worker's `Processor` (through the backtest, batches of 2000, states
in memory) over a simulated mixed stream R times and prints the median
events/s and µs/event, the cost of each detector family measured alone, and
the serialized state size per account at the end.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring import sketch  # noqa: E402
from scoring.detectors import burst, fanout  # noqa: E402
from scoring.records import Message, Proposal  # noqa: E402
from scoring.rules import Rules  # noqa: E402
from scoring.state import AccountState  # noqa: E402
from scoring.text import TextContext, detect_text  # noqa: E402
from streams.batch.recorded import RecordedEvent  # noqa: E402
from streams.batch.rules_file import load_rules  # noqa: E402
from streams.batch.schemas import INPUT_SCHEMAS  # noqa: E402
from streams.batch.statecodec import decode_state  # noqa: E402
from streams.commands import backtest  # noqa: E402
from streams.devtools.simulator import SimConfig, generate  # noqa: E402
from streams.worker.settings import DEFAULT_RULES  # noqa: E402


def timed(fn, items) -> float:  # noqa: ANN001
    started = time.perf_counter()
    for item in items:
        fn(item)
    return (time.perf_counter() - started) / max(1, len(items)) * 1e6


def full_path(events: list[RecordedEvent], rules: Rules, runs: int) -> None:
    rates = []
    for _ in range(runs):
        result = backtest.run(events, rules)
        rates.append(result.events / result.seconds)
    rate = statistics.median(rates)
    print(f"full path (decode + detectors + score + state encode), median of {runs}: "
          f"{rate:,.0f} events/s = {1e6 / rate:.1f} µs/event")


def stage_costs(events: list[RecordedEvent], rules: Rules) -> None:
    """The cost of each stage on its own, over the events it reads (those with a value)."""
    decoded = [(e.kind, INPUT_SCHEMAS[e.kind].decode(e.payload(), 20000)) for e in events]
    messages = [r for k, r in decoded if isinstance(r, Message)]
    proposals = [r for k, r in decoded if isinstance(r, Proposal)]
    state = AccountState()
    burst_rule = rules.detector("message_burst")
    costs = {
        "decode + validate (µs/event)": timed(
            lambda e: INPUT_SCHEMAS[e.kind].decode(e.payload(), 20000), events
        ),
        "text stage (µs/message)": timed(lambda m: detect_text(m.text, TextContext()), messages),
        # the sender's share of fan-out (its contacts); cold first messages are counted on the recipients' answers
        "burst + fan-out (µs/message)": timed(
            lambda m: (burst.detect(state, m, burst_rule), fanout.on_message(state, m)),
            messages,
        ),
        "cover-letter sketch (µs/proposal)": timed(
            lambda p: sketch.sketch(p.cover_letter), proposals
        ),
    }
    for name, cost in costs.items():
        print(f"{name:<36}{cost:8.1f}")


def state_sizes(events: list[RecordedEvent], rules: Rules) -> None:
    final = backtest.run(events, rules)
    states = final_states(events, rules)
    sizes = sorted(len(v) for v in states.values())
    print(f"state bytes per account: median {statistics.median(sizes):.0f}, "
          f"p99 {sizes[int(len(sizes) * 0.99)]}, max {sizes[-1]} over {len(sizes)} accounts")
    print_parts([decode_state(v) for v in states.values()])
    print(f"escalations: {len(final.escalations)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--days", type=float, default=7.0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rules = load_rules(DEFAULT_RULES)
    sim = generate(SimConfig(accounts=args.accounts, days=args.days, seed=7))
    print(f"events: {len(sim.events)}")
    full_path(sim.events, rules, args.runs)
    stage_costs([e for e in sim.events if e.value is not None], rules)
    state_sizes(sim.events, rules)


# State parts of the behaviour detectors: the sliding minute, applications and first messages
# (fan-out), friends and family, the rating graph, ratings received as a client (to_dict keys)
PARTS = {"mr": "recent message times", "ap": "clients applied to", "fm": "first messages", "pt": "contract parties",
         "k": "linked kin", "rg": "rating graph", "rc": "ratings received as a client"}


def print_parts(states: list[AccountState]) -> None:
    """Plain-JSON bytes of each part, over the accounts that hold one (stored compressed)."""
    for key, name in PARTS.items():
        sizes = sorted(len(orjson.dumps(raw)) for state in states if (raw := state.to_dict()[key]))
        if sizes:
            print(f"{name} (JSON): {len(sizes)} of {len(states)} accounts, median {statistics.median(sizes):.0f} B, "
                  f"max {sizes[-1]} B")


def final_states(events, rules) -> dict[str, bytes]:  # noqa: ANN001
    """The backtest's states at the end of the stream."""
    states: dict[str, bytes] = {}
    backtest.run(events, rules, states=states)
    return states


if __name__ == "__main__":
    main()
