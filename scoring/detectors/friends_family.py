"""Friends and family: a client hiring a freelancer it knows, to farm feedback.

A finding needs both halves: a link (the two accounts share a device, a payment
instrument, a phone, or two weaker fingerprints such as a home IP and a
surname-plus-home) and a contract between them (a hire, an offer, a rating on
a contract). Either alone is innocent: relatives under one roof who never hire
each other, and a first-time client who invites, hires and rates within hours
(`seeds/003`: the client a bot blocked with a cryptic message; DOMAIN.md).

Each account keeps the counterparts it is linked to (`kin`, with the
fingerprints in words) and those it had contracts with (`parties`, with the
contract); whichever half arrives second completes the finding, once per pair,
on each side. The kept links are themselves the memory of whom the account is
linked to (a client on a family or office device can be linked to a dozen
freelancers before it hires one of them), so no separate record of links
already seen can disagree with them. Links come from the account's own events, or a `linked_counterpart`
subject event when the counterpart's event revealed the link; contracts from
its own contract events and ratings given, and ratings received (re-keyed).
Direct contracts are exempt: they do not feed profile metrics.
"""

from __future__ import annotations

from scoring.detector import NOWHERE, At, Detector, DetectorRule
from scoring.detectors.linked import fingerprint_words, linked_accounts, notify
from scoring.records import AccountEvent, ContractEvent, Feedback, SubjectEvent
from scoring.signals import Counter, Signal
from scoring.state import AccountState

OTHER_ROLE = {"client": "freelancer", "freelancer": "client"}
CONTRACT_STEPS = ("offer", "hire", "end", "dispute")  # an invite alone is no contract


def on_account(state: AccountState, event: AccountEvent, rule: DetectorRule | None, at: At) -> list[Signal]:
    """Counterparts of the other role linked to the account for the first time (`at.links`);
    signalled for those it already had a contract with."""
    view = at.links
    other = None if view is None else OTHER_ROLE.get(view.role)
    if rule is None or view is None or other is None:
        return []
    links = linked_accounts(view.with_later(), other)
    signals = []
    for account, fps in links.items():
        if state.link_kin(account, fingerprint_words(fps)):
            signals += _completed(state, account, event.event_id, event.ts, rule, other)
    return signals


def counterpart_notices(state: AccountState, event: AccountEvent, rule: DetectorRule | None,
                        at: At) -> list[SubjectEvent]:
    """A `linked_counterpart` subject event for each counterpart linked for the first time, so
    that it knows of the link as well."""
    view = at.links
    other = None if view is None else OTHER_ROLE.get(view.role)
    if rule is None or view is None or other is None:
        return []
    return notify(state, event, view, other, "ffn", "linked_counterpart")


def on_linked(state: AccountState, event: SubjectEvent, rule: DetectorRule | None, at: At = NOWHERE) -> list[Signal]:
    """A counterpart's account event linked this account to it."""
    other = OTHER_ROLE.get(event.subject_role)
    if rule is None or other is None or not state.link_kin(event.other_id, event.detail):
        return []
    return _completed(state, event.other_id, event.event_id, event.ts, rule, other)


def on_contract(state: AccountState, event: ContractEvent, rule: DetectorRule | None,
                at: At = NOWHERE) -> list[Signal]:
    """A contract step this account took with its counterpart."""
    if rule is None or event.type not in CONTRACT_STEPS:
        return []
    hired = event.actor_id == event.client_id
    other = event.freelancer_id if hired else event.client_id
    return _contract(state, other, event.contract_id, event.event_id, event.ts, rule,
                     "freelancer" if hired else "client")


def on_rating_given(state: AccountState, event: Feedback, rule: DetectorRule | None,
                    at: At = NOWHERE) -> list[Signal]:
    """A rating this account gave on a contract (direct contracts excepted)."""
    if rule is None or event.kind != "rating" or event.direct_contract:
        return []
    return _contract(state, event.to_id, event.contract_id, event.event_id, event.ts, rule,
                     OTHER_ROLE.get(event.from_role, "counterpart"))


def on_rating_received(state: AccountState, event: SubjectEvent, rule: DetectorRule | None,
                       at: At = NOWHERE) -> list[Signal]:
    """A rating this account received (re-keyed from the rater's partition)."""
    if rule is None or event.kind != "rated":
        return []
    return _contract(state, event.other_id, event.contract_id, event.event_id, event.ts, rule,
                     OTHER_ROLE.get(event.subject_role, "counterpart"))


def _contract(state: AccountState, other: str, contract: str, event_id: str, ts: int,
              rule: DetectorRule, role: str) -> list[Signal]:
    state.remember_party(other, contract)
    return _completed(state, other, event_id, ts, rule, role)


def _completed(state: AccountState, other: str, event_id: str, ts: int, rule: DetectorRule,
               role: str) -> list[Signal]:
    """Signals once per counterpart, when the account is both linked to it and had a contract
    with it."""
    detail, contract = state.kin.get(other), state.parties.get(other)
    if detail is None or contract is None or not state.once(f"ffk:{other}", ts):
        return []
    # a state written before kept the whole sentence
    link = detail if detail.startswith("shares ") else f"shares {detail} with {role} account {other}"
    reason = f"{link}, and had contract {contract} with it: possible friends-and-family feedback"
    counters = (Counter("linked_counterparts_with_contracts", 1, 0, 1),)
    return [Signal(rule.policy, f"{rule.name}.linked_contract", rule.weight, reason, event_id, ts, counters)]


DETECTORS = (
    Detector(
        "friends_family", "feedback_manipulation", rank=90, state=("parties", "kin"),
        finds={"account": on_account, "subject.linked_counterpart": on_linked, "contract": on_contract,
               "feedback.rating": on_rating_given, "subject.rated": on_rating_received},
        tells={"account": counterpart_notices},
    ),
)
