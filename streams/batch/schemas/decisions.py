"""Schema of the decisions topic: reviewers' verdicts on escalations (keyed by `escalation_id`)."""

from scoring.records import DECISIONS, Decision
from scoring.rules import POLICIES
from streams.batch.schemas.base import Schema
from streams.batch.schemas.fields import TS, Field

SCHEMA = Schema(
    name="decision",
    description=(
        "A reviewer's verdict on an escalation, written by the marketplace's support tooling. "
        "Confirmed and dismissed verdicts measure each rule's precision; a dismissal also takes "
        "the dismissed evidence out of the account's score. A verdict may be on one of the "
        "escalation's policies (`policy`), else it is on all of them; of two verdicts on the same "
        "escalation and policy, the one decided later (`ts`) stands, whichever arrives last. "
        "Kafka key: escalation_id."
    ),
    record=Decision,
    fields=(
        Field("escalation_id", "id", description="the escalation_id of the escalation reviewed"),
        Field("decision", "enum", choices=DECISIONS, description="the verdict"),
        Field("reviewer", "id", description="who decided (an id in the support tool)"),
        Field("reason", "text", required=False, description="why, in the reviewer's words"),
        Field("policy", "enum", required=False, choices=POLICIES,
              description="the one policy of the escalation this verdict is on (absent: every one of them; "
                          "a policy the escalation does not have is dead-lettered)"),
        Field("ts", "int", required=False, minimum=0, maximum=TS.maximum,
              description="when it was decided, epoch milliseconds (absent or 0: the record's broker "
                          "timestamp); of two verdicts on the same text, the later one stands"),
    ),
)
