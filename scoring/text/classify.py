"""Line-level classification for the command line: one JSON object in, one out."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from scoring.text.detect import analyze, hit_to_dict, labels
from scoring.text.model import TextModel
from scoring.text.types import KINDS, TextContext

SHOWN = 40  # characters of a bad value quoted in an error


def _cut(value: str) -> str:
    return repr(value) if len(value) <= SHOWN else f"{value[:SHOWN]!r}... ({len(value)} characters)"


def _check(obj: Any) -> tuple[str, str, str]:
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    for key in ("id", "kind", "text"):
        if not isinstance(obj.get(key), str):
            raise ValueError(f"field {key!r} must be a string")
    if obj["kind"] not in KINDS:
        raise ValueError(f"field 'kind' must be one of {', '.join(KINDS)}, got {_cut(obj['kind'])}")
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


def _parsed(line: str | bytes, loads: Callable[[str | bytes], Any]) -> Any:
    if isinstance(line, bytes):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"not UTF-8 (byte {exc.start + 1})") from None
    try:
        return loads(line)
    except ValueError as exc:
        raise ValueError(f"not JSON ({exc})") from exc


def _failed(number: int, obj: Any, error: str) -> dict[str, Any]:
    """The output line of an input line that could not be classified: where, which, why."""
    out: dict[str, Any] = {"line": number, "error": error}
    if isinstance(obj, dict) and isinstance(obj.get("id"), str) and len(obj["id"]) <= 4 * SHOWN:
        out["id"] = obj["id"]
    return out


def classify_stream(
    lines: Iterable[str | bytes],
    model: TextModel | None = None,
    loads: Callable[[str | bytes], Any] = json.loads,
    dumps: Callable[[dict[str, Any]], Any] = _dumps,
    first_line: int = 1,
    errors: list[str] | None = None,
) -> Iterator[Any]:
    """JSONL in, JSONL out, one line out per non-blank line in. `loads` and `dumps` are the JSON
    codec (the command line passes a faster one); `loads` raises ValueError on bad JSON. A line
    that is not a valid item raises ValueError naming it (counted from `first_line`), or, given
    `errors`, is answered by `{"line", "error"[, "id"]}` in its place, its message appended there."""
    for number, line in enumerate(lines, first_line):
        if not line.strip():
            continue
        obj = None
        try:
            obj = _parsed(line, loads)
            yield dumps(classify_line(obj, model))
        except ValueError as exc:
            if errors is None:
                raise ValueError(f"line {number}: {exc}") from exc
            errors.append(f"line {number}: {exc}")
            yield dumps(_failed(number, obj, str(exc)))
