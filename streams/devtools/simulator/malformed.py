"""Malformed events for the dead-letter path: each one is rejected by its topic's decoder.

A mix of bad JSON, a missing required field, a wrong type, an unknown `type`
value, invalid UTF-8 and text over the limit, built from real events.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Collection

from streams.batch.recorded import RecordedEvent

TEXT_LIMIT = 20_000
ALL_KINDS = ("messages", "proposals", "feedback", "accounts", "contracts")
ENUMS = {"accounts": ("type", "logout"), "contracts": ("type", "cancel"),
         "feedback": ("kind", "like"), "messages": ("contract_stage", "archived")}
TEXTS = {"messages": "text", "proposals": "cover_letter", "feedback": "comment",
         "accounts": "profile_text"}


def _dumps(value: dict[str, object]) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def bad_json(rng: random.Random, ev: RecordedEvent) -> bytes:
    raw = ev.payload()
    return raw[: rng.randrange(1, len(raw) - 1)]


def missing_field(rng: random.Random, ev: RecordedEvent) -> bytes:
    value = dict(ev.value or {})
    value.pop(rng.choice(("event_id", "ts")))
    return _dumps(value)


def wrong_type(rng: random.Random, ev: RecordedEvent) -> bytes:
    value = dict(ev.value or {})
    if rng.random() < 0.5:
        value["ts"] = str(value["ts"])
    else:
        value["event_id"] = 12345
    return _dumps(value)


def unknown_type(rng: random.Random, ev: RecordedEvent) -> bytes:
    value = dict(ev.value or {})
    field, bad = ENUMS[ev.kind]
    value[field] = bad
    return _dumps(value)


def invalid_utf8(rng: random.Random, ev: RecordedEvent) -> bytes:
    raw = ev.payload()
    cut = raw.rindex(b'"', 0, len(raw) - 1)
    return raw[:cut] + b"\xff\xfe\xc3" + raw[cut:]


def too_large(rng: random.Random, ev: RecordedEvent) -> bytes:
    value = dict(ev.value or {})
    value[TEXTS[ev.kind]] = "spam " * (TEXT_LIMIT // 5 + rng.randint(1, 50))
    return _dumps(value)


MAKERS: tuple[Callable[[random.Random, RecordedEvent], bytes], ...] = (
    bad_json, missing_field, wrong_type, unknown_type, invalid_utf8, too_large,
)

# Topic kinds each maker applies to: an enum to break, or a text to overfill.
KINDS: dict[Callable[[random.Random, RecordedEvent], bytes], Collection[str]] = {
    bad_json: ALL_KINDS, missing_field: ALL_KINDS, wrong_type: ALL_KINDS, invalid_utf8: ALL_KINDS,
    unknown_type: tuple(ENUMS), too_large: tuple(TEXTS),
}


def make(rng: random.Random, events: list[RecordedEvent], count: int) -> list[RecordedEvent]:
    """`count` malformed events, cycling through the makers, each copied from a real event."""
    pools = {maker: [ev for ev in events if ev.kind in KINDS[maker]] for maker in MAKERS}
    out = []
    for i in range(count):
        maker = MAKERS[i % len(MAKERS)]
        if pools[maker]:
            ev = rng.choice(pools[maker])
            out.append(RecordedEvent(ev.kind, ev.key, ev.ts, None, maker(rng, ev)))
    return out
