"""Line-level classification for the command line: one JSON object in, one out."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from scoring.text.detect import analyze, hit_to_dict, labels
from scoring.text.model import TextModel
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


def classify_line(obj: dict[str, Any], model: TextModel | None = None) -> dict[str, Any]:
    """``{"id", "kind", "text"}`` -> ``{"id", "labels", "hits", "scores", "model_version"}``: the
    flagged policies, one hit each with its evidence, and the model's score per policy;
    ValueError on a malformed object."""
    ident, kind, text = _check(obj)
    result = analyze(text, TextContext(kind=kind), model)
    return {
        "id": ident,
        "labels": labels(result.hits),
        "hits": [hit_to_dict(h) for h in result.hits],
        "scores": {p: round(v, 4) for p, v in result.scores.items()},
        "model_version": result.model_version,
    }


def _dumps(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False)


def classify_stream(
    lines: Iterable[str | bytes],
    model: TextModel | None = None,
    loads: Callable[[str | bytes], Any] = json.loads,
    dumps: Callable[[dict[str, Any]], Any] = _dumps,
    first_line: int = 1,
) -> Iterator[Any]:
    """JSONL in, JSONL out, one line out per non-blank line in. `loads` and `dumps` are the JSON
    codec (the command line passes a faster one); `loads` raises ValueError on bad JSON; errors
    name the line, counted from `first_line`."""
    for number, line in enumerate(lines, first_line):
        if not line.strip():
            continue
        try:
            obj = loads(line)
        except ValueError as exc:
            raise ValueError(f"line {number}: not JSON ({exc})") from exc
        try:
            yield dumps(classify_line(obj, model))
        except ValueError as exc:
            raise ValueError(f"line {number}: {exc}") from exc
