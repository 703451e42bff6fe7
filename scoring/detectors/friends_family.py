"""Friends and family: a client hiring a freelancer it knows, to farm feedback.

A finding needs both halves: a link (the two accounts share a device, a payment
instrument, a phone, or two weaker fingerprints such as a home IP and a
surname-plus-home) and a contract between them (a hire, an offer, a rating on
a contract). Either alone is innocent: relatives under one roof who never hire
each other, and a first-time client who invites, hires and rates within hours
(`seeds/003`: the client a bot blocked with a cryptic message; DOMAIN.md).

Each account keeps the counterparts it is linked to (`kin`) and those it had contracts
with (`parties`), each half with the (time, event id) it was first known at. A freelancer's
contract half comes from its own contract steps and the ratings it received, not from the ratings
it gave (those race the client's rating of it, re-keyed). The link is the
pair's: whichever account's event reveals it (`pair_links`, the later first sighting of the
pair for the fingerprints that link them) sends both accounts a `linked_counterpart` notice
named after that sighting, at its time, in words both sides can build; a second copy (from the
other side, or a replay) is dropped. Contracts come from the account's own contract events, the
ratings it gave as a client, and ratings received (re-keyed); the earliest known is kept. The finding is made
once per pair, when both halves are known, at the later of the two halves' (time, event id),
whichever arrived second, so the order the halves arrive in does not show in it; it is
escalated apart from the policy's score (`step`). Direct contracts are exempt: they do not feed
profile metrics.
"""

from __future__ import annotations

from scoring.detector import NOWHERE, At, Detector, DetectorRule
from scoring.detectors.linked import pair_links, pair_notices
from scoring.records import AccountEvent, ContractEvent, Feedback, SubjectEvent
from scoring.signals import Counter, Signal
from scoring.state import AccountState

OTHER_ROLE = {"client": "freelancer", "freelancer": "client"}
CONTRACT_STEPS = ("offer", "hire", "end", "dispute")  # an invite alone is no contract
SEP = "\x1f"  # between a kept half's time, event id and words (ids are printable: never in one)
Half = tuple[int, str, str]  # (time, event id, words) a link or a contract was first known at


def counterpart_notices(state: AccountState, event: AccountEvent, rule: DetectorRule | None,
                        at: At) -> list[SubjectEvent]:
    """For each counterpart of the other role linked for the first time, a `linked_counterpart`
    notice to each account of the pair (this one too), named after the sighting that made the
    link."""
    view = at.links
    other = None if view is None else OTHER_ROLE.get(view.role)
    if rule is None or view is None or other is None:
        return []
    links = pair_links(view, other)
    fresh = state.new_links("ffp", list(links), event.ts) if links else []
    return [notice for account in fresh
            for notice in pair_notices(links[account], view.account_id, "linked_counterpart", (view.role, other))]


def on_linked(state: AccountState, event: SubjectEvent, rule: DetectorRule | None, at: At = NOWHERE) -> list[Signal]:
    """The pair's link reached this account (from either side): kept at the notice's time."""
    other = OTHER_ROLE.get(event.subject_role)
    if rule is None or other is None or not state.link_kin(event.other_id, _keep(event.ts, event.event_id,
                                                                                 event.detail)):
        return []
    return _completed(state, event.other_id, (event.ts, event.event_id), rule, other)


def on_contract(state: AccountState, event: ContractEvent, rule: DetectorRule | None,
                at: At = NOWHERE) -> list[Signal]:
    """A contract step this account took with its counterpart."""
    if rule is None or event.type not in CONTRACT_STEPS:
        return []
    hired = event.actor_id == event.client_id
    other = event.freelancer_id if hired else event.client_id
    return _contract(state, other, (event.ts, event.event_id, event.contract_id), rule,
                     "freelancer" if hired else "client")


def on_rating_given(state: AccountState, event: Feedback, rule: DetectorRule | None,
                    at: At = NOWHERE) -> list[Signal]:
    """A rating a client gave on a contract (direct contracts excepted). A freelancer's rating of
    its client is not a half: the client's rating of it, which it learns re-keyed, may be earlier
    and come later, and the finding would then be made at whichever was read first."""
    if rule is None or event.kind != "rating" or event.direct_contract or event.from_role != "client":
        return []
    return _contract(state, event.to_id, (event.ts, event.event_id, event.contract_id), rule,
                     OTHER_ROLE.get(event.from_role, "counterpart"))


def on_rating_received(state: AccountState, event: SubjectEvent, rule: DetectorRule | None,
                       at: At = NOWHERE) -> list[Signal]:
    """A rating this account received (re-keyed from the rater's partition)."""
    if rule is None or event.kind != "rated":
        return []
    return _contract(state, event.other_id, (event.ts, event.event_id, event.contract_id), rule,
                     OTHER_ROLE.get(event.subject_role, "counterpart"))


def _contract(state: AccountState, other: str, half: Half, rule: DetectorRule, role: str) -> list[Signal]:
    """Keeps the earliest contract event known with `other`, whatever order they arrive in."""
    kept = state.parties.get(other)
    state.remember_party(other, _keep(*min(half, _half(kept, half))) if kept is not None else _keep(*half))
    return _completed(state, other, half[:2], rule, role)


def _keep(ts: int, event_id: str, words: str) -> str:
    return f"{ts}{SEP}{event_id}{SEP}{words}"


def _half(kept: str, now: tuple[int, str] | Half) -> Half:
    """A kept half; one kept by an older state (words alone) reads as known at `now`."""
    parts = kept.split(SEP, 2)
    return (int(parts[0]), parts[1], parts[2]) if len(parts) == 3 else (now[0], now[1], kept)


def _completed(state: AccountState, other: str, now: tuple[int, str], rule: DetectorRule,
               role: str) -> list[Signal]:
    """Signals once per counterpart, when the account is both linked to it and had a contract
    with it, at the later half's time and event."""
    link, party = state.kin.get(other), state.parties.get(other)
    if link is None or party is None:
        return []
    (lts, lid, words), (cts, cid, contract) = _half(link, now), _half(party, now)
    ts, event_id = max((lts, lid), (cts, cid))
    if not state.once(f"ffk:{other}", ts):
        return []
    # a state written before kept the whole sentence
    linked = words if words.startswith("shares ") else f"shares {words} with {role} account {other}"
    reason = f"possible friends-and-family feedback: had contract {contract} with an account it is linked to; {linked}"
    counters = (Counter("linked_counterparts_with_contracts", 1, 0, 1),)
    return [Signal(rule.policy, f"{rule.name}.linked_contract", rule.weight, reason, event_id, ts, counters,
                   accounts=(other,))]


DETECTORS = (
    Detector(
        "friends_family", "feedback_manipulation", rank=90, state=("parties", "kin"),
        finds={"subject.linked_counterpart": on_linked, "contract": on_contract,
               "feedback.rating": on_rating_given, "subject.rated": on_rating_received},
        tells={"account": counterpart_notices},
    ),
)
