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

from streams.batch.schemas import INPUT_SCHEMAS

KINDS = tuple(INPUT_SCHEMAS)  # the inputs a recorded event may be on


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


class RecordingError(ValueError):
    """A line of a recorded file that is not a recorded event; the message says where and why."""


def _checked(obj: Any) -> tuple[dict[str, Any], int]:
    """The line's object and its event time, checked."""
    if not isinstance(obj, dict):
        raise RecordingError(f"expected a JSON object, got {type(obj).__name__}")
    if obj.get("topic") not in KINDS:
        raise RecordingError(f"'topic' must be one of {', '.join(KINDS)}, got {str(obj.get('topic'))[:40]!r}")
    if not isinstance(obj.get("key"), str):
        raise RecordingError("'key' must be a string")
    if not isinstance(obj.get("value"), dict) and not isinstance(obj.get("raw_b64"), str):
        raise RecordingError("expected 'value' (an event object) or 'raw_b64' (bytes in base64)")
    ts = obj.get("ts", obj["value"].get("ts", 0) if isinstance(obj.get("value"), dict) else 0)
    if type(ts) is not int:
        raise RecordingError("'ts' must be an integer (epoch milliseconds)")
    return obj, ts


def from_line(line: str) -> RecordedEvent:
    """A line as a recorded event; `RecordingError` when it is not one."""
    try:
        obj, ts = _checked(json.loads(line))
    except json.JSONDecodeError as exc:
        raise RecordingError(f"not JSON ({exc})") from None
    if "raw_b64" in obj:
        try:
            raw = base64.b64decode(obj["raw_b64"], validate=True)
        except ValueError:
            raise RecordingError("'raw_b64' is not base64") from None
        return RecordedEvent(obj["topic"], obj["key"], ts, None, raw)
    return RecordedEvent(obj["topic"], obj["key"], ts, obj["value"])


def write_jsonl(events: Iterable[RecordedEvent], path: str | Path) -> None:
    with Path(path).open("w", encoding="utf-8") as fh:
        for ev in events:
            fh.write(to_line(ev) + "\n")


def read_jsonl(path: str | Path) -> Iterator[RecordedEvent]:
    """The file's events; `RecordingError` names the first line that is not one."""
    with Path(path).open(encoding="utf-8", errors="surrogateescape") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield from_line(line)
                except RecordingError as exc:
                    raise RecordingError(f"{path}:{number}: {exc}") from None
