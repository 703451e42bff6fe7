"""Field specifications shared by the topic schemas: one spec drives both the
decoder (orjson plus explicit checks) and the published JSON Schema file."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

ID_MAX = 128
_CONTROL = re.compile("[\x00-\x1f]")  # ids and hashes travel in logs, Redis keys and separated records


class Rejected(Exception):
    """An event that does not fit its schema; `reason` is a bounded metric label."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    kind: str  # "id" | "hash" | "text" | "int" | "number" | "bool" | "enum"
    required: bool = True
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    description: str = ""
    default: Any = None


def _check(field: Field, value: Any, text_limit: int) -> Any:
    kind = field.kind
    if kind in ("id", "hash", "text", "enum"):
        if not isinstance(value, str):
            raise Rejected("wrong_type", f"{field.name} must be a string")
        if kind == "id" and not 0 < len(value) <= ID_MAX:
            raise Rejected("bad_value", f"{field.name} must be 1..{ID_MAX} characters")
        if kind == "hash" and len(value) > ID_MAX:
            raise Rejected("bad_value", f"{field.name} must be at most {ID_MAX} characters")
        if kind in ("id", "hash") and _CONTROL.search(value):
            raise Rejected("bad_value", f"{field.name} must not contain control characters")
        if kind == "text" and len(value) > text_limit:
            raise Rejected("too_large", f"{field.name} is over {text_limit} characters")
        if kind == "enum" and value not in field.choices:
            raise Rejected("unknown_type", f"{field.name}={value[:40]!r} not in {field.choices}")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise Rejected("wrong_type", f"{field.name} must be a boolean")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Rejected("wrong_type", f"{field.name} must be a number")
    if kind == "int" and not isinstance(value, int):
        raise Rejected("wrong_type", f"{field.name} must be an integer")
    if field.minimum is not None and value < field.minimum:
        raise Rejected("bad_value", f"{field.name} must be >= {field.minimum}")
    if field.maximum is not None and value > field.maximum:
        raise Rejected("bad_value", f"{field.name} must be <= {field.maximum}")
    return value


def parse_object(raw: bytes) -> dict[str, Any]:
    """Parse JSON bytes into a dict, naming invalid UTF-8 apart from bad JSON."""
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if "UTF-8" in str(exc) or "surrogate" in str(exc):
            raise Rejected("invalid_utf8", str(exc)[:200]) from None
        raise Rejected("bad_json", str(exc)[:200]) from None
    if not isinstance(obj, dict):
        raise Rejected("bad_json", "event must be a JSON object")
    return obj


def extract(obj: Mapping[str, Any], fields: tuple[Field, ...], text_limit: int) -> dict[str, Any]:
    """Check `obj` against `fields` and return the keyword arguments of its record."""
    out: dict[str, Any] = {}
    for field in fields:
        value = obj.get(field.name)
        if value is None:
            if field.required:
                raise Rejected("missing_field", f"{field.name} is required")
            continue
        out[field.name] = _check(field, value, text_limit)
    return out


def json_schema(title: str, description: str, fields: tuple[Field, ...]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) document equivalent to `fields`."""
    props: dict[str, Any] = {}
    for field in fields:
        prop: dict[str, Any] = {"description": field.description} if field.description else {}
        prop.update(_JSON_TYPES[field.kind](field))
        props[field.name] = prop
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": description,
        "type": "object",
        "properties": props,
        "required": [f.name for f in fields if f.required],
    }


def _num(field: Field, json_type: str) -> dict[str, Any]:
    prop: dict[str, Any] = {"type": json_type}
    if field.minimum is not None:
        prop["minimum"] = field.minimum
    if field.maximum is not None:
        prop["maximum"] = field.maximum
    return prop


_JSON_TYPES: dict[str, Callable[[Field], dict[str, Any]]] = {
    "id": lambda f: {"type": "string", "minLength": 1, "maxLength": ID_MAX, "pattern": "^[^\\u0000-\\u001f]+$"},
    "hash": lambda f: {"type": "string", "maxLength": ID_MAX, "pattern": "^[^\\u0000-\\u001f]*$"},
    "text": lambda f: {"type": "string"},
    "enum": lambda f: {"type": "string", "enum": list(f.choices)},
    "bool": lambda f: {"type": "boolean"},
    "int": lambda f: _num(f, "integer"),
    "number": lambda f: _num(f, "number"),
}

EVENT_ID = Field("event_id", "id", description="unique id of the event, used in evidence")
TS = Field("ts", "int", minimum=0, maximum=253_402_300_799_999,  # 9999-12-31: exact in a double, as Lua reads it
           description="event time, epoch milliseconds UTC")
