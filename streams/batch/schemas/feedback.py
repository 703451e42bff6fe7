"""Schema of the feedback topic: ratings and feedback requests (keyed by `from_id`)."""

from scoring.records import FEEDBACK_KINDS, ROLES, Feedback
from streams.batch.schemas.base import Schema
from streams.batch.schemas.fields import EVENT_ID, TS, Field

SCHEMA = Schema(
    name="feedback",
    description=(
        "A rating (1-5 stars and a comment) one party of a contract leaves the other, or a "
        "request for one (kind=request). Kafka key: from_id."
    ),
    record=Feedback,
    fields=(
        EVENT_ID,
        TS,
        Field("kind", "enum", choices=FEEDBACK_KINDS, description="rating or request"),
        Field("contract_id", "id", description="the contract rated"),
        Field("from_id", "id", description="account leaving (or requesting) feedback"),
        Field("to_id", "id", description="account rated (or asked)"),
        Field("from_role", "enum", choices=ROLES, description="role of from_id on the contract"),
        Field("stars", "int", required=False, minimum=1, maximum=5, description="rating only"),
        Field("comment", "text", required=False, description="rating comment or request text"),
        Field(
            "direct_contract",
            "bool",
            required=False,
            description="contract is a Direct Contract (does not feed profile metrics)",
        ),
    ),
)
