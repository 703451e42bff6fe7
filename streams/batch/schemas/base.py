"""A topic schema: its fields, the record it decodes to, and its JSON Schema."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scoring.records import Event
from streams.batch.schemas.fields import Field, Plan, extract, json_schema, parse_object, plan


@dataclass(frozen=True, slots=True)
class Schema:
    name: str
    description: str
    fields: tuple[Field, ...]
    record: type[Event]
    _plan: Plan = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_plan", plan(self.fields))

    def decode(self, raw: bytes, text_limit: int) -> Event:
        """Decode raw bytes into a record; raise `Rejected` with a reason if they do not fit."""
        return self.from_dict(parse_object(raw), text_limit)

    def from_dict(self, obj: dict[str, Any], text_limit: int) -> Event:
        return self.record(**extract(obj, self.fields, text_limit, self._plan))

    def json_schema(self) -> dict[str, Any]:
        return json_schema(self.name, self.description, self.fields)
