"""Two-way reputation: ratings and disputes an account received, as freelancer or client.

A freelancer with many 1-2 star ratings is `low_quality`; a client whose
freelancers rated them poorly over several contracts is `client_risk`, a
signal for freelancers as much as for reviewers. Ratings are kept by contract,
so a re-delivered rating replaces itself instead of counting twice.

A client's average is shrunk towards a typical client's (a Bayesian average: as
if it had `prior_weight` more ratings of `prior_mean`), and judged only once
`min_raters` distinct freelancers rated it: with three ratings, one unhappy
freelancer among happy ones (5, 5, 1) would otherwise read as a 3.67 client,
and one freelancer rating many small contracts is one opinion.
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
    raters = len(set(state.raters.values()))
    disputes = len(state.disputes)
    if rule is None or raters < rule.param("min_raters"):
        return []
    prior, weight = rule.param("prior_mean"), rule.param("prior_weight")
    shrunk = (prior * weight + sum(ratings)) / (weight + len(ratings))
    if shrunk > rule.param("max_average") and disputes < rule.param("min_disputes"):
        return []
    average = sum(ratings) / len(ratings)
    return [
        _signal(
            rule, ev,
            f"{raters} past freelancers rated this client {average:.2f} stars on average over "
            f"{len(ratings)} contracts ({shrunk:.2f} shrunk towards a typical {prior:g}), with {disputes} disputes",
            (Counter("freelancers_rating", raters, 0, int(rule.param("min_raters"))),
             Counter("shrunk_average_stars_x100", round(shrunk * 100), 0, round(rule.param("max_average") * 100)),
             Counter("disputes_received", disputes, 0, int(rule.param("min_disputes")))),
        )
    ]


def _signal(rule: DetectorRule, ev: SubjectEvent, reason: str, counters: tuple[Counter, ...]) -> Signal:
    return Signal(rule.policy, rule.name, rule.weight, reason, ev.event_id, ev.ts, counters)
