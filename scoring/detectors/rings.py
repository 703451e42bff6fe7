"""Rating rings: accounts that hire one another in turn and trade high ratings, found from the
rating graph itself, whether or not they share a fingerprint.

DOMAIN.md counts reciprocal-feedback deals and reciprocal rating pairs as feedback manipulation;
a ring is one closed: A hired B, B hired C, ..., and the last hired A, every contract rated
highly both ways ("your turn"). Highly is `min_stars` or more: a ring member who gives 4 stars
on one leg still trades a rating that lifts the other's profile, and honest two-way feedback
alone (a client rating its freelancers 5 stars and rated 5 back) makes no loop of hires. Each
account keeps the contracts it rated or was rated on at least that (`graph`: contract ->
[counterpart, "c" when it was the client, stars given, stars received, day]); a contract rated
highly both ways within `window_days` is an edge from its client to its freelancer.

A loop of two (each hired the other) is in both accounts' own graphs. A longer one is spread
over the members' states, so an account that gains an edge passes a probe along it: an account
with an edge in (W hired it) and one out (it hired Y) sends Y the path W -> it -> Y; an account
that hired the path's first account closes the loop, and tells the other members; one that did
not passes the path on along its own edges out, up to `max_accounts` accounts (how far the
search goes, not a threshold of the finding). Accounts with one role on every contract (most)
have no edge both in and out, and send nothing.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from scoring.detector import NOWHERE, At, Detector, DetectorRule, Found, Param
from scoring.detectors.rates import DAY_MS
from scoring.records import Feedback, SubjectEvent
from scoring.signals import Counter, Signal
from scoring.state import AccountState

SEP = "\t"  # between the accounts and contracts of a path (ids hold no control characters)


def on_event(state: AccountState, event: object, rule: DetectorRule | None, at: At = NOWHERE) -> Found:
    """The rating graph's share of an event: ratings given and received, probes, ring notices."""
    if rule is None:
        return Found()
    if isinstance(event, Feedback) and event.kind == "rating" and not event.direct_contract:
        edge = Edge(event.from_id, event.contract_id, event.to_id, "c" if event.from_role == "client" else "f")
        return _rated(state, edge, event.event_id, event.ts, rule, (event.stars, None))
    if not isinstance(event, SubjectEvent):
        return Found()
    if event.kind == "rated":
        edge = Edge(event.subject_id, event.contract_id, event.other_id,
                    "f" if event.subject_role == "freelancer" else "c")
        return _rated(state, edge, event.event_id, event.ts, rule, (None, event.stars))
    if event.kind == "ring_probe":
        return _probe(state, event.subject_id, event.detail.split(SEP), event.event_id, event.ts, rule)
    if event.kind == "ring":
        return Found(_signal(state, event.detail.split(SEP), event.event_id, event.ts, rule))
    return Found()


@dataclass(frozen=True, slots=True)
class Edge:
    me: str
    contract: str
    other: str
    role: str  # "c": `me` was the client (an edge out, to `other`); "f": the freelancer (in)


def _edges(state: AccountState, role: str, ts: int, rule: DetectorRule) -> list[tuple[str, str]]:
    return state.edges(role, int(rule.param("min_stars")), ts // DAY_MS, int(rule.param("window_days")))


def _rated(state: AccountState, edge: Edge, event_id: str, ts: int, rule: DetectorRule,
           stars: tuple[int | None, int | None]) -> Found:
    me, other, contract = edge.me, edge.other, edge.contract
    if not state.rate_edge(contract, other, edge.role, stars, int(rule.param("min_stars")), ts // DAY_MS):
        return Found()
    if edge.role == "c":  # a new edge out, to `other`: paths from each edge in continue to it
        sends = [(other, [w, k, me, contract]) for k, w in _edges(state, "f", ts, rule) if w != other]
    else:  # a new edge in, from `other`: the path from it continues along each edge out
        sends = [(y, [other, contract, me, k]) for k, y in _edges(state, "c", ts, rule) if y != other]
    found = Found(forwards=[_probe_event(event_id, ts, to, path) for to, path in sends])
    back = [k for k, w in _edges(state, "f" if edge.role == "c" else "c", ts, rule) if w == other]
    if back:  # each hired the other: a loop of two
        loop = [me, contract, other, back[0]] if edge.role == "c" else [me, back[0], other, contract]
        found.signals += _signal(state, loop, event_id, ts, rule)
    return found


def _probe(state: AccountState, me: str, path: list[str], event_id: str, ts: int, rule: DetectorRule) -> Found:
    """A path A0 k0 A1 k1 ... An kn ending here: closed if this account hired A0, else passed on."""
    if len(path) < 4 or len(path) % 2:
        return Found()
    accounts = path[0::2]
    closing = [k for k, y in _edges(state, "c", ts, rule) if y == path[0]]
    if closing:
        loop = [*path, me, closing[0]]
        notices = [_notice(event_id, ts, a, loop) for a in accounts]
        return Found(_signal(state, loop, event_id, ts, rule), notices)
    if len(accounts) + 1 >= rule.param("max_accounts"):
        return Found()
    onward = [(k, y) for k, y in _edges(state, "c", ts, rule) if y not in accounts and y != me]
    return Found(forwards=[_probe_event(event_id, ts, y, [*path, me, k]) for k, y in onward])


def _signal(state: AccountState, loop: list[str], event_id: str, ts: int, rule: DetectorRule) -> list[Signal]:
    """Once per loop: `loop` is A0 k0 A1 k1 ... An kn, each A hiring the next (An hiring A0)."""
    if len(loop) < 4 or len(loop) % 2 or not all(loop):
        return []  # not a loop of accounts and contracts: nothing to say
    accounts, contracts = loop[0::2], loop[1::2]
    key = zlib.crc32(SEP.join(sorted(accounts)).encode())
    if not state.once(f"ring:{key:08x}", ts):
        return []
    steps = ", ".join(f"{a} hired {accounts[(i + 1) % len(accounts)]} ({contracts[i]})" for i, a in enumerate(accounts))
    high, days = int(rule.param("min_stars")), int(rule.param("window_days"))
    reason = (f"rating ring of {len(accounts)} accounts hiring one another in a closed loop: {steps}; every "
              f"contract rated {high} stars or more both ways, within {days} days of the rating that closed it")
    # A loop is two contracts or more; each of them is rated highly both ways.
    counters = (Counter(f"loop_contracts_rated_{high}_plus_both_ways", len(contracts), days * DAY_MS // 1000, 2),)
    return [Signal(rule.policy, rule.name, rule.weight, reason, event_id, ts, counters)]


def _probe_event(event_id: str, ts: int, to: str, path: list[str]) -> SubjectEvent:
    origin = event_id.split("~", 1)[0]  # probes passed on keep their ids short
    return SubjectEvent(f"{origin}~ring_probe~{len(path) // 2}~{to}", ts, "ring_probe", to, "unknown", "", path[-2],
                        detail=SEP.join(path))


def _notice(event_id: str, ts: int, to: str, loop: list[str]) -> SubjectEvent:
    origin = event_id.split("~", 1)[0]
    return SubjectEvent(f"{origin}~ring~{to}", ts, "ring", to, "unknown", "", loop[-2], detail=SEP.join(loop))


DETECTORS = (
    Detector(
        "rating_ring", "feedback_manipulation", rank=100,
        params=(Param("max_accounts"), Param("min_stars"), Param("window_days")), state=("graph",),
        tells={"feedback.rating": on_event, "subject.rated": on_event, "subject.ring_probe": on_event,
               "subject.ring": on_event},
    ),
)
