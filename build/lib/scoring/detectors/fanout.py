"""Fan-out: first messages to many distinct recipients within an hour, or within a day.

Only cold outreach counts: a first message to an account that applied to one of the sender's
jobs answers it, and a busy client may answer dozens of applicants in an hour. The recipient
knows whether it applied (its proposals are in its own state), so the sender does not count a
first message itself: the first message's reply notice (`replied`, `detail` "first") asks the
recipient, which answers `cold` unless it applied to the sender's jobs, and the sender counts
the cold ones at their messages' times. The notice is sent after the sender's message, which
came after any proposal it answers, so the recipient has read that proposal when it is asked
(a notice from the proposal to the sender could arrive after the sender's message in a backlog).
Windows are minute buckets kept for a day: they slide by the minute.
"""

from __future__ import annotations

from scoring import windows
from scoring.detectors.rates import DAY_MS, MINUTE_MS, over_limits
from scoring.records import Message, Proposal, SubjectEvent
from scoring.rules import DetectorRule
from scoring.signals import Signal
from scoring.state import AccountState


def on_message(state: AccountState, event: Message) -> None:
    """Remember the recipient (its reply notice, derived before this, said whether it is new)."""
    state.remember_contact(event.recipient_id, event.ts // MINUTE_MS)


def on_proposal(state: AccountState, event: Proposal) -> None:
    """The freelancer applied to a job of `client_id`: a first message from that client answers it."""
    state.remember_application(event.client_id, event.ts)


def on_first_message(state: AccountState, event: SubjectEvent) -> list[SubjectEvent]:
    """The recipient's side of a first message's reply notice: `cold` back to the sender unless
    this account applied to the sender's jobs."""
    if event.detail != "first" or event.other_id in state.applied_to:
        return []
    return [SubjectEvent(event.event_id, event.ts, "cold", event.other_id, "unknown", "", event.subject_id,
                         room_id=event.room_id)]


def on_cold(state: AccountState, event: SubjectEvent, rule: DetectorRule | None) -> list[Signal]:
    """Count a cold first message at its time (once, however often its answer is delivered);
    signal once when a window goes over its limit."""
    if not state.count_cold(event.other_id, event.event_id):
        return []
    windows.add(state.first_hours, event.ts, MINUTE_MS, DAY_MS)
    if rule is None:
        return []
    return over_limits(
        rule, state.first_hours, MINUTE_MS, event.event_id, event.ts, "first_messages",
        lambda count, words, limit: (f"first messages to {count} different people who had not applied to "
                                     f"its jobs within {words} (limit {limit})"),
    )
