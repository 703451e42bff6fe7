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

Which account closes a loop, and at which event, depends on how the members' partitions are
read; the finding must not. So it is the loop's: each edge keeps its latest rating by (time,
event id), the same at both ends (a rating given is the rating received, one event); a path
carries the latest and earliest of its edges' latest ratings; the loop is closed at its latest
rating, the contracts all rated within `window_days` of it. Whoever closes it sends every member
(itself too) a `ring` notice named after that rating, at its time, with the loop written from
its least account: any closer sends the same notices, and a member signals the first copy. A
loop closed again at an earlier latest rating (another contract between two members, whose
ratings came late) is sent and signalled again, named after it, and the one signalled at the
later rating is withdrawn: what is in force is the live run's.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import NamedTuple

from scoring.detector import NOWHERE, At, Detector, DetectorRule, Found, Param
from scoring.records import Feedback, SubjectEvent
from scoring.signals import Counter, Signal, Withdrawal
from scoring.state import AccountState
from scoring.units import DAY_MS

MADE = "ringm:"  # a ring finding made: ring, notice's event id, digest of its reason -> its time
WITHDRAWN_BY = ("withdrawn: the same ring closed at an earlier rating (notice {event}), whose ratings arrived "
                "after this one was made; the ring is escalated anew, named after that rating")
SEP = "\t"  # between the accounts and contracts of a path (ids hold no control characters)
Key = tuple[int, str]  # a rating's (time, event id)


def on_event(state: AccountState, event: object, rule: DetectorRule | None, at: At = NOWHERE) -> Found:
    """The rating graph's share of an event: ratings given and received, probes, ring notices."""
    if rule is None:
        return Found()
    if isinstance(event, Feedback) and event.kind == "rating" and not event.direct_contract:
        edge = Edge(event.from_id, event.contract_id, event.to_id, "c" if event.from_role == "client" else "f")
        return _rated(state, edge, (event.ts, event.event_id), rule, (event.stars, None))
    if not isinstance(event, SubjectEvent):
        return Found()
    if event.kind == "rated":
        edge = Edge(event.subject_id, event.contract_id, event.other_id,
                    "f" if event.subject_role == "freelancer" else "c")
        return _rated(state, edge, (event.ts, event.event_id), rule, (None, event.stars))
    if event.kind == "ring_probe":
        path = Path.read(event.detail)
        return Found() if path is None else _probe(state, event.subject_id, path, event.event_id, event.ts, rule)
    if event.kind == "ring":
        return _signal(state, event, rule)
    return Found()


@dataclass(frozen=True, slots=True)
class Edge:
    me: str
    contract: str
    other: str
    role: str  # "c": `me` was the client (an edge out, to `other`); "f": the freelancer (in)


class Leg(NamedTuple):
    """A contract of the account's rated highly both ways: with `other`, its latest rating `at`
    (as `AccountState.edges` gives them)."""

    contract: str
    other: str
    at: Key


@dataclass(frozen=True, slots=True)
class Path:
    """A0 k0 A1 k1 ... An kn (`hops`), each account hiring the next on its contract; `last`: the
    latest of the contracts' latest ratings, `first`: the earliest of their times."""

    hops: tuple[str, ...]
    last: Key
    first: int

    @classmethod
    def read(cls, detail: str) -> Path | None:
        parts = detail.split(SEP)
        if len(parts) < 7 or len(parts) % 2 == 0 or not parts[-3].isdigit() or not parts[-1].isdigit():
            return None  # not a path written by `text` (or one written before it carried times)
        return cls(tuple(parts[:-3]), (int(parts[-3]), parts[-2]), int(parts[-1]))

    def text(self) -> str:
        return SEP.join((*self.hops, str(self.last[0]), self.last[1], str(self.first)))

    def then(self, me: str, leg: Leg, days: int) -> Path | None:
        """The path going on from its last account to `me`, then along `leg` (`me` hiring
        `leg.other`); None when its contracts' latest ratings would span more than `days`."""
        last, first = max(self.last, leg.at), min(self.first, leg.at[0])
        if last[0] // DAY_MS - first // DAY_MS > days:
            return None
        return Path((*self.hops, me, leg.contract), last, first)


def _start(me: str, leg: Leg) -> Path:
    return Path((me, leg.contract), leg.at, leg.at[0])


def _legs(state: AccountState, role: str, rule: DetectorRule) -> list[Leg]:
    return [Leg(*edge) for edge in state.edges(role, int(rule.param("min_stars")))]


def _rated(state: AccountState, edge: Edge, at: Key, rule: DetectorRule,
           stars: tuple[int | None, int | None]) -> Found:
    """A rating given or received (`at`: its time and event id); when it makes a contract rated
    highly both ways, the paths through it are sent on, and a loop of two is closed."""
    me, other, days = edge.me, edge.other, int(rule.param("window_days"))
    if not state.rate_edge(edge.contract, other, edge.role, stars, int(rule.param("min_stars")), at):
        return Found()
    new = next((leg for leg in _legs(state, edge.role, rule) if leg.contract == edge.contract), None)
    if new is None:  # the contract was kept with the other role: a rating that contradicts it
        return Found()
    opposite = _legs(state, "f" if edge.role == "c" else "c", rule)  # the account's edges the other way
    if edge.role == "c":  # a new edge out, to `other`: paths from each edge in continue to it
        sends = [(other, _start(leg.other, leg).then(me, new, days)) for leg in opposite if leg.other != other]
    else:  # a new edge in, from `other`: the path from it continues along each edge out
        sends = [(leg.other, _start(other, new).then(me, leg, days)) for leg in opposite if leg.other != other]
    found = Found(forwards=[_probe_event(at[1], at[0], to, path) for to, path in sends if path is not None])
    for back in [leg for leg in opposite if leg.other == other]:
        # each hired the other: a loop of two
        loop = _start(me, new).then(other, back, days) if edge.role == "c" else _start(me, back).then(other, new, days)
        if loop is not None:
            found.forwards += _notices(state, loop)
            break
    return found


