"""Schema of the proposals topic (keyed by `freelancer_id`)."""

from scoring.records import Proposal
from streams.batch.schemas.base import Schema
from streams.batch.schemas.fields import EVENT_ID, TS, Field

SCHEMA = Schema(
    name="proposal",
    description="A freelancer's proposal on a job. Kafka key: freelancer_id.",
    record=Proposal,
    fields=(
        EVENT_ID,
        TS,
        Field("job_id", "id", description="the job applied to"),
        Field("freelancer_id", "id", description="the applicant"),
        Field("client_id", "id", description="the job's client"),
        Field("cover_letter", "text", description="cover letter text"),
        Field("bid", "number", minimum=0, description="bid amount in USD"),
    ),
)
