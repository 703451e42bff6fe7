"""Line-level classification for the command line: one JSON object in, one out."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from scoring.text.detect import detect_text, hit_to_dict, labels
from scoring.text.types import KINDS, TextContext


def _check(obj: Any) -> tuple[str, str, str]:
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    for key in ("id", "kind", "text"):
        if not isinstance(obj.get(key), str):
            raise ValueError(f"field {key!r} must be a string")
    if obj["kind"] not in KINDS:
        raise ValueError(f"field 'kind' must be one of {', '.join(KINDS)}, got {obj['kind']!r}")
    return obj["id"], obj["kind"], obj["text"]


def classify_line(obj: dict[str, Any]) -> dict[str, Any]:
    """``{"id", "kind", "text"}`` -> ``{"id", "labels", "hits"}``; ValueError on a malformed object."""
    ident, kind, text = _check(obj)
    hits = detect_text(text, TextContext(kind=kind))
    return {"id": ident, "labels": labels(hits), "hits": [hit_to_dict(h) for h in hits]}


def classify_stream(lines: Iterable[str]) -> Iterator[str]:
    """JSONL in, JSONL out, one line out per non-blank line in."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"line {number}: not JSON ({exc.msg})") from exc
        try:
            yield json.dumps(classify_line(obj), ensure_ascii=False)
        except ValueError as exc:
            raise ValueError(f"line {number}: {exc}") from exc
