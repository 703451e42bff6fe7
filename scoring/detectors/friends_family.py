"""Friends and family: feedback farmed between accounts that know each other.

Three findings, all for `feedback_manipulation`:

- at an account event, a client and a freelancer linked by a device, a payment
  instrument, or an IP together with another fingerprint (the link view). The
  account whose event reveals the link signals it, and the counterpart learns
  of it from a `linked_counterpart` subject event: a fingerprint an account showed only at
  signup links it only at whichever signup is read second, and both accounts
  take part in the farming;
- reciprocal 5-star ratings between linked accounts: the account gave 5 stars
  to an account it is linked to and received 5 stars from it (ratings given are
  in the account's own partition, ratings received arrive re-keyed, links come
  from its account events: whichever comes last completes the finding);
- in a client's own state, the farming pattern of a new client: its first job
  goes to one invited freelancer, hired within hours of the invite, and rated
  5 stars soon after the hire.

The client's state (`ff`) is a small JSON-able dict about its first job only:
`job`, `fl` (the invited freelancer), `inv` (invite time), `k` and `hire` (the
hiring contract and its time), and `st`: "invited", "hired", or "over" once
the first job cannot match any more or has signalled. Direct contracts are
exempt: they do not feed profile metrics.
"""

from __future__ import annotations

from typing import Any

from scoring.detectors.linked import describe, linked_accounts, notify
from scoring.links import LinkView
from scoring.records import AccountEvent, ContractEvent, Feedback, SubjectEvent
from scoring.rules import DetectorRule
from scoring.signals import Counter, Signal
from scoring.state import AccountState

HOUR_MS = 3_600_000
OTHER_ROLE = {"client": "freelancer", "freelancer": "client"}


def on_account(state: AccountState, event: AccountEvent, view: LinkView, rule: DetectorRule | None) -> list[Signal]:
    """A client linked to freelancer accounts (or the reverse) by more than a shared IP; signalled
    when a counterpart is linked for the first time."""
    other = OTHER_ROLE.get(view.role)
    if rule is None or other is None:
        return []
    links = linked_accounts(view.with_later(), other)
    fresh = state.new_links("ff", list(links), event.ts) if links else []
    if not fresh:
        return []
    swapped = [s for account in fresh for s in _reciprocal(state, account, event.event_id, event.ts, rule)]
    reason = f"{view.role} account {describe(links, other)}: possible friends-and-family feedback"
    counters = (Counter(f"linked_{other}_accounts", len(links), 0, 1),)
    return [Signal(rule.policy, f"{rule.name}.linked_counterpart", rule.weight, reason,
                   event.event_id, event.ts, counters), *swapped]


def counterpart_notices(state: AccountState, event: AccountEvent, view: LinkView,
                        rule: DetectorRule | None) -> list[SubjectEvent]:
    """A `linked_counterpart` subject event for each counterpart linked for the first time, so
    that it signals as well."""
    other = OTHER_ROLE.get(view.role)
    if rule is None or other is None:
        return []
    return notify(state, event, view, other, "ffn", "linked_counterpart")


def on_linked(state: AccountState, event: SubjectEvent, rule: DetectorRule | None) -> list[Signal]:
    """A counterpart's account event linked this account to it; signalled unless known already."""
    other = OTHER_ROLE.get(event.subject_role)
    if rule is None or other is None or not state.new_links("ff", [event.other_id], event.ts):
        return []
    reason = (f"{event.subject_role} account shares {event.detail} with {other} account {event.other_id}: "
              f"possible friends-and-family feedback")
    return [Signal(rule.policy, f"{rule.name}.linked_counterpart", rule.weight, reason, event.event_id, event.ts,
                   (Counter(f"linked_{other}_accounts", 1, 0, 1),))]


def on_rating_given(state: AccountState, event: Feedback, rule: DetectorRule | None) -> list[Signal]:
    """A 5-star rating this account gave (direct contracts excepted)."""
    if rule is None or event.kind != "rating" or event.stars != 5 or event.direct_contract:
        return []
    state.remember_rating("gave5", event.to_id, event.ts)
    return _reciprocal(state, event.to_id, event.event_id, event.ts, rule)


def on_rating_received(state: AccountState, event: SubjectEvent, rule: DetectorRule | None) -> list[Signal]:
    """A 5-star rating this account received (re-keyed from the rater's partition)."""
    if rule is None or event.kind != "rated" or event.stars != 5:
        return []
    state.remember_rating("got5", event.other_id, event.ts)
    return _reciprocal(state, event.other_id, event.event_id, event.ts, rule)


