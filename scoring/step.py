"""One account, one event: run the detectors, score, decide, build escalations."""

from __future__ import annotations

from dataclasses import dataclass

from scoring import derive, escalation, score
from scoring.detectors import (
    burst,
    cover_letters,
    fanout,
    feedback_requests,
    friends_family,
    linked,
    proposal_rate,
    reputation,
    rings,
    text,
    unanswered,
)
from scoring.escalation import Escalation
from scoring.letters import LetterMatch
from scoring.links import LinkView
from scoring.records import AccountEvent, ContractEvent, Event, Feedback, Message, Proposal, SubjectEvent
from scoring.rules import Rules
from scoring.signals import Signal
from scoring.state import AccountState
from scoring.text import TextContext


def _message(state: AccountState, ev: Message, rules: Rules) -> list[Signal]:
    signals = burst.detect(state, ev, rules.detector("message_burst"))
    fanout.on_message(state, ev)
    context = TextContext(
        kind="message",
        contract_active=ev.contract_stage == "active",
        contact_allowed=ev.contract_stage == "active" or rules.contact_allowed(ev.sender_id, ev.recipient_id),
        direct_contract=ev.direct_contract,
        previous=state.room_tail(ev.room_id),
    )
    signals += text.detect(ev.text, context, ev.event_id, ev.ts, rules)
    state.push_room_text(ev.room_id, ev.text)
    return signals


def _feedback(state: AccountState, ev: Feedback, rules: Rules) -> list[Signal]:
    signals = []
    if ev.kind == "request":
        signals = feedback_requests.detect(state, ev, rules.detector("feedback_requests"))
    elif ev.kind == "rating":
        rule = rules.detector("friends_family")
        signals = friends_family.on_rating_given(state, ev, rule)
    ctx = TextContext(kind="feedback", direct_contract=ev.direct_contract)
    return signals + text.detect(ev.comment, ctx, ev.event_id, ev.ts, rules)


def _account(state: AccountState, ev: AccountEvent, view: LinkView | None, rules: Rules) -> list[Signal]:
    signals = linked.detect(state, ev, view, rules.detector("duplicate_account"))
    if view is not None:
        signals += friends_family.on_account(state, ev, view, rules.detector("friends_family"))
    if ev.profile_text:
        signals += text.detect(ev.profile_text, TextContext(kind="profile"), ev.event_id, ev.ts, rules)
    return signals


# What a cross-account index knows at an event: the link index at an account event, the
# cover-letter index (other accounts' similar letters) at a proposal.
View = LinkView | tuple[LetterMatch, ...]


def detect(state: AccountState, event: Event, rules: Rules, view: View | None = None) -> list[Signal]:
    """Signals of one event; updates the account's windowed state. `view` is what a
    cross-account index knows at the event (None where there is no index)."""
    if isinstance(event, Message):
        return _message(state, event, rules)
    if isinstance(event, Proposal):
        signals = cover_letters.detect(state, event, rules.detector("repeated_cover_letter"))
        signals += proposal_rate.detect(state, event, rules.detector("proposal_rate"))
        if isinstance(view, tuple):
            signals += cover_letters.detect_farm(state, event, view, rules.detector("cover_letter_farm"))
        ctx = TextContext(kind="proposal")
        return signals + text.detect(event.cover_letter, ctx, event.event_id, event.ts, rules)
    if isinstance(event, Feedback):
        return _feedback(state, event, rules)
    if isinstance(event, SubjectEvent) and event.kind == "replied":
        unanswered.on_reply(state, event)
        return []
    if isinstance(event, SubjectEvent) and event.kind == "cold":
        return fanout.on_cold(state, event, rules.detector("first_message_fanout"))
    if isinstance(event, SubjectEvent) and event.kind == "dismissed":
        # once per escalation and policy: a re-delivered dismissal must not take newer evidence
        if state.once(f"dz:{event.policy}:{event.ts}", event.ts):
            score.dismiss(state, event.policy, event.ts, rules)
        return []
    if isinstance(event, SubjectEvent) and event.kind in ("unanswered_check", "ring_probe", "ring"):
        return []  # answered in `step`: it only forwards, or goes with the rating graph
    if isinstance(event, SubjectEvent) and event.kind == "unanswered":
        return unanswered.on_unanswered(state, event, rules.detector("unanswered_messages"))
    if isinstance(event, SubjectEvent) and event.kind == "linked_counterpart":
        return friends_family.on_linked(state, event, rules.detector("friends_family"))
    if isinstance(event, SubjectEvent) and event.kind == "linked_duplicate":
        return linked.on_notice(state, event, rules.detector("duplicate_account"))
    if isinstance(event, SubjectEvent):
        return reputation.detect(
            state, event, rules.detector("low_quality"), rules.detector("client_risk")
        ) + friends_family.on_rating_received(state, event, rules.detector("friends_family"))
    if isinstance(event, ContractEvent):
        return friends_family.on_contract(state, event, rules.detector("friends_family"))
    if isinstance(event, AccountEvent):
        return _account(state, event, view if isinstance(view, LinkView) else None, rules)
    return []


