"""Files: events as JSON lines (`topic`, `key`, `ts`, then `value` or `raw_b64`), truth as JSON."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

from streams.simulator.config import SimEvent, Simulation


def to_line(ev: SimEvent) -> str:
    if ev.value is not None:
        body = {"topic": ev.kind, "key": ev.key, "ts": ev.ts, "value": ev.value}
    else:
        raw = base64.b64encode(ev.raw or b"").decode()
        body = {"topic": ev.kind, "key": ev.key, "ts": ev.ts, "raw_b64": raw}
    return json.dumps(body, separators=(",", ":"))


def from_line(line: str) -> SimEvent:
    obj = json.loads(line)
    if "raw_b64" in obj:
        raw = base64.b64decode(obj["raw_b64"])
        return SimEvent(obj["topic"], obj["key"], int(obj.get("ts", 0)), None, raw)
    value = obj["value"]
    return SimEvent(obj["topic"], obj["key"], int(obj.get("ts", value.get("ts", 0))), value)


def write_jsonl(sim: Simulation, path: str | Path) -> None:
    with Path(path).open("w", encoding="utf-8") as fh:
        for ev in sim.events:
            fh.write(to_line(ev) + "\n")


def read_jsonl(path: str | Path) -> Iterator[SimEvent]:
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield from_line(line)


def write_truth(sim: Simulation, path: str | Path) -> None:
    Path(path).write_text(json.dumps(sim.truth, indent=2) + "\n", encoding="utf-8")
