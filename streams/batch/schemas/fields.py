"""Field specifications shared by the topic schemas: one spec drives both the
decoder (orjson plus explicit checks) and the published JSON Schema file."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from streams.batch.schemas.countries import ISO_3166_ALPHA2

ID_MAX = 128
# Characters an id or hash must not hold: besides controls (ids travel in logs, Redis keys and
# separated records), those that make two different ids look alike or reorder the text around
# them in a reviewer's tool: C1 controls and DEL, zero-width and bidi marks and overrides, line
# and paragraph separators, the BOM. The decoder is stricter still (`str.isprintable`: no format,
# private-use, unassigned or separator character but the space); this is its JSON Schema form.
_UNPRINTABLE = "\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff"


class Rejected(Exception):
    """An event that does not fit its schema; `reason` is a bounded metric label."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    kind: str  # "id" | "hash" | "text" | "country" | "int" | "number" | "bool" | "enum"
    required: bool = True
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    description: str = ""
    default: Any = None


def _check(field: Field, value: Any, text_limit: int) -> Any:
    kind = field.kind
    if kind in _STRING_KINDS:
        if not isinstance(value, str):
            raise Rejected("wrong_type", f"{field.name} must be a string")
        _STRING_KINDS[kind](field, value, text_limit)
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


def _id(field: Field, value: str, _limit: int) -> None:
    if not 0 < len(value) <= ID_MAX:
        raise Rejected("bad_value", f"{field.name} must be 1..{ID_MAX} characters")
    _printable(field, value)


def _hash(field: Field, value: str, _limit: int) -> None:
    if len(value) > ID_MAX:
        raise Rejected("bad_value", f"{field.name} must be at most {ID_MAX} characters")
    _printable(field, value)


def _printable(field: Field, value: str) -> None:
    if not value.isprintable():
        raise Rejected("bad_value", f"{field.name} must hold printable characters only (no controls, "
                                    "bidi, zero-width or separator characters)")


def _text(field: Field, value: str, text_limit: int) -> None:
    if len(value) > text_limit:
        raise Rejected("too_large", f"{field.name} is over {text_limit} characters")


def _country(field: Field, value: str, _limit: int) -> None:
    if value not in ISO_3166_ALPHA2:
        raise Rejected("bad_value", f"{field.name} must be an ISO 3166 alpha-2 code (two capital letters)")


def _enum(field: Field, value: str, _limit: int) -> None:
    if value not in field.choices:
        raise Rejected("unknown_type", f"{field.name}={value[:40]!r} not in {field.choices}")


_STRING_KINDS: dict[str, Callable[[Field, str, int], None]] = {
    "id": _id, "hash": _hash, "text": _text, "country": _country, "enum": _enum,
}


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


Accepts = Callable[[Any, int], bool]
Plan = tuple[tuple[str, bool, Accepts, Field], ...]  # each field's name, whether required, quick test


def accepts(field: Field) -> Accepts:
    """A quick test of a value (and the text limit) that passes only values `_check` takes as they
    are: the usual value costs one call, any other goes through `_check` for its verdict."""
    kind, lo, hi = field.kind, field.minimum, field.maximum
    if kind == "id":
        return lambda v, _limit: type(v) is str and 0 < len(v) <= ID_MAX and v.isprintable()
    if kind == "hash":
        return lambda v, _limit: type(v) is str and len(v) <= ID_MAX and v.isprintable()
    if kind == "text":
        return lambda v, limit: type(v) is str and len(v) <= limit
    if kind == "country":
        return lambda v, _limit: type(v) is str and v in ISO_3166_ALPHA2
    if kind == "enum":
        choices = field.choices
        return lambda v, _limit: type(v) is str and v in choices
    if kind == "bool":
        return lambda v, _limit: type(v) is bool
    numbers = (int,) if kind == "int" else (int, float)
    return lambda v, _limit: type(v) in numbers and (lo is None or v >= lo) and (hi is None or v <= hi)


def plan(fields: tuple[Field, ...]) -> Plan:
    return tuple((f.name, f.required, accepts(f), f) for f in fields)


def extract(obj: Mapping[str, Any], fields: tuple[Field, ...], text_limit: int,
            planned: Plan | None = None) -> dict[str, Any]:
    """Check `obj` against `fields` (`planned`: their `plan`) and return the keyword arguments of
    its record."""
    out: dict[str, Any] = {}
    for name, required, ok, field in planned or plan(fields):
        value = obj.get(name)
        if value is None:
            if required:
                raise Rejected("missing_field", f"{name} is required")
            continue
        out[name] = value if ok(value, text_limit) else _check(field, value, text_limit)
    return out


def json_schema(title: str, description: str, fields: tuple[Field, ...]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) document equivalent to `fields`."""
    props: dict[str, Any] = {}
    for field in fields:
        prop: dict[str, Any] = {"description": field.description} if field.description else {}
        prop.update(_JSON_TYPES[field.kind](field))
        props[field.name] = prop if field.required else _nullable(prop)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": description,
        "type": "object",
        "properties": props,
        "required": [f.name for f in fields if f.required],
    }


def _nullable(prop: dict[str, Any]) -> dict[str, Any]:
    """An optional field may also be null: the decoder takes null as absent."""
    out = {**prop, "type": [prop["type"], "null"]}
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    return out


def _num(field: Field, json_type: str) -> dict[str, Any]:
    prop: dict[str, Any] = {"type": json_type}
    if field.minimum is not None:
        prop["minimum"] = field.minimum
    if field.maximum is not None:
        prop["maximum"] = field.maximum
    return prop


_JSON_TYPES: dict[str, Callable[[Field], dict[str, Any]]] = {
    "id": lambda f: {"type": "string", "minLength": 1, "maxLength": ID_MAX, "pattern": f"^[^{_UNPRINTABLE}]+$"},
    "hash": lambda f: {"type": "string", "maxLength": ID_MAX, "pattern": f"^[^{_UNPRINTABLE}]*$"},
    "country": lambda f: {"type": "string", "enum": sorted(ISO_3166_ALPHA2)},
    "text": lambda f: {"type": "string"},
    "enum": lambda f: {"type": "string", "enum": list(f.choices)},
    "bool": lambda f: {"type": "boolean"},
    "int": lambda f: _num(f, "integer"),
    "number": lambda f: _num(f, "number"),
}

EVENT_ID = Field("event_id", "id", description="unique id of the event, used in evidence")
TS = Field("ts", "int", minimum=0, maximum=253_402_300_799_999,  # 9999-12-31: exact in a double, as Lua reads it
           description="event time, epoch milliseconds UTC")
