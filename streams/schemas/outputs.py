"""JSON Schemas of what the scorer publishes: escalations and dead letters."""

from __future__ import annotations

from typing import Any

from scoring.rules import POLICIES, SEVERITIES

_STR = {"type": "string"}
_INT = {"type": "integer"}

_COUNTER = {
    "type": "object",
    "description": "a windowed counter that crossed its threshold",
    "properties": {"name": _STR, "value": _INT, "window_s": _INT, "threshold": _INT},
    "required": ["name", "value", "window_s", "threshold"],
}
_SPAN = {
    "type": "object",
    "description": "matched text: offsets into the event's original text, and the text",
    "properties": {"start": _INT, "end": _INT, "text": _STR},
    "required": ["start", "end", "text"],
}
_TEXT = {
    "type": "object",
    "description": "text evidence only: the text read (cut to 500 characters), its kind, and the text model's version",
    "properties": {"kind": _STR, "body": _STR, "model_version": _STR},
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
        "escalation_id": {"type": "string", "description": "deterministic: same inputs, same id"},
        "account_id": _STR,
        "policies": {"type": "array", "items": {"enum": list(POLICIES)}, "minItems": 1},
        "score": {"type": "number", "description": "highest policy score"},
        "scores": {"type": "object", "additionalProperties": {"type": "number"}},
        "severity": {"enum": list(SEVERITIES)},
        "reasons": {"type": "array", "items": _STR, "description": "plain words"},
        "evidence": {"type": "array", "items": _EVIDENCE},
        "rule_version": _STR,
        "model_version": {"type": "string", "description": "version of the text model in force"},
        "ts": {"type": "integer", "description": "event time of the triggering event (epoch ms)"},
        "trigger_event_id": _STR,
        "follow_up": {"type": "integer", "minimum": 0, "description": (
            "0: the first escalation of these policies in their cooldown period; n > 0: the nth "
            "follow-up, sent because the score reached a higher severity band")},
    },
    "required": [
        "escalation_id", "account_id", "policies", "score", "scores", "severity", "reasons",
        "evidence", "rule_version", "model_version", "ts", "trigger_event_id",
    ],
}

DEAD_LETTER_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "dead letter",
    "description": "An input event that could not be decoded, with the original bytes.",
    "type": "object",
    "properties": {
        "reason": {
            "enum": [
                "bad_json", "invalid_utf8", "missing_field", "wrong_type", "bad_value",
                "too_large", "unknown_type", "key_mismatch",
            ]
        },
        "detail": _STR,
        "topic": _STR,
        "partition": _INT,
        "offset": _INT,
        "timestamp_ms": _INT,
        "key_b64": {"type": ["string", "null"]},
        "value_b64": {"type": ["string", "null"]},
    },
    "required": ["reason", "detail", "topic", "partition", "offset", "timestamp_ms"],
}
