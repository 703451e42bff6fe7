import json

import jsonschema
import orjson
import pytest

from streams.batch.schemas import INPUT_SCHEMAS, Rejected
from streams.batch.schemas.publish import SCHEMA_DIR, documents, render

VALID = {
    "messages": {"event_id": "e1", "ts": 1, "room_id": "r", "sender_id": "f1",
                 "recipient_id": "c1", "text": "hi", "contract_stage": "active"},
    "proposals": {"event_id": "e2", "ts": 1, "job_id": "j", "freelancer_id": "f1",
                  "client_id": "c1", "cover_letter": "Dear client", "bid": 120.5},
    "feedback": {"event_id": "e3", "ts": 1, "kind": "rating", "contract_id": "k",
                 "from_id": "c1", "to_id": "f1", "from_role": "client", "stars": 5,
                 "comment": "great"},
    "accounts": {"event_id": "e4", "ts": 1, "type": "login", "account_id": "f1",
                 "role": "freelancer", "device_fp": "d1", "country": "US"},
    "contracts": {"event_id": "e5", "ts": 1, "type": "hire", "contract_id": "k", "job_id": "j",
                  "client_id": "c1", "freelancer_id": "f1", "actor_id": "c1"},
}


@pytest.mark.parametrize("kind", sorted(VALID))
def test_valid_events_decode_and_validate_against_published_schema(kind):
    record = INPUT_SCHEMAS[kind].decode(orjson.dumps(VALID[kind]), 1000)
    assert record.event_id == VALID[kind]["event_id"]
    jsonschema.validate(VALID[kind], json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text()))


def _without(obj, key):
    return {k: v for k, v in obj.items() if k != key}


BAD = [
    ("messages", b"{not json", "bad_json"),
    ("messages", b"[1,2]", "bad_json"),
    ("messages", b'{"text": "\xff\xfe"}', "invalid_utf8"),
    ("messages", orjson.dumps(_without(VALID["messages"], "text")), "missing_field"),
    ("messages", orjson.dumps({**VALID["messages"], "ts": "yesterday"}), "wrong_type"),
    ("messages", orjson.dumps({**VALID["messages"], "ts": True}), "wrong_type"),
    ("messages", orjson.dumps({**VALID["messages"], "text": "x" * 1001}), "too_large"),
    ("messages", orjson.dumps({**VALID["messages"], "contract_stage": "??"}), "unknown_type"),
    ("feedback", orjson.dumps({**VALID["feedback"], "stars": 6}), "bad_value"),
    ("accounts", orjson.dumps({**VALID["accounts"], "type": "teleport"}), "unknown_type"),
    ("contracts", orjson.dumps({**VALID["contracts"], "actor_id": ""}), "bad_value"),
    ("proposals", orjson.dumps({**VALID["proposals"], "event_id": "p\x1e1"}), "bad_value"),  # control char
    ("proposals", orjson.dumps({**VALID["proposals"], "bid": "cheap"}), "wrong_type"),
    # fingerprints become Redis keys and script records: no control characters, bounded
    ("accounts", orjson.dumps({**VALID["accounts"], "device_fp": "abc\tvictim:key"}), "bad_value"),
    ("accounts", orjson.dumps({**VALID["accounts"], "ip_fp": "f" * 129}), "bad_value"),
    ("messages", orjson.dumps({**VALID["messages"], "ts": 2**53}), "bad_value"),
    # ids that would look like another id, or reorder the text around them, in a reviewer's tool
    *[("messages", orjson.dumps({**VALID["messages"], "sender_id": f"evil-a{c}x"}), "bad_value")
      for c in ("\x7f", "\x85", "\u2028", "\u2029", "\u202e", "\u2066", "\u200b", "\u200d", "\ufeff", "\xad")],
    # countries: ISO 3166 alpha-2 only
    *[("accounts", orjson.dumps({**VALID["accounts"], "country": c}), "bad_value")
      for c in ("us", "USA", "XX", "U", "C" * 19_000)],
]


@pytest.mark.parametrize(("kind", "raw", "reason"), BAD)
def test_bad_events_are_rejected_with_reason(kind, raw, reason):
    with pytest.raises(Rejected) as info:
        INPUT_SCHEMAS[kind].decode(raw, 1000)
    assert info.value.reason == reason


@pytest.mark.parametrize(("kind", "raw", "reason"), BAD)
def test_published_schema_also_rejects_structurally_bad_events(kind, raw, reason):
    if reason in {"bad_json", "invalid_utf8", "too_large"}:
        pytest.skip("not a JSON document, or a limit that is a setting")
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(orjson.loads(raw), schema)


def test_published_files_are_current():
    for name, doc in documents().items():
        assert (SCHEMA_DIR / name).read_text() == render(doc), f"run `make schemas` for {name}"
