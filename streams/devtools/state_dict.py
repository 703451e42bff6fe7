"""Development tools, not used by a worker: training a state dictionary from simulated traffic.

    python -m streams.devtools train-state-dict --id N [--accounts A] [--days D] [--seed S]

backtests simulated events and trains zstd dictionary N (`streams.batch.statecodec.train`) from the
state JSON of every batch's writes; it is written to `state_dicts/N.zdict`, and
`streams.batch.statecodec.CURRENT` then selects it for writing.
"""

from __future__ import annotations

import argparse

from streams.batch.rules_file import load_rules
from streams.batch.statecodec import DICT_DIR, codec, train
from streams.commands import backtest
from streams.devtools.simulator import SimConfig, generate
from streams.worker.settings import DEFAULT_RULES


class _Snapshots(dict[str, bytes]):
    """A backtest's state store that keeps every state written, not only the last."""

    def __init__(self) -> None:
        super().__init__()
        self.written: list[bytes] = []

    def __setitem__(self, account: str, raw: bytes) -> None:
        self.written.append(raw)
        super().__setitem__(account, raw)


def simulated_states(accounts: int, days: float, seed: int) -> list[bytes]:
    """State JSON of a simulated stream's accounts, each time a batch of the backtest wrote one."""
    states = _Snapshots()
    backtest.run(generate(SimConfig(accounts=accounts, days=days, seed=seed)).events,
                 load_rules(DEFAULT_RULES), states=states)
    return [codec().json(raw) for raw in states.written]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m streams.devtools")
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser("train-state-dict", help="train a state dictionary from simulated states")
    cmd.add_argument("--id", type=int, required=True)
    cmd.add_argument("--accounts", type=int, default=600)
    cmd.add_argument("--days", type=float, default=7.0)
    cmd.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    path = DICT_DIR / f"{args.id}.zdict"
    if path.exists():
        parser.error(f"{path} exists: a shipped dictionary is never replaced (states name it)")
    samples = simulated_states(args.accounts, args.days, args.seed)
    path.write_bytes(train(args.id, samples))
    print(f"{path}: {path.stat().st_size} bytes from {len(samples)} states")  # noqa: T201
