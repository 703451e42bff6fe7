"""Two-way reputation: ratings and disputes an account received, as freelancer or client.

A freelancer with many 1-2 star ratings is `low_quality`; a client whose
freelancers rated them poorly over several contracts is `client_risk`, a
signal for freelancers as much as for reviewers. Ratings are kept by contract,
so a re-delivered rating replaces itself instead of counting twice.
"""

from __future__ import annotations

from scoring.records import SubjectEvent
from scoring.rules import DetectorRule
from scoring.signals import Counter, Signal
from scoring.state import AccountState


def detect(
    state: AccountState,
    event: SubjectEvent,
    low_quality: DetectorRule | None,
    client_risk: DetectorRule | None,
) -> list[Signal]:
    if not state.record_reputation(event):
        return []
    if event.subject_role == "freelancer":
        return _low_quality(state, event, low_quality)
    return _client_risk(state, event, client_risk)


def _low_quality(state: AccountState, ev: SubjectEvent, rule: DetectorRule | None) -> list[Signal]:
    ratings = list(state.ratings.values())
    low = sum(1 for stars in ratings if stars <= 2)
    disputes = len(state.disputes)
    if rule is None or low + disputes < rule.param("min_low") or not ratings:
        return []
    if low / len(ratings) < rule.param("min_low_share"):
        return []
    return [
        _signal(
            rule, ev,
            f"received {low} ratings of 1-2 stars out of {len(ratings)} and {disputes} disputes",
            (Counter("low_ratings_received", low, 0, int(rule.param("min_low"))),
             Counter("disputes_received", disputes, 0, 0)),
        )
    ]


def _client_risk(state: AccountState, ev: SubjectEvent, rule: DetectorRule | None) -> list[Signal]:
    ratings = list(state.ratings.values())
    disputes = len(state.disputes)
    if rule is None or len(ratings) < rule.param("min_ratings"):
        return []
    average = sum(ratings) / len(ratings)
    if average > rule.param("max_average") and disputes < rule.param("min_disputes"):
        return []
    return [
        _signal(
            rule, ev,
            f"past freelancers rated this client {average:.2f} stars on average over "
            f"{len(ratings)} contracts, with {disputes} disputes",
            (Counter("ratings_received", len(ratings), 0, int(rule.param("min_ratings"))),
             Counter("average_stars_x100", round(average * 100), 0,
                     round(rule.param("max_average") * 100)),
             Counter("disputes_received", disputes, 0, int(rule.param("min_disputes")))),
        )
    ]


def _signal(rule: DetectorRule, ev: SubjectEvent, reason: str, counters: tuple[Counter, ...]) -> Signal:
    return Signal(rule.policy, rule.name, rule.weight, reason, ev.event_id, ev.ts, counters)
