"""Friends and family: feedback farmed between accounts that know each other.

Two findings, both for `feedback_manipulation`:

- at an account event, a client and a freelancer linked by a device, a payment
  instrument, or an IP together with another fingerprint (the link view);
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

from scoring.detectors.linked import describe, linked_accounts
from scoring.links import LinkView
from scoring.records import AccountEvent, ContractEvent, Feedback
from scoring.rules import DetectorRule
from scoring.signals import Counter, Signal

HOUR_MS = 3_600_000
OTHER_ROLE = {"client": "freelancer", "freelancer": "client"}


def on_account(event: AccountEvent, view: LinkView, rule: DetectorRule | None) -> list[Signal]:
    """A client linked to freelancer accounts (or the reverse) by more than a shared IP."""
    other = OTHER_ROLE.get(view.role)
    if rule is None or other is None:
        return []
    links = linked_accounts(view, other)
    if not links:
        return []
    reason = f"{view.role} account {describe(links, other)}: possible friends-and-family feedback"
    counters = (Counter(f"linked_{other}_accounts", len(links), 0, 1),)
    return [Signal(rule.policy, f"{rule.name}.linked_counterpart", rule.weight, reason,
                   event.event_id, event.ts, counters)]


def on_contract(ff: dict[str, Any], event: ContractEvent, rule: DetectorRule | None) -> list[Signal]:
    """Follow the client's first job from invite to hire; never signals by itself."""
    if rule is None or event.actor_id != event.client_id or ff.get("st") == "over":
        return []
    if not ff:
        _first_event(ff, event)
    elif event.job_id == ff["job"]:
        _same_job(ff, event, rule)
    return []


def _first_event(ff: dict[str, Any], event: ContractEvent) -> None:
    if event.type != "invite":  # the first job started from proposals or a direct contract
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
    """The client's rating of the hired freelancer: 5 stars soon after the hire signals, once."""
    if rule is None or ff.get("st") != "hired" or event.kind != "rating" or event.direct_contract:
        return []
    if event.contract_id != ff["k"] or event.to_id != ff["fl"] or event.from_role != "client":
        return []
    ff["st"] = "over"
    to_hire_h = (ff["hire"] - ff["inv"]) / HOUR_MS
    to_rating_h = (event.ts - ff["hire"]) / HOUR_MS
    if event.stars != 5 or to_rating_h > rule.param("max_rating_hours"):
        return []
    reason = (
        f"new client's first job {ff['job']} went to the one invited freelancer {ff['fl']}: hired "
        f"{to_hire_h:.1f} hours after the invite (contract {ff['k']}), rated 5 stars "
        f"{to_rating_h:.1f} hours after the hire"
    )
    counters = (
        Counter("hours_invite_to_hire", round(to_hire_h), 0, int(rule.param("max_hire_hours"))),
        Counter("hours_hire_to_rating", round(to_rating_h), 0, int(rule.param("max_rating_hours"))),
    )
    return [Signal(rule.policy, f"{rule.name}.first_job_hire", rule.weight, reason,
                   event.event_id, event.ts, counters)]