@dataclass(frozen=True, slots=True)
class Outcome:
    signals: list[Signal]  # from active rules: scored
    shadow: list[Signal]  # from shadow rules: counted and published, never scored
    exempt: list[Signal]  # about allow-listed accounts: counted, never scored
    escalations: list[Escalation]
    forwards: list[SubjectEvent]  # derived events about other accounts, to be re-keyed to them


def step(state: AccountState, event: Event, rules: Rules, view: View | None = None) -> Outcome:
    """Apply one event to its account's state (in place); what it signals, escalates, derives."""
    forwards = derive.subject_events(event)
    if isinstance(event, Message):
        forwards += derive.reply_notice(state, event)
        forwards += unanswered.on_message(state, event, rules.detector("unanswered_messages"))
    elif isinstance(event, SubjectEvent) and event.kind == "unanswered_check":
        forwards += unanswered.on_check(state, event)
    elif isinstance(event, SubjectEvent) and event.kind == "replied":
        forwards += fanout.on_first_message(state, event)
    elif isinstance(event, Proposal):
        forwards += fanout.on_proposal(state, event)
    elif isinstance(event, AccountEvent) and isinstance(view, LinkView):
        forwards += linked.notices(state, event, view, rules.detector("duplicate_account"))
        forwards += friends_family.counterpart_notices(state, event, view, rules.detector("friends_family"))
    ring = rings.on_event(state, event, rules.detector("rating_ring"))
    forwards += ring.forwards
    signals: list[Signal] = []
    shadow: list[Signal] = []
    exempt: list[Signal] = []
    for sig in detect(state, event, rules, view) + ring.signals:
        if rules.exempt(event.actor, sig.detector):
            exempt.append(sig)
        else:
            (shadow if rules.is_shadow(sig.detector) else signals).append(sig)
    if isinstance(event, SubjectEvent) and event.kind == "linked_duplicate":
        # A link reaches each account of the pair when its notice does, behind or ahead of the
        # account's other events and other links: scored apart, it escalates the same either way.
        return Outcome(signals, shadow, exempt, escalation.alone(event.actor, signals, rules, event.ts,
                                                                 event.event_id), forwards)
    at, trigger = _made_at(event, signals)
    touched = score.score(state, signals, rules)
    due = score.decide(state, touched, at, rules)
    if not due:
        return Outcome(signals, shadow, exempt, [], forwards)
    esc = escalation.build(event.actor, due, touched, state, rules, at, trigger)
    return Outcome(signals, shadow, exempt, [esc], forwards)


def _made_at(event: Event, signals: list[Signal]) -> tuple[int, str]:
    """The time and event an escalation is made at: the event's own, but a fan-out finding's is
    the first message it names, whichever recipient's answer completed it (they arrive in any
    order)."""
    if isinstance(event, SubjectEvent) and event.kind == "cold" and signals:
        return max((sig.ts, sig.event_id) for sig in signals)
    return event.ts, event.event_id
