"""Deterministic marketplace traffic with ground truth: honest accounts, bad actors of
every kind, and malformed events, for the demo, backtests and load tests."""

from streams.devtools.simulator.config import BAD_KINDS, SimConfig, Simulation
from streams.devtools.simulator.generator import generate
from streams.devtools.simulator.io import read_jsonl, write_jsonl, write_truth

__all__ = [
    "BAD_KINDS", "SimConfig", "Simulation", "generate", "read_jsonl", "write_jsonl",
    "write_truth",
]
