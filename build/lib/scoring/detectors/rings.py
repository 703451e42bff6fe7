"""Rating rings: accounts that hire one another in turn and trade 5 stars, found from the rating
graph itself, whether or not they share a fingerprint.

On an honest contract both sides often give 5 stars; what a ring adds is the loop: A hired B,
B hired C, ..., and the last hired A, every contract rated 5 stars both ways ("your turn").
Each account keeps the contracts it rated or was rated 5 stars on (`graph`: contract ->
[counterpart, "c" when it was the client, stars given, stars received]); a contract with 5
stars both ways is an edge from its client to its freelancer.

A loop of two (each hired the other) is in both accounts' own graphs. A longer one is spread
over the members' states, so an account that gains an edge passes a probe along it: an account
with an edge in (W hired it) and one out (it hired Y) sends Y the path W -> it -> Y; an account
that hired the path's first account closes the loop, and tells the other members; one that did
not passes the path on along its own edges out, up to `max_accounts` accounts. Accounts with one
role on every contract (most) have no edge both in and out, and send nothing.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from scoring.records import Feedback, SubjectEvent
from scoring.rules import DetectorRule
from scoring.signals import Counter, Signal
from scoring.state import AccountState

SEP = "\t"  # between the accounts and contracts of a path (ids hold no control characters)


@dataclass(slots=True)
class Found:
    signals: list[Signal] = field(default_factory=list)
    forwards: list[SubjectEvent] = field(default_factory=list)


def on_event(state: AccountState, event: object, rule: DetectorRule | None) -> Found:
    """The rating graph's share of an event: ratings given and received, probes, ring notices."""
    if rule is None:
        return Found()
    if isinstance(event, Feedback) and event.kind == "rating" and not event.direct_contract:
        edge = Edge(event.from_id, event.contract_id, event.to_id, "c" if event.from_role == "client" else "f")
        return _rated(state, edge, event.event_id, event.ts, rule, gave=event.stars)
    if not isinstance(event, SubjectEvent):
        return Found()
    if event.kind == "rated":
        edge = Edge(event.subject_id, event.contract_id, event.other_id,
                    "f" if event.subject_role == "freelancer" else "c")
        return _rated(state, edge, event.event_id, event.ts, rule, got=event.stars)
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


def _rated(state: AccountState, edge: Edge, event_id: str, ts: int, rule: DetectorRule,
           gave: int | None = None, got: int | None = None) -> Found:
    me, other, contract = edge.me, edge.other, edge.contract
    if not state.rate_edge(contract, other, edge.role, gave, got):
        return Found()
    if edge.role == "c":  # a new edge out, to `other`: paths from each edge in continue to it
        sends = [(other, [w, k, me, contract]) for k, w in state.edges("f") if w != other]
    else:  # a new edge in, from `other`: the path from it continues along each edge out
        sends = [(y, [other, contract, me, k]) for k, y in state.edges("c") if y != other]
    found = Found(forwards=[_probe_event(event_id, ts, to, path) for to, path in sends])
    back = [k for k, w in state.edges("f" if edge.role == "c" else "c") if w == other]
    if back:  # each hired the other: a loop of two
        loop = [me, contract, other, back[0]] if edge.role == "c" else [me, back[0], other, contract]
        found.signals += _signal(state, loop, event_id, ts, rule)
    return found


def _probe(state: AccountState, me: str, path: list[str], event_id: str, ts: int, rule: DetectorRule) -> Found:
    """A path A0 k0 A1 k1 ... An kn ending here: closed if this account hired A0, else passed on."""
    if len(path) < 4 or len(path) % 2:
        return Found()
    accounts = path[0::2]
    closing = [k for k, y in state.edges("c") if y == path[0]]
    if closing:
        loop = [*path, me, closing[0]]
        notices = [_notice(event_id, ts, a, loop) for a in accounts]
        return Found(_signal(state, loop, event_id, ts, rule), notices)
    if len(accounts) + 1 >= rule.param("max_accounts"):
        return Found()
    onward = [(k, y) for k, y in state.edges("c") if y not in accounts and y != me]
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
    reason = f"rating ring of {len(accounts)} accounts, 5 stars both ways on every contract: {steps}"
    counters = (Counter("ring_accounts", len(accounts), 0, int(rule.param("max_accounts"))),
                Counter("ring_contracts", len(contracts), 0, 0))
    return [Signal(rule.policy, rule.name, rule.weight, reason, event_id, ts, counters)]


def _probe_event(event_id: str, ts: int, to: str, path: list[str]) -> SubjectEvent:
    origin = event_id.split("~", 1)[0]  # probes passed on keep their ids short
    return SubjectEvent(f"{origin}~ring_probe~{len(path) // 2}~{to}", ts, "ring_probe", to, "unknown", "", path[-2],
                        detail=SEP.join(path))


def _notice(event_id: str, ts: int, to: str, loop: list[str]) -> SubjectEvent:
    origin = event_id.split("~", 1)[0]
    return SubjectEvent(f"{origin}~ring~{to}", ts, "ring", to, "unknown", "", loop[-2], detail=SEP.join(loop))
