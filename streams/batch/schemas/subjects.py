"""Schema of the internal subject-events topic (keyed by `subject_id`), written by the scorer."""

import dataclasses
import hashlib

import orjson

from scoring.records import SUBJECT_KINDS, SUBJECT_ROLES, SubjectEvent
from scoring.rules import POLICIES
from streams.batch.schemas.base import Schema
from streams.batch.schemas.fields import EVENT_ID, ID_MAX, TS, Field

SCHEMA = Schema(
    name="subject",
    description=(
        "Internal: a rating received, a dispute opened against an account, a message sent to "
        "it (replied), reviewers dismissing its escalation (dismissed), a sender's streak of "
        "messages for the recipient to check against its own replies (unanswered_check), the "
        "recipient's answer that it never replied (unanswered), or an account that a new link "
        "joins it to: of the other role (linked_counterpart), or another freelancer "
        "(linked_duplicate), the recipient's answer to a first message the subject sent: whether it had applied to "
        "the subject's jobs (cold; detail 'applied' when it had), a "
        "path of the rating graph to close into a loop (ring_probe), or a rating ring found "
        "(ring), re-keyed to that account. "
        "Kafka key: subject_id."
    ),
    record=SubjectEvent,
    fields=(
        EVENT_ID,
        TS,
        Field("kind", "enum", choices=SUBJECT_KINDS, description="rated or disputed"),
        Field("subject_id", "id", description="the account rated or disputed"),
        Field("subject_role", "enum", choices=SUBJECT_ROLES, description="its role on the contract"),
        Field("contract_id", "text", description="the contract (empty for replied)"),
        Field("other_id", "id", description="the account that rated or disputed"),
        Field("stars", "int", required=False, minimum=1, maximum=5, description="rated only"),
        Field("room_id", "text", required=False, description="replied only: the room"),
        Field("policy", "enum", required=False, choices=POLICIES,
              description="dismissed only: the policy whose evidence up to ts was dismissed"),
        Field("count", "int", required=False, minimum=1,
              description="unanswered_check, unanswered: messages in the sender's streak"),
        Field("days", "int", required=False, minimum=1,
              description="unanswered_check, unanswered: distinct days of the streak"),
        Field("since_ts", "int", required=False, minimum=0,
              description="unanswered_check, unanswered: when the streak began (epoch ms)"),
        Field("detail", "text", required=False,
              description="linked_*: the fingerprints the two accounts share, in words; replied: "
                          "'first' for a first message; ring_probe, ring: accounts and contracts of the "
                          "path or loop, tab-separated"),
    ),
)


_FIELDS = tuple(f.name for f in dataclasses.fields(SubjectEvent))


def fitted_id(value: str) -> str:
    """An id the scorer built from others (an event id, a kind and an account id, say) cut to
    the schema's limit: past it, a prefix and the SHA-256 of the whole, the same on every
    replay. Long input ids are allowed, so the ids built from them must be fitted, or the
    subject event would be dead-lettered when it comes back and its finding lost."""
    if len(value) <= ID_MAX:
        return value
    digest = hashlib.sha256(value.encode()).hexdigest()[:40]
    return f"{value[:ID_MAX - len(digest) - 1]}#{digest}"


def encode(event: SubjectEvent) -> bytes:
    """The subject event as the JSON the schema above decodes, its id fitted to the schema."""
    event = dataclasses.replace(event, event_id=fitted_id(event.event_id))
    values = ((k, getattr(event, k)) for k in _FIELDS)
    return orjson.dumps({k: v for k, v in values if v is not None and not (k in ("policy", "detail") and not v)})
