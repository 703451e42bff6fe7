"""Unanswered messaging: many messages over several days to someone who never replies.

The sender's state keeps, per recipient, the streak of messages since the
recipient last spoke to them; the recipient's replies arrive as `replied`
subject events and end the streak. Those notices travel through the subject
topic, so in a backlog they can arrive after the sender's later messages: the
sender's streak alone would count messages that were in fact answered. A streak
that reaches the thresholds is therefore checked by the recipient, whose own
messages are in its own partition: an `unanswered_check` goes to the recipient,
which answers with `unanswered` only if it has not written to the sender since
the streak began, and the sender's state signals on that answer. The streak keeps
its count, its days and its newest `MAX_STREAK_MESSAGES` messages, so a reply told
late ends it only up to the reply: when every message sent after the reply is among
those kept, they are a streak of their own, and reach the thresholds at the same
message as they would had the reply come in time (a longer one ends as before). The
confirmation reaches the sender behind its later messages as well: the finding is escalated
apart from the harassment score (`step.APART`), which it would otherwise join at its arrival.

Only messages outside an active contract count: "hire me" before a contract, pleading after
one ended. Work updates on an active contract to a quiet counterpart are the job, not a streak.
"""

from __future__ import annotations

from scoring.detector import NOWHERE, At, Detector, DetectorRule, Param
from scoring.records import Message, SubjectEvent
from scoring.signals import Counter, Signal
from scoring.state import AccountState
from scoring.units import DAY_MS, MINUTE_MS


def crossing(messages: list[tuple[int, str]], min_messages: int, min_days: int) -> tuple[int, int] | None:
    """The index of the first message at which a streak reaches both thresholds, and the distinct
    days up to it, if any."""
    days: set[int] = set()
    for i, (ts, _) in enumerate(messages):
        days.add(ts // DAY_MS)
        if i + 1 >= min_messages and len(days) >= min_days:
            return i, len(days)
    return None


def _check(state: AccountState, recipient: str, sender: str, room: str, at: tuple[int, str], count: int,
           days: int) -> list[SubjectEvent]:
    """The streak sent to the recipient to check, made at message `at` (ts, id)."""
    state.mark_streak_signalled(recipient)
    return [SubjectEvent(at[1], at[0], "unanswered_check", recipient, "unknown", "", sender, room_id=room,
                         count=count, days=days, since_ts=state.streak_since(recipient))]


def on_message(state: AccountState, event: Message, rule: DetectorRule | None,
               at: At = NOWHERE) -> list[SubjectEvent]:
    """Count the message in the streak to its recipient; a streak reaching the thresholds is
    sent to the recipient to check."""
    if event.contract_stage == "active":
        return []
    counted = state.extend_streak(event.recipient_id, event.ts, event.event_id)
    if rule is None or counted is None or state.streak_checked(event.recipient_id):
        return []
    count, days = counted
    if count < int(rule.param("min_messages")) or days < int(rule.param("min_days")):
        return []
    return _check(state, event.recipient_id, event.sender_id, event.room_id, (event.ts, event.event_id), count, days)


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
             at: At = NOWHERE) -> list[SubjectEvent]:
    """The recipient (`other_id`) spoke to this account: the streak to them ends there. The
    messages sent after a reply told late are a streak of their own, checked again at the
    message where they reach the thresholds: the same check, at the same message, as had the
    reply come in time."""
    messages = state.end_streak(event.other_id, event.ts)
    if rule is None or messages is None:
        return []
    found = crossing(messages, int(rule.param("min_messages")), int(rule.param("min_days")))
    if found is None:
        return []
    i, days = found
    return _check(state, event.other_id, event.subject_id, event.room_id, messages[i], i + 1, days)


DETECTORS = (
    Detector(
        "unanswered_messages", "harassment", rank=110,
        params=(Param("min_messages"), Param("min_days")),
        state=("streaks",), finds={"subject.unanswered": on_unanswered},
        tells={"message": on_message, "subject.unanswered_check": on_check, "subject.replied": on_reply},
    ),
)
