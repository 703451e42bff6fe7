"""Unanswered messaging: many messages over several days to someone who never replies.

The sender's state keeps, per recipient, the streak of messages since the
recipient last spoke to them; the recipient's replies arrive as `replied`
subject events and end the streak. Those notices travel through the subject
topic, so in a backlog they can arrive after the sender's later messages: the
sender's streak alone would count messages that were in fact answered. A streak
that reaches the thresholds is therefore checked by the recipient, whose own
messages are in its own partition: an `unanswered_check` goes to the recipient,
which answers with `unanswered` only if it has not written to the sender since
the streak began, and the sender's state signals on that answer.

Only messages outside an active contract count: "hire me" before a contract, pleading after
one ended. Work updates on an active contract to a quiet counterpart are the job, not a streak.
"""

from __future__ import annotations

from scoring.detector import NOWHERE, At, Detector, DetectorRule, Param
from scoring.records import Message, SubjectEvent
from scoring.signals import Counter, Signal
from scoring.state import AccountState
from scoring.units import DAY_MS, MINUTE_MS


def on_message(state: AccountState, event: Message, rule: DetectorRule | None,
               at: At = NOWHERE) -> list[SubjectEvent]:
    """Count the message in the streak to its recipient; a streak reaching the thresholds is
    sent to the recipient to check."""
    if event.contract_stage == "active":
        return []
    count, days, newly = state.extend_streak(event.recipient_id, event.ts, DAY_MS)
    if rule is None or not newly:
        return []
    min_messages, min_days = int(rule.param("min_messages")), int(rule.param("min_days"))
    if count < min_messages or days < min_days:
        return []
    state.mark_streak_signalled(event.recipient_id)
    since = state.streaks[event.recipient_id][1]
    return [SubjectEvent(event.event_id, event.ts, "unanswered_check", event.recipient_id, "unknown", "",
                         event.sender_id, room_id=event.room_id, count=count, days=days, since_ts=since)]


def on_check(state: AccountState, event: SubjectEvent, rule: DetectorRule | None = None,
             at: At = NOWHERE) -> list[SubjectEvent]:
    """The recipient's side: unanswered unless it wrote to the sender since the streak began.
    If it did, its answer is a reply notice, which ends the sender's streak (the notice of that
    reply may never have been sent: notices go once per conversational turn)."""
    since = event.since_ts or 0
    last_minute = state.contacts.get(event.other_id)
    if last_minute is not None and last_minute >= since // MINUTE_MS:
        return [SubjectEvent(event.event_id, max(since, last_minute * MINUTE_MS), "replied", event.other_id,
                             "unknown", "", event.subject_id, room_id=event.room_id)]
    return [SubjectEvent(event.event_id, event.ts, "unanswered", event.other_id, "unknown", "",
                         event.subject_id, room_id=event.room_id, count=event.count, days=event.days,
                         since_ts=event.since_ts)]


def on_unanswered(state: AccountState, event: SubjectEvent, rule: DetectorRule | None,
                  at: At = NOWHERE) -> list[Signal]:
    """The sender's side: the recipient confirmed the streak went unanswered. Signals once per
    streak: a copy of the answer (the check or the answer re-delivered, each re-keyed with a new
    offset) finds the streak confirmed already, and a streak that a reply ended meanwhile is not
    signalled at all."""
    if rule is None or not state.confirm_streak(event.other_id, event.since_ts or 0):
        return []
    count, days = event.count or 0, event.days or 0
    return [
        Signal(
            policy=rule.policy,
            detector=rule.name,
            weight=rule.weight,
            reason=f"sent {count} messages over {days} days to {event.other_id}, who has not replied",
            event_id=event.event_id,
            ts=event.ts,
            counters=(
                Counter("unanswered_messages", count, 0, int(rule.param("min_messages"))),
                Counter("unanswered_days", days, 0, int(rule.param("min_days"))),
            ),
        )
    ]


def on_reply(state: AccountState, event: SubjectEvent, rule: DetectorRule | None = None,
             at: At = NOWHERE) -> list[Signal]:
    """The recipient (`other_id`) spoke to this account: the streak to them ends."""
    state.end_streak(event.other_id, event.ts)
    return []


DETECTORS = (
    Detector(
        "unanswered_messages", "harassment", rank=110, params=(Param("min_messages"), Param("min_days")),
        state=("streaks",), finds={"subject.replied": on_reply, "subject.unanswered": on_unanswered},
        tells={"message": on_message, "subject.unanswered_check": on_check},
    ),
)
