"""Duplicate accounts, from the link index's view of an account event; shared logins, from the
account's own state.

Two freelancer accounts on one device, one payment instrument or one phone number
are most likely one person (strong link). An IP alone links households, offices
and mobile carriers' NAT; a surname with a home location links relatives (and
namesakes in a big city). Relatives under one roof share both, and each of them
may freelance: those two together are a household, not evidence of one person,
so a duplicate needs a strong fingerprint or weak ones beyond a household's.
(Friends and family, a client hiring a relative, do count a household's link.)
One account used from many countries or devices within a day is a shared or
sold login, whatever its role; but not a journey: one known device on every
login, at most `max_journey_countries` countries, each left an hour or more
before the next and never returned to within the day (home, a layover, the
destination).

A duplicate link is found at whichever of the two accounts' sightings is read
second, which depends on how their partitions are read (live, from a backlog,
after a fault); the finding must not. So it belongs to the pair, made at the
pair's later first sighting of the fingerprint that links them, by (time,
event id) (`pair_links`: the index keeps each account's first sighting with a
fingerprint, its time and event id), and whichever side finds it sends both
accounts a `linked_duplicate` subject event named after that sighting, at its
time, saying what both sides can see: the fingerprint and when each account
was first seen with it (`notices`). Each account signals the finding from the
first copy it receives (`on_notice`); a copy found again from the other side,
or on a replay, is the same event and is dropped.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

from scoring.detector import NOWHERE, At, Detector, DetectorRule, Param
from scoring.links import LinkView, SharedFingerprint
from scoring.records import AccountEvent, SubjectEvent
from scoring.signals import Counter, Signal
from scoring.state import AccountState

DAY_S = 86_400
STRONG = ("device", "payment", "phone")  # link alone (the link index gives views on them alone)
HOUSEHOLD = frozenset(("ip", "family"))  # what relatives under one roof share
WORDS = {"device": "device", "payment": "payment instrument", "ip": "IP address", "phone": "phone number",
         "family": "surname and home location"}
SHOWN = 10  # countries or devices named in a reason; the counter has the full number
# Marks in an account's sightings: a login without a device fingerprint (no journey can be told on
# one device then), and a login back in a country left earlier in the day.
UNKNOWN_DEVICE = "u:"
RETURNED = "r:"
HOP_MS = 3_600_000  # a journey's least time between one country's last sighting and the next one's first


def short(fingerprint: str) -> str:
    return fingerprint[:12]


def linked_accounts(view: LinkView, role: str, household: bool = True) -> dict[str, list[SharedFingerprint]]:
    """Accounts of `role` linked to the view's account: by a strong fingerprint, or by two weak ones;
    each with the fingerprints that link it. With `household` False (duplicates), two weak
    fingerprints count only beyond what a household shares."""
    by_account: dict[str, list[SharedFingerprint]] = {}
    for shared in view.shared:
        for other in shared.accounts:
            if other.role == role:
                by_account.setdefault(other.account_id, []).append(shared)
    return {account: fps for account, fps in sorted(by_account.items()) if _links(fps, household)}


def _links(fps: list[SharedFingerprint], household: bool) -> bool:
    kinds = {fp.kind for fp in fps}
    if kinds.intersection(STRONG):
        return True
    return len(kinds if household else kinds - HOUSEHOLD) >= 2


def joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def detect(state: AccountState, event: AccountEvent, rule: DetectorRule | None, at: At = NOWHERE) -> list[Signal]:
    """A spread of logins not signalled in the last day, from the account's own state. Links are
    signalled from the notices the event's view makes (`notices`, `on_notice`), not here."""
    if rule is None:
        return []
    used = (f"c:{event.country}" if event.country else "",
            f"d:{event.device_fp}" if event.device_fp else UNKNOWN_DEVICE,
            RETURNED if event.country and _returned(state, event.country, event.ts) else "")
    recent = state.sight(tuple(k for k in used if k), event.ts, DAY_S * 1000)
    countries = tuple(k[2:] for k in recent if k[0] == "c")
    devices = tuple(k[2:] for k in recent if k[0] == "d")
    travelled = len(devices) == 1 and not {UNKNOWN_DEVICE, RETURNED}.intersection(recent) \
        and len(countries) <= rule.param("max_journey_countries") \
        and journey([state.sightings.get(f"c:{c}", []) for c in countries], event.ts)
    return [
        *([] if travelled else _spread(state, event, countries, "countries", rule)),
        *_spread(state, event, devices, "devices", rule),
    ]


def _returned(state: AccountState, country: str, ts: int) -> bool:
    """Whether a login in `country` at `ts` comes back to it: seen there earlier in the day, and
    somewhere else since (told at the time, as each country keeps only its newest sightings)."""
    before = [t for t in state.sightings.get(f"c:{country}", []) if ts - DAY_S * 1000 < t < ts]
    return bool(before) and any(
        before[-1] < t < ts for key, times in state.sightings.items()
        if key.startswith("c:") and key != f"c:{country}" for t in times
    )


def journey(times: list[list[int]], ts: int) -> bool:
    """Whether the sightings of each country (sorted times) in the day up to `ts` follow one
    another: each country left at least HOP_MS before the next is first seen, and none seen again
    after."""
    spans = []
    for seen in times:
        day = [t for t in seen if ts - DAY_S * 1000 < t <= ts]
        if day:
            spans.append((day[0], day[-1]))
    spans.sort()
    return all(last + HOP_MS <= first for (_, last), (first, _) in itertools.pairwise(spans))


