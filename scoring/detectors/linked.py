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
sold login, whatever its role.

A fingerprint seen only at signup (a payment instrument) links two accounts
only at whichever signup is read second, so only that account would signal it.
Each account linked for the first time hears of it from a `linked_duplicate`
subject event (`notices`) and signals the same finding from its own side; so
does an account first seen after the event but read before it, which could
not see this account when its own event was read. The event's own account
counts those as links too: the index gives views only to the events that
could show a new link, so it would not see them at a later login.
"""

from __future__ import annotations

from collections.abc import Iterable

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
SHOWN = 10  # linked accounts named in a reason; the counter has the full number


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


def describe(links: dict[str, list[SharedFingerprint]], role: str) -> str:
    """'shares device a1b2c3d4e5f6 and payment instrument 9f8e7d6c5b4a with freelancer accounts f1, f2'."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for fp in sorted({fp for fps in links.values() for fp in fps}, key=lambda f: (f.kind, f.fingerprint)):
        accounts = tuple(a for a, fps in links.items() if fp in fps)
        groups.setdefault(accounts, []).append(f"{WORDS.get(fp.kind, fp.kind)} {short(fp.fingerprint)}")
    clauses = [f"{joined(fps)} with {role} {_accounts(accounts)}" for accounts, fps in groups.items()]
    return "shares " + "; ".join(clauses)


def fingerprint_words(fps: list[SharedFingerprint]) -> str:
    """'device a1b2c3d4e5f6 and IP address 9f8e7d6c5b4a'."""
    return joined([f"{WORDS.get(fp.kind, fp.kind)} {short(fp.fingerprint)}" for fp in fps])


def joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _accounts(accounts: Iterable[str]) -> str:
    names = list(accounts)
    more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    noun = "account" if len(names) == 1 else "accounts"
    return f"{noun} {', '.join(names[:SHOWN])}{more}"


def detect(state: AccountState, event: AccountEvent, rule: DetectorRule | None, at: At = NOWHERE) -> list[Signal]:
    """Findings are signalled when they are new: a link to an account not named before, a
    spread of logins not signalled in the last day. Each login of a known duplicate would
    otherwise add the same evidence again. The spread comes from the account's own state; links
    from the view (`at.links`), which the index gives only when the event may reveal one."""
    view = at.links
    if rule is None:
        return []
    used = (f"c:{event.country}" if event.country else "", f"d:{event.device_fp}" if event.device_fp else "")
    recent = state.sight(tuple(k for k in used if k), event.ts, DAY_S * 1000)
    return [
        *(_shared_fingerprints(state, event, view, rule) if view is not None else ()),
        *_spread(state, event, tuple(k[2:] for k in recent if k[0] == "c"), "countries", rule),
        *_spread(state, event, tuple(k[2:] for k in recent if k[0] == "d"), "devices", rule),
    ]


def notices(state: AccountState, event: AccountEvent, rule: DetectorRule | None, at: At) -> list[SubjectEvent]:
    """A `linked_duplicate` subject event for each freelancer account linked for the first time."""
    view = at.links
    if rule is None or view is None or view.role != "freelancer":
        return []
    return notify(state, event, view, "freelancer", "dupn", "linked_duplicate", household=False)


def notify(state: AccountState, event: AccountEvent, view: LinkView, role: str, finding: str,
           kind: str, household: bool = True) -> list[SubjectEvent]:
    """A `kind` subject event for each account of `role` linked to the event's account, shown in
    the view or held by the index as first seen later, not yet told (`finding` remembers whom)."""
    links = linked_accounts(view.with_later(), role, household)
    fresh = state.new_links(finding, list(links), event.ts) if links else []
    return [
        SubjectEvent(event_id=f"{event.event_id}~{kind}~{account}", ts=event.ts, kind=kind, subject_id=account,
                     subject_role=role, contract_id="", other_id=event.account_id,
                     detail=fingerprint_words(links[account]))
        for account in fresh
    ]


def on_notice(state: AccountState, event: SubjectEvent, rule: DetectorRule | None, at: At = NOWHERE) -> list[Signal]:
    """Another freelancer account's event linked this one to it; signalled unless known already."""
    if rule is None or not state.new_links("dup", [event.other_id], event.ts):
        return []
    reason = f"shares {event.detail} with freelancer account {event.other_id}"
    return [Signal(rule.policy, f"{rule.name}.shared_fingerprint", rule.weight, reason, event.event_id, event.ts,
                   (Counter("linked_freelancer_accounts", 1, 0, 1),))]


def _shared_fingerprints(state: AccountState, event: AccountEvent, view: LinkView,
                         rule: DetectorRule) -> list[Signal]:
    if view.role != "freelancer":
        return []
    links = linked_accounts(view.with_later(), "freelancer", household=False)
    if not links or not state.new_links("dup", list(links), event.ts):
        return []
    counters = (Counter("linked_freelancer_accounts", len(links), 0, 1),)
    return [_signal(rule, event, "shared_fingerprint", describe(links, "freelancer"), counters)]


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
        params=(Param("min_countries_24h"), Param("min_devices_24h")), state=("sightings",),
        finds={"account": detect, "subject.linked_duplicate": on_notice}, tells={"account": notices},
    ),
)
