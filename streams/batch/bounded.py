"""Size caps of what the scorer writes about an account: escalations and Redis profiles.

Each signal's quotes are bounded (`scoring.signals`) and so is the evidence kept per policy, but
many policies at their limits still add up; these caps hold whatever the input. Over a cap the
oldest evidence goes first (an escalation says how many items it left out).
"""

from __future__ import annotations

from typing import Any

import orjson

from scoring.escalation import Escalation
from scoring.rules import Rules

ESCALATION_MAX_BYTES = 32 * 1024
PROFILE_MAX_BYTES = 32 * 1024  # the profile's scores and recent signals (its last escalation apart)


def escalation(esc: Escalation, rules: Rules) -> Escalation:
    """`esc`, less its oldest evidence while its JSON is over ESCALATION_MAX_BYTES."""
    while esc.evidence and len(orjson.dumps(esc.to_dict())) > ESCALATION_MAX_BYTES:
        esc = esc.without_oldest_evidence(rules)
    return esc


def profile(scores: dict[str, Any], signals: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The profile of an account, less its oldest signals while over PROFILE_MAX_BYTES."""
    kept = {policy: list(items) for policy, items in signals.items()}
    doc = {"scores": scores, "signals": kept}
    while len(orjson.dumps(doc)) > PROFILE_MAX_BYTES and any(kept.values()):
        policy = min((p for p in kept if kept[p]), key=lambda p: kept[p][0]["ts"])
        del kept[policy][0]  # each policy's items are oldest first
    return doc