def _reciprocal(state: AccountState, other: str, event_id: str, ts: int, rule: DetectorRule) -> list[Signal]:
    """Signals once per counterpart, when 5 stars went both ways between linked accounts."""
    if not state.rated_both_ways(other) or not state.new_links("swap", [other], ts):
        return []
    reason = f"gave 5 stars to and received 5 stars from {other}, an account it is linked to"
    return [Signal(rule.policy, f"{rule.name}.reciprocal_5star", rule.weight, reason, event_id, ts,
                   (Counter("five_star_ratings_exchanged", 2, 0, 2),))]


def on_contract(ff: dict[str, Any], event: ContractEvent, rule: DetectorRule | None) -> list[Signal]:
    """Follow the client's first job from invite to hire; signals at the hire only when the
    client's rating of it arrived first (ratings and contract events are separate topics)."""
    if rule is None or event.actor_id != event.client_id or ff.get("st") == "over":
        return []
    if "st" not in ff:
        _first_event(ff, event)
    elif event.job_id == ff["job"]:
        _same_job(ff, event, rule)
        rating = ff.get("rt")
        if ff["st"] == "hired" and rating is not None and rating[0] == ff["k"] and rating[1] == ff["fl"]:
            return _rated(ff, rating[2], rating[3], rating[4], rule)
    return []


def _first_event(ff: dict[str, Any], event: ContractEvent) -> None:
    if event.type != "invite":  # the first job started from proposals or a direct contract
        ff.clear()
        ff["st"] = "over"
        return
    ff.update(st="invited", job=event.job_id, fl=event.freelancer_id, inv=event.ts)


def _same_job(ff: dict[str, Any], event: ContractEvent, rule: DetectorRule) -> None:
    if ff["st"] == "hired":  # only a dispute on the hired contract still changes the picture
        if event.type == "dispute" and event.contract_id == ff["k"]:
            ff["st"] = "over"
        return
    if event.type in ("end", "dispute"):
        return
    if event.freelancer_id != ff["fl"] or event.type == "direct_contract":
        ff["st"] = "over"  # a second candidate, or a contract that feeds no profile metrics
    elif event.type == "hire" and event.ts - ff["inv"] > rule.param("max_hire_hours") * HOUR_MS:
        ff["st"] = "over"
    elif event.type == "hire":
        ff.update(st="hired", k=event.contract_id, hire=event.ts)


def on_rating(ff: dict[str, Any], event: Feedback, rule: DetectorRule | None) -> list[Signal]:
    """The client's rating of the hired freelancer: 5 stars soon after the hire signals, once.
    A rating read before the hire is kept (the first one only) for the hire to judge."""
    if rule is None or event.kind != "rating" or event.direct_contract or event.from_role != "client":
        return []
    if ff.get("st") in (None, "invited") and "rt" not in ff:
        ff["rt"] = [event.contract_id, event.to_id, event.ts, event.stars, event.event_id]
        return []
    if ff.get("st") != "hired" or event.contract_id != ff["k"] or event.to_id != ff["fl"]:
        return []
    return _rated(ff, event.ts, event.stars, event.event_id, rule)


def _rated(ff: dict[str, Any], ts: int, stars: int | None, event_id: str, rule: DetectorRule) -> list[Signal]:
    """Judge the client's rating of its first hire, once: the job's state is then over."""
    job, freelancer, contract, invited, hired = ff["job"], ff["fl"], ff["k"], ff["inv"], ff["hire"]
    ff.clear()
    ff["st"] = "over"
    to_hire_h = (hired - invited) / HOUR_MS
    to_rating_h = (ts - hired) / HOUR_MS
    if stars != 5 or not 0 <= to_rating_h <= rule.param("max_rating_hours"):
        return []
    reason = (
        f"new client's first job {job} went to the one invited freelancer {freelancer}: hired "
        f"{to_hire_h:.1f} hours after the invite (contract {contract}), rated 5 stars "
        f"{to_rating_h:.1f} hours after the hire"
    )
    counters = (
        Counter("hours_invite_to_hire", round(to_hire_h), 0, int(rule.param("max_hire_hours"))),
        Counter("hours_hire_to_rating", round(to_rating_h), 0, int(rule.param("max_rating_hours"))),
    )
    return [Signal(rule.policy, f"{rule.name}.first_job_hire", rule.weight, reason, event_id, ts, counters)]
