"""Per-account state: windowed counters, policy scores, cooldowns, recent evidence.

Kept as plain lists and dicts so it round-trips through JSON exactly (the
stream layer stores it as bytes). `applied` holds the last source position
applied per input partition, which makes updates idempotent under replay.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, TypeVar

from scoring import tags
from scoring.records import SubjectEvent
from scoring.units import DAY_MS, MINUTE_MS
from scoring.windows import Buckets

MAX_CONTACTS = 400  # distinct recipients remembered for "first message" detection
MAX_ROOMS = 3  # rooms whose last messages are kept for split-contact detection
ROOM_TAIL = 2  # messages kept per room
TAIL_CHARS = 96  # last characters kept per message: where a detail split across messages starts
MAX_EVIDENCE = 5  # signals kept per policy for the escalation's evidence
MAX_PROPOSALS = 6  # recent proposal sketches kept for repeated-cover-letter detection
MAX_CONTRACTS = 16  # contracts whose feedback requests are counted
MAX_RATINGS = 40  # most recent ratings received kept for reputation
MAX_STREAKS = 8  # recipients whose unanswered-message streaks are kept
MAX_STREAK_MESSAGES = 48  # a streak's newest messages kept, to restart it after a reply told late
MAX_FINDINGS = 32  # findings signalled and dismissals applied, newest kept
MAX_FIRSTS = 64  # cold first messages of the last two days, newest kept (over the day's limit)
MAX_AWAITING = 256  # first messages awaiting their answer (a backlog's worth), newest kept
# Clients whose jobs the account applied to, newest kept, as hashed tags with the first time
# (10 characters each): a busy freelancer's month or two of proposals, so that a client answering
# dozens of applicants finds each of them still remembering the application (fan-out).
MAX_APPLIED_TO = 256
MAX_ANSWERED_COLD = 32  # senders whose first message this account answered cold, newest kept
MAX_PARTIES = 16  # counterparts of recent contracts, newest kept (friends and family)
MAX_EDGES = 12  # contracts rated highly either way, newest kept (rating rings)
# Counterparts linked by fingerprints, newest kept (friends and family): an office or family
# device can link a client to a dozen freelancers before it hires one of them.
MAX_KIN = 32
MAX_SIGHTINGS = 32  # countries and devices an account was used from, newest kept
MAX_SIGHTING_TIMES = 3  # event times kept per country or device (a few, for events read out of order)


# Field -> its key in the stored form (short: a state is stored for every account).
KEYS = {
    "applied": "a",
    "msg_minutes": "mm",
    "msg_recent": "mr",
    "proposal_buckets": "pb",
    "contacts": "c",
    "applied_to": "ap",
    "invited": "iv",
    "wrote_to": "wt",
    "firsts": "fm",
    "first_horizon": "fz",
    "first_crossed": "fx",
    "first_decided": "fd",
    "answered_cold": "ac",
    "scores": "s",
    "escalated": "e",
    "bands": "b",
    "evidence": "v",
    "rooms": "r",
    "proposals": "p",
    "requests": "q",
    "ratings": "rt",
    "disputes": "d",
    "client_ratings": "rc",
    "client_disputes": "dc",
    "streaks": "us",  # "u" held a count alone: an older state's streaks start again
    "findings": "l",
    "published": "w",
    "shadowed": "ws",
    "parties": "pt",
    "kin": "k",
    "graph": "rg",
    "sightings": "g",
}
_STORED_KEYS = tuple(KEYS.values())
_stored_values = attrgetter(*KEYS)  # the fields' values in the order of KEYS
# Fields the core keeps (the position applied, policy scores, escalations, and the findings
# book every detector notes its findings in); every other field is one detector's (its
# `Detector.state`).
CORE = ("applied", "scores", "escalated", "bands", "evidence", "findings", "published", "shadowed")



@dataclass(slots=True)
class AccountState:
    applied: dict[str, int] = field(default_factory=dict)
    msg_minutes: Buckets = field(default_factory=list)
    msg_recent: list[int] = field(default_factory=list)  # times of the last messages within a minute
    proposal_buckets: Buckets = field(default_factory=list)  # proposals per 10 minutes, for a day
    contacts: dict[str, int] = field(default_factory=dict)  # recipient -> last minute contacted
    # clients whose jobs the account applied to, with the minute it first did (`scoring.tags`)
    applied_to: str = ""
    invited: str = ""  # tags of the freelancers this client invited to its jobs, with the first time
    wrote_to: str = ""  # tags of the accounts this one wrote to, with the first time
    # Fan-out, the sender's side: recipient -> [time, status, message id] of the account's first
    # messages of the two days before the last decided, and after it, status 0 while the
    # recipient's answer is awaited, 1 cold (answered "applied" ones are dropped);
    # `first_horizon`: the newest time of one dropped for room (a window
    # reaching back to it is no longer whole); `first_crossed`: window -> time of the message
    # its limit was last found crossed at; `first_decided`: the time up to which every first
    # message is answered and its crossings decided.
    firsts: dict[str, list[Any]] = field(default_factory=dict)
    first_horizon: int | None = None
    first_crossed: dict[str, int] = field(default_factory=dict)
    first_decided: int | None = None
    # the recipient's side: sender -> [time, id] of a first message answered cold, to correct
    # should a proposal made before it be read only after
    answered_cold: dict[str, list[Any]] = field(default_factory=dict)
    scores: dict[str, list[float]] = field(default_factory=dict)  # policy -> [score, ts]
    escalated: dict[str, int] = field(default_factory=dict)  # policy -> cooldown bucket
    # policy -> [severity band index of its last escalation, follow-ups in that cooldown bucket]
    bands: dict[str, list[int]] = field(default_factory=dict)
    evidence: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rooms: dict[str, list[str]] = field(default_factory=dict)  # room -> last texts
    proposals: list[list[str]] = field(default_factory=list)  # [event id, job id, sketch]
    requests: dict[str, list[int]] = field(default_factory=dict)  # contract -> [count, first ts]
    # Reputation, by the role the account had on the contract (an account can be both)
    # contract -> [stars, ts, event id] received as a freelancer (stars alone in older states)
    ratings: dict[str, Any] = field(default_factory=dict)
    # contract -> [ts, event id] of a dispute against us as one (ts alone in older states)
    disputes: dict[str, Any] = field(default_factory=dict)
    client_ratings: dict[str, list[Any]] = field(default_factory=dict)  # contract -> [stars, rater, ts, id] as a client
    client_disputes: dict[str, Any] = field(default_factory=dict)  # contract -> [ts, id] of a dispute against us as one
    # recipient -> [last reply known (ts, -1: none), checked (0: no, 1: sent to check, 2: confirmed),
    # since (the first message after that reply), messages, distinct days, last day, then the
    # newest messages' ts and id, oldest first]
    streaks: dict[str, list[Any]] = field(default_factory=dict)
    # findings already signalled, to signal each once ("dup:<account>", "ff:<account>",
    # "swap:<account>", "countries_24h", "letter_farm") and dismissals applied -> event time
    findings: dict[str, int] = field(default_factory=dict)
    # findings that can be withdrawn (`Signal.finding`) -> the id of the escalation published for
    # them, while their name is among the findings: a withdrawal names what was published
    published: dict[str, str] = field(default_factory=dict)
    # the names of such findings published on the shadow topic instead (a shadow rule's), while
    # among the findings: their withdrawal goes there too. A field of its own: a release before it
    # reads none of them as an escalation to withdraw (it drops the field when it stores the state,
    # and those findings are then never withdrawn)
    shadowed: list[str] = field(default_factory=list)
    # friends and family: counterparts of contracts -> a contract, and linked ones -> the shared
    # fingerprints in words ("device a1b2c3d4e5f6")
    parties: dict[str, str] = field(default_factory=dict)
    kin: dict[str, str] = field(default_factory=dict)
    # rating rings: contract rated highly -> [counterpart, "c" | "f" (this account's role),
    # stars given, stars received (0: not yet), time and event id of the latest rating]
    graph: dict[str, list[Any]] = field(default_factory=dict)
    # countries and devices the account was used from ("c:FR", "d:<hash>") -> sorted event times,
    # within two days of the newest: a shared or sold login shows as many in one day
    sightings: dict[str, list[int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dict(zip(_STORED_KEYS, _stored_values(self), strict=True))

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> AccountState:
        """Also reads states written before: clients applied to by id ("ap" a dict) become tags;
        ratings received as a client, once kept with the others and their raters apart ("rr"),
        are moved to their own book; the cold first messages counted in minute buckets ("fh",
        "cd") are dropped (fan-out counting starts over, a day at most)."""
        values = {name: raw[key] for name, key in KEYS.items() if key in raw}
        applied_to = values.get("applied_to", "")
        if isinstance(applied_to, dict):
            values["applied_to"] = "".join(tags.add("", client, minute, 1) for client, minute in applied_to.items())
        ratings, client_ratings = values.setdefault("ratings", {}), values.setdefault("client_ratings", {})
        for contract, rater in raw.get("rr", {}).items():
            if contract in ratings:
                client_ratings[contract] = [ratings.pop(contract), rater]
        return cls(**values)

    def remember_contact(self, recipient: str, minute: int) -> bool:
        """Record a message to `recipient`; True when it is the first one remembered."""
        first = recipient not in self.contacts
        _push(self.contacts, recipient, minute, MAX_CONTACTS)
        return first

    def remember_application(self, client: str, ts: int) -> None:
        self.applied_to = tags.add(self.applied_to, client, ts // MINUTE_MS, MAX_APPLIED_TO)

    def applied_before(self, client: str, ts: int) -> bool:
        """Whether the account applied to a job of `client` by the minute of `ts`."""
        return _tagged_by(self.applied_to, client, ts)

    def remember_invite(self, freelancer: str, ts: int) -> None:
        self.invited = tags.add(self.invited, freelancer, ts // MINUTE_MS, MAX_APPLIED_TO)

    def invited_before(self, freelancer: str, ts: int) -> bool:
        """Whether this client invited `freelancer` to one of its jobs by the minute of `ts`."""
        return _tagged_by(self.invited, freelancer, ts)

    def remember_written(self, recipient: str, ts: int) -> None:
        self.wrote_to = tags.add(self.wrote_to, recipient, ts // MINUTE_MS, MAX_APPLIED_TO)

    def wrote_before(self, recipient: str, ts: int) -> bool:
        """Whether this account wrote to `recipient` by the minute of `ts`."""
        return _tagged_by(self.wrote_to, recipient, ts)

    def answer_cold(self, sender: str, ts: int, message: str) -> None:
        _push(self.answered_cold, sender, [ts, message], MAX_ANSWERED_COLD)

    def room_tail(self, room: str) -> tuple[str, ...]:
        return tuple(self.rooms.get(room, ()))

    def push_room_text(self, room: str, text: str) -> None:
        tail = self.rooms.pop(room, [])
        tail.append(text[-TAIL_CHARS:])
        self.rooms[room] = tail[-ROOM_TAIL:]
        if len(self.rooms) > MAX_ROOMS:
            del self.rooms[next(iter(self.rooms))]

    def add_evidence(self, policy: str, item: dict[str, Any]) -> None:
        """Keep a signal as evidence of `policy`: the newest `MAX_EVIDENCE` by when they were
        made, in that order, whatever order they come in (a signal told late from another
        partition takes its place by time)."""
        items = self.evidence.setdefault(policy, [])
        items.append(item)
        items.sort(key=_evidence_order)
        del items[:-MAX_EVIDENCE]

    def evidence_with(self, policy: str, causes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The kept evidence of `policy`, with `causes` (the signals an escalation is made on) in
        it: a finding told late can be older than the newest kept, and an escalation made on it
        must still show it. The newest others fill the rest, `MAX_EVIDENCE` in all, by time."""
        kept = self.evidence.get(policy, [])
        if all(c in kept for c in causes):
            return list(kept)
        chosen: list[dict[str, Any]] = []
        for cause in sorted(causes, key=_evidence_order):
            if cause not in chosen:
                chosen.append(cause)
        del chosen[:-MAX_EVIDENCE]
        others = [k for k in kept if k not in chosen]
        room = MAX_EVIDENCE - len(chosen)
        return sorted([*chosen, *(others[-room:] if room else [])], key=_evidence_order)

    def remember_proposal(self, event_id: str, job_id: str, sketch: str) -> None:
        self.proposals.append([event_id, job_id, sketch])
        del self.proposals[:-MAX_PROPOSALS]

    def count_request(self, contract: str, ts: int, window_ms: int) -> int:
        """Count a feedback request on `contract`; the count restarts after `window_ms`."""
        count, first = self.requests.pop(contract, (0, ts))
        if ts - first > window_ms:
            count, first = 0, ts
        self.requests[contract] = [count + 1, first]
        if len(self.requests) > MAX_CONTRACTS:
            del self.requests[next(iter(self.requests))]
        return count + 1

    def record_reputation(self, event: SubjectEvent) -> bool:
        """Keep a rating or dispute received, in the book of the role the account had on the
        contract, with its time and event id; False when this contract's is already known. The
        latest by time are kept (they arrive in any order)."""
        book: dict[str, Any]
        value: Any
        if event.subject_role == "client":
            rated = [int(event.stars or 0), event.other_id, event.ts, event.event_id]
            book, value = ((self.client_ratings, rated) if event.kind == "rated"
                           else (self.client_disputes, [event.ts, event.event_id]))
        elif event.kind == "rated":
            book, value = self.ratings, [int(event.stars or 0), event.ts, event.event_id]
        else:
            book, value = self.disputes, [event.ts, event.event_id]
        if book.get(event.contract_id) == value:
            return False
        book[event.contract_id] = value
        if len(book) > MAX_RATINGS:
            when = client_rated_at if book is self.client_ratings else received_at
            del book[min(book, key=lambda k: when(book[k]))]
        return event.contract_id in book

    def received(self) -> list[tuple[tuple[int, str], int | None]]:
        """The ratings (stars) and disputes (None) received as a freelancer, by (time, event id)."""
        items: list[tuple[tuple[int, str], int | None]] = [(received_at(v), stars_of(v)) for v in self.ratings.values()]
        items += [(received_at(v), None) for v in self.disputes.values()]
        return sorted(items, key=lambda x: x[0])

    def received_as_client(self) -> list[tuple[tuple[int, str], int | None, str]]:
        """The ratings (stars, rater) and disputes (None, "") received as a client, by (time, event id)."""
        items: list[tuple[tuple[int, str], int | None, str]] = [
            (client_rated_at(v), int(v[0]), str(v[1])) for v in self.client_ratings.values()]
        items += [(received_at(v), None, "") for v in self.client_disputes.values()]
        return sorted(items, key=lambda x: x[0])

    def extend_streak(self, recipient: str, ts: int, event_id: str) -> tuple[int, int] | None:
        """Count a message in the unanswered streak to `recipient`: the streak's messages and
        distinct days, or None when the recipient's last known reply came after it (answered)."""
        streak = self.streaks.pop(recipient, None) or [-1, 0, ts, 0, 0, -1]
        self.streaks[recipient] = streak
        if len(self.streaks) > MAX_STREAKS:
            del self.streaks[next(iter(self.streaks))]
        if ts <= streak[0]:
            return None
        messages = _streak_messages(streak)
        if (ts, event_id) not in messages:  # a copy counts once
            streak[3] += 1
            if ts // DAY_MS != streak[5]:
                streak[4], streak[5] = streak[4] + 1, ts // DAY_MS
            bisect.insort(messages, (ts, event_id))
            streak[6:] = [x for m in messages[-MAX_STREAK_MESSAGES:] for x in m]
        return streak[3], streak[4]

    def streak_since(self, recipient: str) -> int:
        return int(self.streaks[recipient][2])

    def streak_checked(self, recipient: str) -> bool:
        streak = self.streaks.get(recipient)
        return streak is not None and streak[1] != 0

    def new_links(self, finding: str, accounts: list[str], ts: int) -> list[str]:
        """Which of `accounts` this finding has not named before; remembers them (newest kept)."""
        return [a for a in accounts if self.once(f"{finding}:{a}", ts)]

    def once(self, key: str, ts: int) -> bool:
        """True the first time `key` is seen (remembered among the newest findings)."""
        if key in self.findings:
            return False
        self.findings[key] = ts
        _trim(self.findings, MAX_FINDINGS)
        return True

    def earliest(self, key: str, ts: int) -> bool:
        """True when `key` is new, or was seen only at a later time (remembered among the newest
        findings at the earliest): a finding named after the earliest event that decides it is
        made again when that event arrives behind a later one that decided it first."""
        last = self.findings.get(key)
        if last is not None and last <= ts:
            return False
        self.findings[key] = ts
        _trim(self.findings, MAX_FINDINGS)
        return True

    def remember_party(self, account: str, contract: str) -> None:
        """A contract with `account` (the newest kept)."""
        _push(self.parties, account, contract, MAX_PARTIES)

    def link_kin(self, account: str, detail: str) -> bool:
        """`account` is linked to this one by the fingerprints `detail` names (the newest kept);
        False when it was known already. The kept links are the memory of whom the account is
        linked to: one forgotten for room is linked again when an event shows it again."""
        if account in self.kin:
            return False
        _push(self.kin, account, detail, MAX_KIN)
        return True

    def rate_edge(self, contract: str, other: str, role: str, stars: tuple[int | None, int | None],
                  high: int, at: tuple[int, str]) -> bool:
        """A rating given or received on `contract` (`stars`: (given, received), one of them
        known) at `at` (its time and event id); True when it makes the contract rated `high` or
        more both ways for the first time. A contract rated under `high` either way is forgotten.
        The entry keeps its latest rating by (time, event id), whatever order they arrive in."""
        gave, got = stars
        value = gave if gave is not None else got
        if value is None or value < high:
            self.graph.pop(contract, None)
            return False
        entry = self.graph.pop(contract, None) or [other, role, 0, 0]
        before = min(entry[2], entry[3]) >= high
        entry[2 if gave is not None else 3] = value
        entry[4:] = list(max(at, _rated_at(entry)) if len(entry) > 4 else at)
        _push(self.graph, contract, entry, MAX_EDGES)
        return not before and min(entry[2], entry[3]) >= high

    def edges(self, role: str, high: int) -> list[tuple[str, str, tuple[int, str]]]:
        """(contract, counterpart, (time, event id) of its latest rating) of the contracts rated
        `high` or more both ways on which this account had `role` ("c": it hired the
        counterpart), by that latest rating."""
        found = [(k, e[0], _rated_at(e)) for k, e in self.graph.items() if e[1] == role and min(e[2], e[3]) >= high]
        return sorted(found, key=lambda x: (x[2], x[0]))

    def due_again(self, finding: str, ts: int, after_ms: int) -> bool:
        """Whether `finding` was not signalled within `after_ms` of `ts` (either side: events of
        one account can arrive out of order); if so, it is now."""
        last = self.findings.get(finding)
        if last is not None and abs(ts - last) < after_ms:
            return False
        self.findings[finding] = ts
        _trim(self.findings, MAX_FINDINGS)
        return True

    def sight(self, keys: tuple[str, ...], ts: int, day_ms: int) -> list[str]:
        """Record that the account was used from `keys` ("c:FR", "d:<hash>") at `ts`; return every
        key it was used from in the day up to `ts` (events of one account can arrive out of order)."""
        for key in keys:
            times = self.sightings.pop(key, [])
            if not times or ts > times[-1]:
                times.append(ts)
            elif ts not in times:
                bisect.insort(times, ts)
            del times[:-MAX_SIGHTING_TIMES]
            self.sightings[key] = times
        newest = max(times[-1] for times in self.sightings.values()) if self.sightings else ts
        for key in [k for k, times in self.sightings.items() if times[-1] <= newest - 2 * day_ms]:
            del self.sightings[key]
        while len(self.sightings) > MAX_SIGHTINGS:
            del self.sightings[min(self.sightings, key=lambda k: (self.sightings[k][-1], k))]
        recent = {key for key, times in self.sightings.items() if _within(times, ts - day_ms, ts)}
        return sorted(recent.union(keys))  # its own, even when a late event's time is no longer kept

    def mark_streak_signalled(self, recipient: str) -> None:
        """The streak was sent to the recipient to check (1); `confirm_streak` makes it 2."""
        self.streaks[recipient][1] = 1

    def confirm_streak(self, recipient: str, since_ts: int) -> bool:
        """True the first time the recipient confirms this streak (the one begun at `since_ts`)."""
        streak = self.streaks.get(recipient)
        if streak is None or streak[2] != since_ts or streak[1] != 1:
            return False
        streak[1] = 2
        return True

    def end_streak(self, recipient: str, reply_ts: int) -> list[tuple[int, str]] | None:
        """The recipient replied at `reply_ts`: the messages sent until then were answered. A
        reply told late (its notice travels behind the sender's later messages) leaves the ones
        sent after it as a new streak, not yet checked, when they are all among those kept;
        returns that streak's messages (None when nothing changed, or the streak ended)."""
        streak = self.streaks.get(recipient)
        if streak is None or reply_ts <= streak[0]:
            return None
        streak[0] = reply_ts
        if reply_ts < streak[2]:  # a reply from before the streak began answers none of it
            return None
        messages = _streak_messages(streak)
        after = [m for m in messages if m[0] > reply_ts]
        every_one = streak[3] == len(messages) or (bool(messages) and messages[0][0] <= reply_ts)
        if not after or not every_one:
            del self.streaks[recipient]
            return None
        days = len({ts // DAY_MS for ts, _ in after})
        self.streaks[recipient] = [reply_ts, 0, after[0][0], len(after), days, after[-1][0] // DAY_MS,
                                   *(x for m in after for x in m)]
        return after


def _streak_messages(streak: list[Any]) -> list[tuple[int, str]]:
    """A streak's kept messages, (ts, event id) oldest first."""
    return [(int(ts), str(event_id)) for ts, event_id in zip(streak[6::2], streak[7::2], strict=True)]


def _evidence_order(item: dict[str, Any]) -> tuple[int, str, str, str]:
    return int(item.get("ts", 0)), str(item.get("event_id", "")), str(item.get("detector", "")), \
        str(item.get("reason", ""))


def received_at(value: Any) -> tuple[int, str]:
    """When a rating ([stars, time, id]) or dispute ([time, id]) was received as a freelancer:
    its time and event id. An older state kept a rating's stars or a dispute's time alone: read as
    the earliest."""
    if isinstance(value, list):
        return int(value[-2]), str(value[-1])
    return 0, ""


def client_rated_at(value: list[Any]) -> tuple[int, str]:
    """When a rating ([stars, rater, time, id]) was received as a client; one an older state kept
    as [stars, rater] reads as the earliest."""
    return (int(value[2]), str(value[3])) if len(value) >= 4 else (0, "")


def stars_of(value: Any) -> int:
    return int(value[0]) if isinstance(value, list) else int(value)


def _rated_at(entry: list[Any]) -> tuple[int, str]:
    """A rating-graph entry's latest rating; one written before, with the day of its latest
    rating alone, reads as that day's start."""
    if len(entry) >= 6:
        return int(entry[4]), str(entry[5])
    return (int(entry[4]) * DAY_MS if len(entry) > 4 else 0), ""


def _within(times: list[int], after: int, upto: int) -> bool:
    """Whether a time in sorted `times` is in (after, upto]."""
    i = bisect.bisect_right(times, upto)
    return i > 0 and times[i - 1] > after


V = TypeVar("V")


def _tagged_by(tagged: str, key: str, ts: int) -> bool:
    """Whether `key` is among the hashed tags `tagged` (`scoring.tags`), first seen by the minute of `ts`."""
    first = tags.first_time(tagged, key)
    return first is not None and first <= ts // MINUTE_MS


def _push(entries: dict[str, V], key: str, value: V, limit: int) -> None:
    """Set `key` as the newest entry; drop the oldest over `limit`."""
    entries.pop(key, None)
    entries[key] = value
    if len(entries) > limit:
        del entries[next(iter(entries))]


def _trim(entries: dict[str, int], limit: int) -> None:
    """Keep the `limit` newest entries (by their time)."""
    if len(entries) > limit:
        for key in sorted(entries, key=entries.__getitem__)[: len(entries) - limit]:
            del entries[key]
