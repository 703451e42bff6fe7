"""Two-way reputation: ratings and disputes an account received, as freelancer or client.

A freelancer with many 1-2 star ratings is `low_quality`; a client whose
freelancers rated them poorly over several contracts is `client_risk`, a
signal for freelancers as much as for reviewers. An account can be both: each
reads only what the account received in that role. Ratings are kept by
contract, so a re-delivered rating replaces itself instead of counting twice.

A client's average is shrunk towards a typical client's (a Bayesian average: as
if it had `prior_weight` more ratings of `prior_mean`), and judged only once
`min_raters` distinct freelancers rated it: with three ratings, one unhappy
freelancer among happy ones (5, 5, 1) would otherwise read as a 3.67 client,
and one freelancer rating many small contracts is one opinion.

Both are standing findings: signalled when the condition becomes true, and again only when it
grows materially worse (for a client, a plain average a further half star down or
`min_disputes` more disputes; for a freelancer, another `min_low` bad outcomes), not at every
rating received while it holds. A rating delivered again signals nothing.

Ratings received come from the raters' partitions, each at its own pace, so they arrive in any
order. An account's ratings and disputes are kept, in each role, with their time and event id and
read in event time at each one received: a finding is made at the rating or dispute that makes
the record poor (or materially worse) by event time, named after it, at its time, whichever
arrived last (docs/operating.md, "Rating rings and a freelancer's poor record"), and escalated on
its own (`step.APART`). A finding is remembered by its rating and what it says: one made before
earlier ratings arrived is made again with its true measures when they do.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any

from scoring.detector import NOWHERE, At, Detector, DetectorRule, Found, Param
from scoring.records import SubjectEvent
from scoring.signals import Counter, Signal, Withdrawal
from scoring.state import AccountState

HALF_STAR = 0.5  # a client's shrunk average this much lower than when signalled is signalled again
DIGEST_CHARS = 8  # a finding's name ends with ":" and the CRC-32 of its reason in hex
WITHDRAWN_BY = ("withdrawn: event {event}, a rating or dispute dated before event {made}, arrived after this "
                "finding was made at {made}; read in time order, the record there does not read as this "
                "finding says (a finding it does make is escalated with its own figures)")


def detect_low_quality(state: AccountState, event: SubjectEvent, rule: DetectorRule | None,
                       at: At = NOWHERE) -> Found:
    """A rating or dispute received other than as a client."""
    if event.subject_role == "client" or not state.record_reputation(event):
        return Found()
    return _low_quality(state, event, rule)


def detect_client_risk(state: AccountState, event: SubjectEvent, rule: DetectorRule | None,
                       at: At = NOWHERE) -> Found:
    """A rating or dispute received as a client."""
    if event.subject_role != "client" or not state.record_reputation(event):
        return Found()
    return _client_risk(state, event, rule)


Measured = tuple[tuple[int, ...], str, tuple[Counter, ...]]  # measures, reason, counters


def _standing(state: AccountState, ev: SubjectEvent, rule: DetectorRule, received: list[tuple[tuple[int, str], Any]],
              measure: Callable[[Any], Measured | None], step: tuple[int, ...], mark: str) -> Found:
    """The findings made, reading what the account received in event time (`received`, by
    (time, event id)), at the ratings and disputes from this one on (those before it read as they
    did): one received late is read in its place, so a finding is made at the same rating whatever
    order they arrive in. `measure` takes each item in turn and gives the finding's measures
    there (None: it does not hold); it is made where it begins and again where a measure grew by
    its `step`, once per deciding item and what it says (`mark`, `_new`). A finding made at a
    later item before this one arrived, which this reading does not make, is withdrawn."""
    at = (ev.ts, ev.event_id)
    last: tuple[int, ...] | None = None  # the measures the standing finding was last made at
    found = Found()
    read: set[str] = set()  # the findings this reading makes from `at` on, by name
    later: set[str] = set()  # the event ids of items strictly after this one's time
    for key, item in received:
        if key[0] > at[0]:
            later.add(key[1])
        measured = measure(item)
        if measured is None:
            last = None
            continue
        now, reason, counters = measured
        if last is not None and all(n < b + d for n, b, d in zip(now, last, step, strict=True)):
            continue
        last = now
        if key < at:
            continue
        name = f"{mark}:{key[1]}:{zlib.crc32(reason.encode()):08x}"
        read.add(name)
        if _new(state, mark, key, key != at and key[0] == at[0], name):
            found.signals.append(Signal(rule.policy, rule.name, rule.weight, reason, key[1], key[0], counters,
                                        finding=name))
    found.withdrawals = _withdrawn(state, ev, rule, mark, later, read)
    return found


def _new(state: AccountState, mark: str, key: tuple[int, str], tied: bool, name: str) -> bool:
    """Whether the finding `name` (`mark`, the rating `key` and a digest of what it says) is to be
    made: the first at its rating, or one a rating from strictly before it, received late,
    changed (the one made first is withdrawn, `_withdrawn`). Ratings of one time (`tied`) are read
    as they came; a finding an older state kept by its rating alone stays as it was."""
    made = f"{mark}:{key[1]}"
    if made in state.findings or (tied and any(k.startswith(made + ":") for k in state.findings)):
        return False
    return state.once(name, key[0])


def _withdrawn(state: AccountState, ev: SubjectEvent, rule: DetectorRule, mark: str, later: set[str],
               read: set[str]) -> list[Withdrawal]:
    """The findings made at items later in time than `ev` (received before it) that the reading
    with `ev` in its place does not make (`read`): each is forgotten and withdrawn. Those made
    at items of `ev`'s own time were read as they came and stay."""
    if not later:
        return []
    out = []
    for name in [k for k in state.findings if k.startswith(mark + ":") and k not in read]:
        made_at = name[len(mark) + 1:-DIGEST_CHARS - 1]
        if made_at in later and name[-DIGEST_CHARS - 1] == ":":
            del state.findings[name]
            out.append(Withdrawal(rule.policy, rule.name, rule.weight, name,
                                  WITHDRAWN_BY.format(event=ev.event_id, made=made_at), ev.event_id, ev.ts))
    return out


