"""Unanswered messaging: many messages over several days to someone who never replies.

The sender's state keeps, per recipient, the streak of messages since the
recipient last spoke to them; the recipient's replies arrive as `replied`
subject events (derived from the recipient's own messages) and end the streak.
"""

from __future__ import annotations

from scoring.records import Message, SubjectEvent
from scoring.rules import DetectorRule
from scoring.signals import Counter, Signal
from scoring.state import AccountState

DAY_MS = 86_400_000


def on_message(state: AccountState, event: Message, rule: DetectorRule | None) -> list[Signal]:
    count, days, newly = state.extend_streak(event.recipient_id, event.ts, DAY_MS)
    if rule is None or not newly:
        return []
    min_messages, min_days = int(rule.param("min_messages")), int(rule.param("min_days"))
    if count < min_messages or days < min_days:
        return []
    state.mark_streak_signalled(event.recipient_id)
    return [
        Signal(
            policy=rule.policy,
            detector=rule.name,
            weight=rule.weight,
            reason=(
                f"sent {count} messages over {days} days to {event.recipient_id}, "
                "who has not replied"
            ),
            event_id=event.event_id,
            ts=event.ts,
            counters=(
                Counter("unanswered_messages", count, 0, min_messages),
                Counter("unanswered_days", days, 0, min_days),
            ),
        )
    ]


def on_reply(state: AccountState, event: SubjectEvent) -> None:
    """The recipient (`other_id`) spoke to this account: the streak to them ends."""
    state.end_streak(event.other_id, event.ts)
