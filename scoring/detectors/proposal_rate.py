"""Proposal floods: more proposals per hour or per day than a freelancer writes by hand.

Counted in 10-minute buckets kept for a day, so the state stays small; the hour
window is therefore aligned to 10 minutes.
"""

from __future__ import annotations

from scoring import windows
from scoring.detector import NOWHERE, At, Detector, DetectorRule, Param
from scoring.detectors.rates import over_limits
from scoring.records import Proposal
from scoring.signals import Signal
from scoring.state import AccountState
from scoring.units import DAY_MS

BUCKET_MS = 600_000


def detect(state: AccountState, event: Proposal, rule: DetectorRule | None, at: At = NOWHERE) -> list[Signal]:
    """Count the proposal; signal once when a window first goes over its limit."""
    windows.add(state.proposal_buckets, event.ts, BUCKET_MS, DAY_MS)
    if rule is None:
        return []
    return over_limits(rule, state.proposal_buckets, BUCKET_MS, event.event_id, event.ts, "proposals",
                       lambda count, words, limit: f"sent {count} proposals within {words} (limit {limit})")


DETECTORS = (
    Detector("proposal_rate", "spam_scam", rank=40, params=(Param("per_hour"), Param("per_day")),
             state=("proposal_buckets",), finds={"proposal": detect}),
)
