"""2,000 generated hostile events: each is dead-lettered with a reason or accepted as a valid
event, and scoring them all crashes nothing."""

from __future__ import annotations

import json
from collections import Counter

import jsonschema
import orjson

from streams.batch.pipeline import Incoming, Processor
from streams.batch.schemas import Rejected
from streams.batch.schemas.outputs import DEAD_LETTER_REASONS, DEAD_LETTER_SCHEMA
from streams.batch.schemas.publish import SCHEMA_DIR
from tests.fuzz_events import ACTOR, events
from tests.unit.helpers import rules

N = 2000


def batch() -> list[Incoming]:
    return [Incoming(kind, kind, 0, i, key, value, 0) for i, (kind, key, value) in enumerate(events(N))]


def test_every_generated_event_is_dead_lettered_with_a_reason_or_valid():
    processor = Processor(rules(), 65536, 2000)
    schemas = {kind: json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text()) for kind in ACTOR}
    outcomes: Counter[str] = Counter()
    for item in batch():
        try:
            record = processor.decode(item)
        except Rejected as rej:
            assert rej.reason in DEAD_LETTER_REASONS and rej.detail, item
            outcomes[rej.reason] += 1
            continue
        # Accepted: valid against the published schema, keyed by its actor, ids printable.
        assert item.value is not None
        jsonschema.validate(orjson.loads(item.value), schemas[item.kind])
        assert item.key == record.actor.encode() and record.actor.isprintable(), item
        outcomes["accepted"] += 1
    assert sum(outcomes.values()) == N
    assert outcomes["accepted"] >= 50 and len(outcomes) >= 8, outcomes  # the generator reaches both sides


def test_scoring_them_all_at_once_crashes_nothing_and_accounts_for_each():
    items = batch()
    result = Processor(rules(), 65536, 2000).process(items, lambda _: None)
    dead = sum(n for (_kind, outcome), n in result.outcomes.items() if outcome == "dead_letter")
    scored = sum(n for (_kind, outcome), n in result.outcomes.items() if outcome == "scored")
    assert dead + scored == N and len(result.dead_letters) == dead
    for _key, letter in result.dead_letters:
        jsonschema.validate(orjson.loads(letter), DEAD_LETTER_SCHEMA)
