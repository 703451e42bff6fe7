"""Typed, frozen records of the marketplace events the scorer reads.

Every record carries `event_id`, `ts` (event time, epoch milliseconds UTC, set
by the producer) and names the account that acted (`actor`), which is also the
Kafka key of its topic and the key of that account's state.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any, TypeVar

CONTRACT_STAGES = ("pre_contract", "active", "ended")
FEEDBACK_KINDS = ("rating", "request")
ROLES = ("client", "freelancer")
ACCOUNT_EVENT_TYPES = ("signup", "login", "profile_update")
CONTRACT_EVENT_TYPES = ("invite", "offer", "hire", "direct_contract", "end", "dispute")

T = TypeVar("T")


def pickled_as_arguments(cls: type[T]) -> type[T]:
    """A frozen, slotted dataclass pickled as the arguments of its constructor, in one tuple: the
    dataclass's own pickling lists its fields for every object (records cross to and from the
    scoring processes by the thousand per batch)."""
    values = attrgetter(*(f.name for f in fields(cls)))  # type: ignore[arg-type]

    def __reduce__(self: T) -> tuple[Any, ...]:
        return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[assignment,method-assign]
    return cls


@dataclass(frozen=True, slots=True)
class Message:
    """A chat message in a room between two accounts."""

    event_id: str
    ts: int
    room_id: str
    sender_id: str
    recipient_id: str
    text: str
    contract_stage: str = "pre_contract"
    direct_contract: bool = False

    @property
    def actor(self) -> str:
        return self.sender_id


@dataclass(frozen=True, slots=True)
class Proposal:
    """A freelancer's proposal (cover letter and bid) on a client's job."""

    event_id: str
    ts: int
    job_id: str
    freelancer_id: str
    client_id: str
    cover_letter: str
    bid: float

    @property
    def actor(self) -> str:
        return self.freelancer_id


@dataclass(frozen=True, slots=True)
class Feedback:
    """A star rating with comment (`rating`), or a request for one (`request`)."""

    event_id: str
    ts: int
    kind: str
    contract_id: str
    from_id: str
    to_id: str
    from_role: str
    stars: int | None = None
    comment: str = ""
    direct_contract: bool = False

    @property
    def actor(self) -> str:
        return self.from_id


@dataclass(frozen=True, slots=True)
class AccountEvent:
    """Signup, login or profile update, with hashed fingerprints."""

    event_id: str
    ts: int
    type: str
    account_id: str
    role: str
    country: str = ""
    device_fp: str = ""
    ip_fp: str = ""
    payment_fp: str = ""
    phone_fp: str = ""
    profile_text: str = ""
    family_fp: str = ""  # hashed surname plus home location: relatives sharing a home share it

    @property
    def actor(self) -> str:
        return self.account_id


@dataclass(frozen=True, slots=True)
class ContractEvent:
    """A step in a contract's life: invite, offer, hire, direct contract, end, dispute."""

    event_id: str
    ts: int
    type: str
    contract_id: str
    job_id: str
    client_id: str
    freelancer_id: str
    actor_id: str

    @property
    def actor(self) -> str:
        return self.actor_id


SUBJECT_KINDS = ("rated", "disputed", "replied", "dismissed", "unanswered_check", "unanswered",
                 "linked_counterpart", "linked_duplicate", "cold", "ring_probe", "ring")
SUBJECT_ROLES = (*ROLES, "unknown")


@pickled_as_arguments
@dataclass(frozen=True, slots=True)
class SubjectEvent:
    """Something another account did about `subject_id`, re-keyed to the subject's partition.

    The scorer derives these itself (a rating received, a dispute opened against
    the account, a message to it) so that two-way reputation and unanswered
    messaging are kept in the subject's own state. Applying a copy twice changes
    nothing (ratings and disputes are kept by contract, replies by time).
    """

    event_id: str
    ts: int
    kind: str
    subject_id: str
    subject_role: str
    contract_id: str
    other_id: str
    stars: int | None = None
    room_id: str = ""
    policy: str = ""  # dismissed only: the policy whose evidence up to `ts` reviewers dismissed
    # unanswered_check / unanswered: the sender's streak of messages to the recipient since `since_ts`
    count: int | None = None
    days: int | None = None
    since_ts: int | None = None
    # linked_*: the fingerprints `other_id` shares with the subject, in words; ring_probe, ring: the
    # path or loop of the rating graph, accounts and contracts alternately, tab-separated
    detail: str = ""

    @property
    def actor(self) -> str:
        return self.subject_id


DECISIONS = ("confirmed", "dismissed")


@dataclass(frozen=True, slots=True)
class Decision:
    """A reviewer's verdict on an escalation."""

    escalation_id: str
    decision: str
    reviewer: str
    reason: str = ""
    ts: int = 0
    policy: str = ""  # the one policy of the escalation decided; "": every one

    @property
    def actor(self) -> str:
        return self.escalation_id

    def covers(self, policy: str) -> bool:
        """Whether the verdict is on `policy`."""
        return not self.policy or self.policy == policy

    @property
    def event_id(self) -> str:
        return f"decision:{self.escalation_id}"


Event = Message | Proposal | Feedback | AccountEvent | ContractEvent | SubjectEvent | Decision
