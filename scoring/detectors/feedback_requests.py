"""Feedback pressure: repeated requests for feedback on one contract within a week."""

from __future__ import annotations

from scoring.detector import NOWHERE, At, Detector, DetectorRule, Param
from scoring.records import Feedback
from scoring.signals import Counter, Signal
from scoring.state import AccountState
from scoring.units import WEEK_MS


def detect(state: AccountState, event: Feedback, rule: DetectorRule | None, at: At = NOWHERE) -> list[Signal]:
    """Count a request on its contract; signal when the week's count first goes over the limit."""
    count = state.count_request(event.contract_id, event.ts, WEEK_MS)
    if rule is None:
        return []
    limit = int(rule.param("per_contract_per_week"))
    if count != limit + 1:
        return []
    return [
        Signal(
            policy=rule.policy,
            detector=rule.name,
            weight=rule.weight,
            reason=(
                f"asked {event.to_id} for feedback {count} times on contract {event.contract_id} "
                f"within a week (limit {limit})"
            ),
            event_id=event.event_id,
            ts=event.ts,
            counters=(Counter("feedback_requests_per_contract", count, WEEK_MS // 1000, limit),),
            accounts=(event.to_id,),
        )
    ]


DETECTORS = (
    Detector("feedback_requests", "feedback_manipulation", rank=60, params=(Param("per_contract_per_week"),),
             state=("requests",), finds={"feedback.request": detect}),
)
