"""Fan-out: first messages to many distinct recipients within an hour, or within a day.

Only cold outreach counts: a first message to an account that applied to one of the sender's
jobs (an `applied` subject event, re-keyed from the freelancer's proposal) answers it, and a busy
client may answer dozens of applicants in an hour. Windows are minute buckets kept for a day:
they slide by the minute.
"""

from __future__ import annotations

from scoring import windows
from scoring.detectors.rates import DAY_MS, MINUTE_MS, over_limits
from scoring.records import Message, SubjectEvent
from scoring.rules import DetectorRule
from scoring.signals import Signal
from scoring.state import AccountState


def detect(state: AccountState, event: Message, rule: DetectorRule | None) -> list[Signal]:
    """Count a first message to a new recipient who did not apply; signal once when a window goes over."""
    if not state.remember_contact(event.recipient_id, event.ts // MINUTE_MS):
        return []
    if event.recipient_id in state.applicants:
        return []
    windows.add(state.first_hours, event.ts, MINUTE_MS, DAY_MS)
    if rule is None:
        return []
    return over_limits(
        rule, state.first_hours, MINUTE_MS, event.event_id, event.ts, "first_messages",
        lambda count, words, limit: (f"first messages to {count} different people who had not applied to "
                                     f"its jobs within {words} (limit {limit})"),
    )


def on_applied(state: AccountState, event: SubjectEvent) -> None:
    """A freelancer (`other_id`) applied to one of this account's jobs."""
    state.remember_applicant(event.other_id, event.ts)
