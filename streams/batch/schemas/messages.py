"""Schema of the chat messages topic (keyed by `sender_id`)."""

from scoring.records import CONTRACT_STAGES, Message
from streams.batch.schemas.base import Schema
from streams.batch.schemas.fields import EVENT_ID, TS, Field

SCHEMA = Schema(
    name="message",
    description="A chat message between two accounts in a room. Kafka key: sender_id.",
    record=Message,
    fields=(
        EVENT_ID,
        TS,
        Field("room_id", "id", description="conversation room"),
        Field("sender_id", "id", description="account that wrote the message"),
        Field("recipient_id", "id", description="the other party"),
        Field("text", "text", description="message body"),
        Field(
            "contract_stage",
            "enum",
            required=False,
            choices=CONTRACT_STAGES,
            description="state of a contract between the two parties; default pre_contract",
        ),
        Field(
            "direct_contract",
            "bool",
            required=False,
            description="the parties work under a platform Direct Contract (bring-your-own-client)",
        ),
    ),
)
