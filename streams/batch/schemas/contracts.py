"""Schema of the contract events topic (keyed by `actor_id`)."""

from scoring.records import CONTRACT_EVENT_TYPES, ContractEvent
from streams.batch.schemas.base import Schema
from streams.batch.schemas.fields import EVENT_ID, TS, Field

SCHEMA = Schema(
    name="contract",
    description="A step in a contract's life. Kafka key: actor_id.",
    record=ContractEvent,
    fields=(
        EVENT_ID,
        TS,
        Field("type", "enum", choices=CONTRACT_EVENT_TYPES, description="the step"),
        Field("contract_id", "id", description="the contract"),
        Field("job_id", "id", description="the job"),
        Field("client_id", "id", description="the client"),
        Field("freelancer_id", "id", description="the freelancer"),
        Field("actor_id", "id", description="the account that took the step"),
    ),
)
