"""Subject events derived from an input event: what it tells about another account."""

from __future__ import annotations

from scoring.records import ContractEvent, Event, Feedback, Message, SubjectEvent
from scoring.state import AccountState
from scoring.units import MINUTE_MS

TURN_GAP_MIN = 30  # a message after this much silence to the same person starts a new turn


def subject_events(event: Event) -> list[SubjectEvent]:
    """A rating received, or a dispute opened against the other party of a contract.

    Direct contracts are exempt: they do not feed profile metrics.
    """
    if isinstance(event, Feedback) and event.kind == "rating" and event.stars is not None:
        if event.direct_contract:
            return []
        role = "freelancer" if event.from_role == "client" else "client"
        return [
            SubjectEvent(event.event_id, event.ts, "rated", event.to_id, role,
                         event.contract_id, event.from_id, event.stars)
        ]
    if isinstance(event, ContractEvent) and event.type == "dispute":
        against_client = event.actor_id == event.freelancer_id
        subject = event.client_id if against_client else event.freelancer_id
        role = "client" if against_client else "freelancer"
        return [
            SubjectEvent(event.event_id, event.ts, "disputed", subject, role,
                         event.contract_id, event.actor_id)
        ]
    return []


def reply_notice(state: AccountState, event: Message) -> list[SubjectEvent]:
    """Tell the recipient's state that the sender spoke to it, once per conversational turn.

    Checked before the message updates the sender's contacts. One notice per
    turn instead of per message keeps the re-keyed traffic small. The notice of a
    first message says so (`detail` "first"): the recipient tells the sender whether
    it was cold outreach (first-message fan-out).
    """
    last_minute = state.contacts.get(event.recipient_id)
    if last_minute is not None and event.ts // MINUTE_MS - last_minute < TURN_GAP_MIN:
        return []
    return [
        SubjectEvent(event.event_id, event.ts, "replied", event.recipient_id,
                     "unknown", "", event.sender_id, room_id=event.room_id,
                     detail="" if last_minute is not None else "first")
    ]