def _low_quality(state: AccountState, ev: SubjectEvent, rule: DetectorRule | None) -> Found:
    """A freelancer's poor record: `min_low` bad outcomes (1-2 stars, disputes), with `min_low_share`
    of its ratings low."""
    if rule is None:
        return Found()
    step, share = int(rule.param("min_low")), rule.param("min_low_share")
    low = rated = disputes = 0

    def measure(stars: int | None) -> Measured | None:
        nonlocal low, rated, disputes
        rated, low, disputes = rated + (stars is not None), low + (stars is not None and stars <= 2), \
            disputes + (stars is None)
        bad = low + disputes
        if not (bad >= step and rated and low / rated >= share):
            return None
        # with every count in it: a rating or dispute from before it, received late, changes
        # what it says (the finding made before is withdrawn), and no name is ever used twice
        reason = (f"received {_count(rated, 'rating')} as a freelancer, {low} of 1-2 stars, and "
                  f"{_count(disputes, 'dispute')}: {share:.0%} or more of its ratings low")
        return (bad,), reason, (Counter("low_ratings_and_disputes_received", bad, 0, step),)

    return _standing(state, ev, rule, state.received(), measure, (step,), "lq")


def _client_risk(state: AccountState, ev: SubjectEvent, rule: DetectorRule | None) -> Found:
    """A risky client: signalled when the risk begins, and again when its plain average falls a
    further half star or `min_disputes` more disputes come."""
    if rule is None:
        return Found()
    stars: list[int] = []
    raters: set[str] = set()
    disputes = 0

    def measure(item: tuple[int | None, str]) -> Measured | None:
        nonlocal disputes
        rated, rater = item
        if rated is None:
            disputes += 1
        else:
            stars.append(rated)
            raters.add(rater)
        return _client_measures(rule, stars, len(raters), disputes)

    received = [(key, (rated, rater)) for key, rated, rater in state.received_as_client()]
    step = (round(HALF_STAR * 100), int(rule.param("min_disputes")))
    return _standing(state, ev, rule, received, measure, step, "cr")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _client_measures(rule: DetectorRule, stars: list[int], raters: int, disputes: int) -> Measured | None:
    """A client's risk from what it received so far: its measures (how far the plain average fell,
    in hundredths of a star, and the disputes: the shrunk average falls with every rating as the
    prior weighs less, with no news in it), reason and counters; None when there is none."""
    prior, weight, line = rule.param("prior_mean"), rule.param("prior_weight"), rule.param("max_average")
    shrunk = (prior * weight + sum(stars)) / (weight + len(stars))
    if raters < rule.param("min_raters") or not (shrunk <= line or disputes >= rule.param("min_disputes")):
        return None
    average = sum(stars) / len(stars) if stars else prior
    reason = (f"{raters} past freelancers rated this client {average:.2f} stars on average over "
              f"{len(stars)} contracts ({shrunk:.2f} shrunk towards a typical {prior:g}, at or under "
              f"{line:g} is a risk), with {disputes} disputes")
    return (round((5 - average) * 100), disputes), reason, _client_counters(rule, raters, shrunk, disputes)


def _client_counters(rule: DetectorRule, raters: int, shrunk: float, disputes: int) -> tuple[Counter, ...]:
    """The counters that met their thresholds (an average at or under its line, or enough
    disputes, with enough distinct raters)."""
    counters = [Counter("freelancers_rating", raters, 0, int(rule.param("min_raters")))]
    if shrunk <= rule.param("max_average"):
        counters.append(Counter("shrunk_average_stars_x100_at_or_under", round(shrunk * 100), 0,
                                round(rule.param("max_average") * 100)))
    if disputes >= rule.param("min_disputes"):
        counters.append(Counter("disputes_received", disputes, 0, int(rule.param("min_disputes"))))
    return tuple(counters)


RECEIVED = ("subject.rated", "subject.disputed")
DETECTORS = (
    Detector("low_quality", "low_quality", rank=70, params=(Param("min_low"), Param("min_low_share", at_most=1.0)),
             state=("ratings", "disputes"), finds=dict.fromkeys(RECEIVED, detect_low_quality)),
    Detector("client_risk", "client_risk", rank=70,
             params=(Param("min_raters"), Param("prior_mean"), Param("prior_weight"), Param("max_average"),
                     Param("min_disputes")),
             state=("client_ratings", "client_disputes"),
             finds=dict.fromkeys(RECEIVED, detect_client_risk)),
)
