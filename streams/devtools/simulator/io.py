"""Files: the simulated events in the recorded-event format (`streams.batch.recorded`), truth as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from streams.batch import recorded
from streams.batch.recorded import read_jsonl
from streams.devtools.simulator.config import Simulation

__all__ = ["read_jsonl", "write_jsonl", "write_truth"]


def write_jsonl(sim: Simulation, path: str | Path) -> None:
    recorded.write_jsonl(sim.events, path)


def write_truth(sim: Simulation, path: str | Path) -> None:
    Path(path).write_text(json.dumps(sim.truth, indent=2) + "\n", encoding="utf-8")