First = tuple[int, str, str]  # a first sighting: (time, event id, account)


@dataclass(frozen=True, slots=True)
class PairLink:
    """A link of the view's account to `other`, the same whichever of them computes it: made at
    `at`, the later first sighting of the pair for the fingerprint(s) that link them (`found`:
    each with the view's account's first sighting and the other's)."""

    other: str
    at: First
    found: tuple[tuple[SharedFingerprint, First, First], ...]


def pair_links(view: LinkView, role: str, household: bool = True) -> dict[str, PairLink]:
    """The accounts of `role` linked to the view's account (`later` ones too), each with the
    sighting that made the link: the fingerprints they share, in the order of the pair's later
    first sighting of each (strong ones first on a tie), taken until they link the pair."""
    shared: dict[str, list[tuple[First, SharedFingerprint, First, First]]] = {}
    for fp in view.shared + view.later:
        own = (*fp.own, view.account_id)
        for other in fp.accounts:
            if other.role == role:
                theirs = (*other.first, other.account_id)
                shared.setdefault(other.account_id, []).append((max(own, theirs), fp, own, theirs))
    links = {}
    for account, items in sorted(shared.items()):
        items.sort(key=lambda x: (x[0], x[1].kind not in STRONG, x[1].kind, x[1].fingerprint))
        for n in range(len(items)):
            if _links([fp for _, fp, _, _ in items[:n + 1]], household):
                links[account] = PairLink(account, items[n][0], tuple((fp, a, b) for _, fp, a, b in items[:n + 1]))
                break
    return links


def notices(state: AccountState, event: AccountEvent, rule: DetectorRule | None, at: At) -> list[SubjectEvent]:
    """For each freelancer account linked for the first time, a `linked_duplicate` subject event
    to each account of the pair (this one too), named after the sighting that made the link."""
    view = at.links
    if rule is None or view is None or view.role != "freelancer":
        return []
    links = pair_links(view, "freelancer", household=False)
    fresh = state.new_links("dupn", list(links), event.ts) if links else []
    return [notice for account in fresh for notice in pair_notices(links[account], view.account_id)]


def pair_notices(link: PairLink, account: str, kind: str = "linked_duplicate",
                 roles: tuple[str, str] = ("freelancer", "freelancer")) -> list[SubjectEvent]:
    """The two `kind` notices of a link of `account` (of `roles[0]`) to `link.other` (of
    `roles[1]`): both sides of the pair build them alike."""
    ts, event_id, owner = link.at
    name = event_id or f"{owner}@{ts}"  # a first sighting stored before ids were kept
    return [
        SubjectEvent(event_id=f"{name}~{kind}~{subject}", ts=ts, kind=kind,
                     subject_id=subject, subject_role=role, contract_id="", other_id=other,
                     detail=_pair_words(link, mine, other))
        for subject, role, other, mine in ((account, roles[0], link.other, True),
                                           (link.other, roles[1], account, False))
    ]


def _pair_words(link: PairLink, mine: bool, other: str) -> str:
    """'device a1b2c3d4e5f6 (this account since 2026-01-01 10:00:00, f2 since 2026-01-02 08:00:00
    UTC)', seen from one account of the pair."""
    words = []
    for fp, own, theirs in link.found:
        here, there = (own, theirs) if mine else (theirs, own)
        words.append(f"{WORDS.get(fp.kind, fp.kind)} {short(fp.fingerprint)} (this account since {_utc(here[0])}, "
                     f"{other} since {_utc(there[0])} UTC)")
    return joined(words)


def _utc(ts: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ts // 1000))


def on_notice(state: AccountState, event: SubjectEvent, rule: DetectorRule | None, at: At = NOWHERE) -> list[Signal]:
    """Another freelancer account's event linked this one to it; signalled unless known already."""
    if rule is None or not state.new_links("dup", [event.other_id], event.ts):
        return []
    reason = f"shares {event.detail} with freelancer account {event.other_id}"
    return [Signal(rule.policy, f"{rule.name}.shared_fingerprint", rule.weight, reason, event.event_id, event.ts,
                   (Counter("linked_freelancer_accounts", 1, 0, 1),), accounts=(event.other_id,))]


def _spread(state: AccountState, event: AccountEvent, values: tuple[str, ...], what: str,
            rule: DetectorRule) -> list[Signal]:
    limit = int(rule.param(f"min_{what}_24h"))
    if len(values) < limit or not state.due_again(f"{what}_24h", event.ts, DAY_S * 1000):
        return []
    shown = ", ".join(short(v) for v in values[:SHOWN])
    reason = f"used from {len(values)} {what} within 24 hours ({shown}): a shared or sold login"
    counters = (Counter(f"{what}_24h", len(values), DAY_S, limit),)
    return [_signal(rule, event, f"{what}_24h", reason, counters)]


def _signal(rule: DetectorRule, event: AccountEvent, finding: str, reason: str,
            counters: tuple[Counter, ...]) -> Signal:
    return Signal(rule.policy, f"{rule.name}.{finding}", rule.weight, reason, event.event_id, event.ts,
                  counters)


DETECTORS = (
    Detector(
        "duplicate_account", "duplicate_account", rank=80,
        params=(Param("min_countries_24h"), Param("min_devices_24h"), Param("max_journey_countries", 3)),
        state=("sightings",),
        finds={"account": detect, "subject.linked_duplicate": on_notice}, tells={"account": notices},
    ),
)
