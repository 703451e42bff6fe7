"""JSON Schemas of what the scorer publishes: escalations and dead letters."""

from __future__ import annotations

from typing import Any

from scoring.rules import POLICIES, SEVERITIES
from scoring.signals import ACCOUNTS_MAX
from streams.batch.bounded import ESCALATION_MAX_BYTES
from streams.batch.deadletter import DETAIL_MAX, KEY_KEPT, VALUE_KEPT

# Why an event was dead-lettered: a bounded metric label. `unprocessable`: decoded, but its
# batch failed on it after retries (streams/worker/poison.py); `unknown_escalation`: a decision on none.
DEAD_LETTER_REASONS = (
    "bad_json", "invalid_utf8", "missing_field", "wrong_type", "bad_value", "too_large",
    "unknown_type", "key_mismatch", "unknown_escalation", "unprocessable",
)

_STR = {"type": "string"}
_INT = {"type": "integer"}

_COUNTER = {
    "type": "object",
    "description": (
        "a counter that met its threshold: value against threshold over the last window_s seconds "
        "(window_s 0: not a time window, a count over what the account's state keeps, such as its "
        "ratings or its recent proposals); a name ending in _at_or_under is met at or under its "
        "threshold, any other at or over it"),
    "properties": {"name": _STR, "value": _INT, "window_s": _INT, "threshold": _INT},
    "required": ["name", "value", "window_s", "threshold"],
}
_SPAN = {
    "type": "object",
    "description": ("matched text: offsets into the event's original text, counted in Unicode code points "
                    "(not UTF-16 units or bytes), and the text"),
    "properties": {"start": _INT, "end": _INT, "text": _STR},
    "required": ["start", "end", "text"],
}
_TEXT = {
    "type": "object",
    "description": "text evidence only: the text read (cut to 500 characters), its kind, and the text model's version",
    "properties": {
        "kind": _STR, "body": _STR, "model_version": _STR,
        "offset": {"type": "integer", "minimum": 1, "description": (
            "where body starts in the text, when it was cut from a longer one and does not start at its "
            "beginning (absent: 0); a span inside the kept part is body[start - offset : end - offset], "
            "one outside it is only in the event's own text")},
        "with_earlier": {"type": "boolean", "description": (
            "present (true) when the text was flagged with the room's earlier messages (a detail split "
            "across them, a repeated ask): a verdict then labels no text for retraining")},
    },
    "required": ["kind", "body", "model_version"],
}
_EVIDENCE = {
    "type": "object",
    "description": "one signal behind the escalation",
    "properties": {
        "policy": {"enum": list(POLICIES)},
        "detector": _STR,
        "weight": {"type": "number"},
        "reason": _STR,
        "event_id": _STR,
        "ts": _INT,
        "counters": {"type": "array", "items": _COUNTER},
        "spans": {"type": "array", "items": _SPAN},
        "text": _TEXT,
        "accounts": {"type": "array", "items": _STR, "maxItems": ACCOUNTS_MAX, "description": (
            "present when the evidence links the account to others (shared fingerprints, a contract "
            "with a linked account, a rating ring, first messages fanned out, a cover letter other "
            "accounts sent too, feedback asked of one account again and again): their ids, the first "
            f"{ACCOUNTS_MAX}")},
    },
    "required": ["policy", "detector", "weight", "reason", "event_id", "ts", "counters", "spans"],
}

ESCALATION_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "escalation",
    "description": (
        "An account to review, with reasons and evidence. Kafka key: account_id. The same "
        "escalation_id can arrive more than once (at-least-once delivery): drop duplicates."
    ),
    "type": "object",
    "properties": {
        "escalation_id": {"type": "string", "description": (
            "deterministic: same inputs, same id; names one content (account, policies, cooldown period, "
            "follow-up, rule version and a digest of the rest): records with the same id are identical")},
        "account_id": _STR,
        "policies": {"type": "array", "items": {"enum": list(POLICIES)}, "minItems": 1},
        "score": {"type": "number", "description": "highest policy score"},
        "scores": {"type": "object", "additionalProperties": {"type": "number"}},
        "severity": {"enum": list(SEVERITIES)},
        "reasons": {"type": "array", "items": _STR, "description": "plain words"},
        "evidence": {"type": "array", "items": _EVIDENCE,
                     "description": "per policy, the newest five signals by time, always with the ones the "
                                    "escalation was made on (a finding told late can be older than the others)"},
        "rule_version": _STR,
        "model_version": {"type": "string", "description": "version of the text model in force"},
        "ts": {"type": "integer", "description": "event time of the triggering event (epoch ms)"},
        "trigger_event_id": _STR,
        "follow_up": {"type": "integer", "minimum": 0, "description": (
            "0: the first escalation of these policies in their cooldown period; n > 0: the nth "
            "follow-up, sent because the score reached a higher severity band")},
        "withdraws": {"type": "string", "description": (
            "present on a withdrawal only: the escalation_id of an escalation withdrawn. A finding "
            "decided by event time (a freelancer's poor record, a risky client, a rating ring) made "
            "before an earlier rating, dispute or ring notice arrived, which the reading in time order "
            "does not make, is withdrawn; its policy, score and severity are repeated here, and the "
            "reason says why. Keep the withdrawn one out of review queues and counts")},
        "evidence_omitted": {"type": "integer", "minimum": 1, "description": (
            f"present when the oldest evidence items, this many, were left out to keep the escalation "
            f"under {ESCALATION_MAX_BYTES} bytes")},
    },
    "required": [
        "escalation_id", "account_id", "policies", "score", "scores", "severity", "reasons",
        "evidence", "rule_version", "model_version", "ts", "trigger_event_id",
    ],
}

def _kept(name: str, limit: int) -> dict[str, Any]:
    """The properties that keep a bounded prefix of the original's `name` (key or value)."""
    return {
        f"{name}_b64": {"type": ["string", "null"], "description": (
            f"the original {name} (null: none), base64; only its first {limit} bytes when "
            f"{name}_truncated")},
        f"{name}_bytes": {"type": "integer", "minimum": 0, "description": f"size of the original {name}"},
        f"{name}_sha256": {"type": "string", "description": f"SHA-256 of the whole original {name}, hex"},
        f"{name}_truncated": {"type": "boolean", "description": f"{name}_b64 holds a prefix only"},
    }


DEAD_LETTER_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "dead letter",
    "description": (
        "An input event that could not be decoded or processed, with the original bytes, or a bounded "
        "prefix of them with their size and SHA-256 when they are larger (so the record always fits the "
        "broker's message limit). Kafka key: the original key (its first bytes when truncated)."
    ),
    "type": "object",
    "properties": {
        "reason": {"enum": list(DEAD_LETTER_REASONS)},
        "detail": {"type": "string", "maxLength": DETAIL_MAX},
        "topic": _STR,
        "partition": _INT,
        "offset": _INT,
        "timestamp_ms": _INT,
        **_kept("key", KEY_KEPT),
        **_kept("value", VALUE_KEPT),
    },
    "required": ["reason", "detail", "topic", "partition", "offset", "timestamp_ms", "key_b64", "value_b64"],
}
