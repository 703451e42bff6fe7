"""One account, one event: run the detectors, score, decide, build escalations."""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring import derive, escalation, score
from scoring.detector import Found, View
from scoring.escalation import Escalation
from scoring.records import Event, Message, SubjectEvent
from scoring.registry import REGISTRY
from scoring.rules import Rules
from scoring.signals import Signal, Withdrawal
from scoring.state import AccountState

__all__ = ["Outcome", "View", "detect", "step"]

# Findings escalated apart from the policy's score: each is made at the event that decides it by
# event time (a pair's later half, a loop's latest rating, the rating that makes a freelancer's
# record poor, the message a recipient confirmed unanswered, the first message that crossed a
# fan-out limit), which can reach the account behind its later events.
APART = frozenset({"friends_family.linked_contract", "rating_ring", "low_quality", "client_risk",
                    "unanswered_messages", "first_message_fanout"})


def detect(state: AccountState, event: Event, rules: Rules, view: View | None = None) -> Found:
    """Signals of one event, and the subject events it derives for other accounts; updates the
    account's state. `view` is what a cross-account index knows at the event (None where there
    is no index)."""
    forwards = derive.subject_events(event)
    if isinstance(event, Message):
        forwards += derive.reply_notice(state, event)  # before the detectors note the message
    found = REGISTRY.run(state, event, rules, view)
    if isinstance(event, SubjectEvent) and event.kind == "dismissed":
        _dismiss(state, event, rules)
    return Found(found.signals, forwards + found.forwards, found.withdrawals)


def _dismiss(state: AccountState, event: SubjectEvent, rules: Rules) -> None:
    """Reviewers dismissed an escalation: applied once per escalation and policy (a re-delivered
    dismissal must not take newer evidence)."""
    if state.once(f"dz:{event.policy}:{event.ts}", event.ts):
        score.dismiss(state, event.policy, event.ts, rules)


@dataclass(frozen=True, slots=True)
class Outcome:
    signals: list[Signal]  # from active rules: scored
    shadow: list[Signal]  # from shadow rules: counted and published, never scored
    exempt: list[Signal]  # about allow-listed accounts: counted, never scored
    escalations: list[Escalation]
    forwards: list[SubjectEvent]  # derived events about other accounts, to be re-keyed to them
    # findings published on the shadow topic that the detectors withdrew: published there too
    shadow_withdrawn: list[Withdrawal] = field(default_factory=list)


def _apart(state: AccountState, account: str, signals: list[Signal], shadow: list[Signal],
           withdrawals: list[Withdrawal], rules: Rules) -> tuple[list[Escalation], list[Withdrawal]]:
    """The escalations of the findings escalated apart, and the records withdrawing those published
    before that the detectors withdrew: escalations withdrawn on the escalations topic
    (`AccountState.published`), shadow rules' findings on the shadow topic (`AccountState.shadowed`);
    a finding of an allow-listed account or under its threshold, never published, is never
    withdrawn either."""
    out = []
    for sig in signals:
        if sig.detector in APART:
            made = escalation.alone(account, [sig], rules, sig.ts, sig.event_id)
            if made and sig.finding:
                state.published[sig.finding] = made[0].escalation_id
            out += made
    state.shadowed += [name for name in dict.fromkeys(sig.finding for sig in shadow if sig.finding)
                       if name not in state.shadowed]
    shadow_withdrawn = []
    for gone in withdrawals:
        withdrawn = state.published.pop(gone.finding, None)
        if withdrawn:
            out.append(escalation.withdrawal(account, withdrawn, gone, rules))
        elif gone.finding in state.shadowed:
            state.shadowed.remove(gone.finding)
            shadow_withdrawn.append(gone)
    if state.published:  # kept while the name is among the findings (they keep the newest)
        state.published = {k: v for k, v in state.published.items() if k in state.findings}
    if state.shadowed:
        state.shadowed = [name for name in state.shadowed if name in state.findings]
    return out, shadow_withdrawn


def step(state: AccountState, event: Event, rules: Rules, view: View | None = None) -> Outcome:
    """Apply one event to its account's state (in place); what it signals, escalates, derives."""
    found = detect(state, event, rules, view)
    signals: list[Signal] = []
    shadow: list[Signal] = []
    exempt: list[Signal] = []
    for sig in found.signals:
        if rules.exempt(event.actor, sig.detector):
            exempt.append(sig)
        else:
            (shadow if rules.is_shadow(sig.detector) else signals).append(sig)
    if isinstance(event, SubjectEvent) and event.kind == "linked_duplicate":
        # A link reaches each account of the pair when its notice does, behind or ahead of the
        # account's other events and other links: scored apart, it escalates the same either way.
        alone = escalation.alone(event.actor, signals, rules, event.ts, event.event_id)
        return Outcome(signals, shadow, exempt, alone, found.forwards)
    # A finding decided by event time (APART) is made at that event, whichever arrived last:
    # scored with the account's others, it would take their decay at its arrival.
    apart, shadow_withdrawn = _apart(state, event.actor, signals, shadow, found.withdrawals, rules)
    scored = [sig for sig in signals if sig.detector not in APART]
    touched = score.score(state, scored, rules)
    due = score.decide(state, touched, event.ts, rules)
    if not due:
        return Outcome(signals, shadow, exempt, apart, found.forwards, shadow_withdrawn)
    esc = escalation.build(event.actor, due, touched, state, rules, event.ts, event.event_id, scored)
    return Outcome(signals, shadow, exempt, [*apart, esc], found.forwards, shadow_withdrawn)