def _probe(state: AccountState, me: str, path: Path, event_id: str, ts: int, rule: DetectorRule) -> Found:
    """A path A0 k0 A1 k1 ... An kn ending here: closed if this account hired A0, else passed on."""
    accounts, days = path.hops[0::2], int(rule.param("window_days"))
    out = _legs(state, "c", rule)
    for leg in [leg for leg in out if leg.other == path.hops[0]]:
        loop = path.then(me, leg, days)
        if loop is not None:
            return Found(forwards=_notices(state, loop))
    if len(accounts) + 1 >= rule.param("max_accounts"):
        return Found()
    onward = [(leg.other, path.then(me, leg, days)) for leg in out if leg.other not in accounts and leg.other != me]
    return Found(forwards=[_probe_event(event_id, ts, to, p) for to, p in onward if p is not None])


def _notices(state: AccountState, loop: Path) -> list[SubjectEvent]:
    """A `ring` notice to each member of a closed loop, itself too, once (and again at an earlier
    latest rating): named after the loop's latest rating, at its time, the loop written from its
    least account, so that whoever closes it sends the same."""
    accounts = loop.hops[0::2]
    least = accounts.index(min(accounts))
    hops = (*loop.hops[2 * least:], *loop.hops[:2 * least])
    if not state.earliest(f"ringn:{_ring_key(accounts)}", loop.last[0]):
        return []
    ts, name = loop.last
    return [SubjectEvent(f"{name}~ring~{to}", ts, "ring", to, "unknown", "", hops[(2 * i + 2) % len(hops)],
                         detail=SEP.join(hops))
            for i, to in enumerate(hops[0::2])]


def _ring_key(accounts: tuple[str, ...] | list[str]) -> str:
    return f"{zlib.crc32(SEP.join(sorted(accounts)).encode()):08x}"


def _signal(state: AccountState, event: SubjectEvent, rule: DetectorRule) -> Found:
    """Once per loop, and again at an earlier latest rating, withdrawing the one made at the later
    (`_withdrawn`): its notice's `detail` is A0 k0 A1 k1 ... An kn, each A hiring the next (An
    hiring A0)."""
    loop = event.detail.split(SEP)
    if len(loop) < 4 or len(loop) % 2 or not all(loop):
        return Found()  # not a loop of accounts and contracts: nothing to say
    accounts, contracts = loop[0::2], loop[1::2]
    ring = _ring_key(accounts)
    # made at this rating or an earlier one (its `ring:` entry can be trimmed before its `ringm:`)
    if any(ts <= event.ts for k, ts in state.findings.items() if k.startswith(f"{MADE}{ring}:")):
        return Found()
    if not state.earliest(f"ring:{ring}", event.ts):
        return Found()
    steps = ", ".join(f"{a} hired {accounts[(i + 1) % len(accounts)]} ({contracts[i]})" for i, a in enumerate(accounts))
    high, days = int(rule.param("min_stars")), int(rule.param("window_days"))
    reason = (f"rating ring of {len(accounts)} accounts hiring one another in a closed loop, every contract rated "
              f"{high} stars or more both ways within {days} days of the rating that closed it: {steps}")
    # A loop is two contracts or more; each of them is rated highly both ways.
    counters = (Counter(f"loop_contracts_rated_{high}_plus_both_ways", len(contracts), days * DAY_MS // 1000, 2),)
    name = f"{MADE}{ring}:{event.event_id}:{zlib.crc32(reason.encode()):08x}"
    gone = _withdrawn(state, event, rule, ring)
    state.once(name, event.ts)
    others = tuple(a for a in accounts if a != event.subject_id)
    return Found([Signal(rule.policy, rule.name, rule.weight, reason, event.event_id, event.ts, counters,
                         finding=name, accounts=others)], withdrawals=gone)


def _withdrawn(state: AccountState, event: SubjectEvent, rule: DetectorRule, ring: str) -> list[Withdrawal]:
    """The ring's findings made at later ratings, which this earlier one replaces: forgotten and
    withdrawn."""
    prefix = f"{MADE}{ring}:"
    later = [(k, ts) for k, ts in state.findings.items() if k.startswith(prefix) and ts > event.ts]
    for k, _ in later:
        del state.findings[k]
    why = WITHDRAWN_BY.format(event=event.event_id)
    return [Withdrawal(rule.policy, rule.name, rule.weight, k, why, event.event_id, event.ts) for k, _ in later]


def _probe_event(event_id: str, ts: int, to: str, path: Path) -> SubjectEvent:
    origin = event_id.split("~", 1)[0]  # probes passed on keep their ids short
    return SubjectEvent(f"{origin}~ring_probe~{len(path.hops) // 2}~{to}", ts, "ring_probe", to, "unknown", "",
                        path.hops[-2], detail=path.text())


DETECTORS = (
    Detector(
        "rating_ring", "feedback_manipulation", rank=100,
        params=(Param("max_accounts"), Param("min_stars"), Param("window_days")), state=("graph",),
        tells={"feedback.rating": on_event, "subject.rated": on_event, "subject.ring_probe": on_event,
               "subject.ring": on_event},
    ),
)
