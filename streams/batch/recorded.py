"""Recorded input events: what the backtest replays and the producer sends, and their file format.

A file holds one event a line: `{"topic", "key", "ts"}` and either `"value"` (the event's JSON)
or `"raw_b64"` (bytes that are not a valid event, sent as they are). `topic` is the input's
kind (`messages`, `proposals`, ...), not the topic's configured name.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    kind: str  # input kind (`messages`, `proposals`, ...)
    key: str  # Kafka key (the actor)
    ts: int
    value: dict[str, Any] | None  # the event, valid per its schema ...
    raw: bytes | None = None  # ... or, for a malformed event, the raw bytes to send

    def payload(self) -> bytes:
        if self.raw is not None:
            return self.raw
        return json.dumps(self.value, separators=(",", ":")).encode()


def to_line(ev: RecordedEvent) -> str:
    if ev.value is not None:
        body = {"topic": ev.kind, "key": ev.key, "ts": ev.ts, "value": ev.value}
    else:
        raw = base64.b64encode(ev.raw or b"").decode()
        body = {"topic": ev.kind, "key": ev.key, "ts": ev.ts, "raw_b64": raw}
    return json.dumps(body, separators=(",", ":"))


def from_line(line: str) -> RecordedEvent:
    obj = json.loads(line)
    if "raw_b64" in obj:
        raw = base64.b64decode(obj["raw_b64"])
        return RecordedEvent(obj["topic"], obj["key"], int(obj.get("ts", 0)), None, raw)
    value = obj["value"]
    return RecordedEvent(obj["topic"], obj["key"], int(obj.get("ts", value.get("ts", 0))), value)


def write_jsonl(events: Iterable[RecordedEvent], path: str | Path) -> None:
    with Path(path).open("w", encoding="utf-8") as fh:
        for ev in events:
            fh.write(to_line(ev) + "\n")


def read_jsonl(path: str | Path) -> Iterator[RecordedEvent]:
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield from_line(line)
