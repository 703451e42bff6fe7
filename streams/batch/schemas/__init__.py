"""Topic schemas: decoders from raw bytes to records, and their JSON Schema files."""

from streams.batch.schemas import accounts, contracts, decisions, feedback, messages, proposals, subjects
from streams.batch.schemas.base import Schema
from streams.batch.schemas.fields import Rejected

INPUT_SCHEMAS: dict[str, Schema] = {
    "messages": messages.SCHEMA,
    "proposals": proposals.SCHEMA,
    "feedback": feedback.SCHEMA,
    "accounts": accounts.SCHEMA,
    "contracts": contracts.SCHEMA,
    "subjects": subjects.SCHEMA,
}

DECISION_SCHEMA: Schema = decisions.SCHEMA

__all__ = ["DECISION_SCHEMA", "INPUT_SCHEMAS", "Rejected", "Schema"]
