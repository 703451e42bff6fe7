"""Planning a batch's visit to the cross-account link index, and the views it gives (pure).

The index itself (`streams/adapters/link_index.py`: Redis, or dicts for the backtest) stores, per
fingerprint, the accounts seen with it ("first seen, day last seen, role, event id": the event
that set first seen), and answers per
sighting whether it is the account's first with the fingerprint and whether others hold it.
This module says which sightings a batch makes, which of its events may show a new link
from those answers (so only they get a view), and builds the views the linked-account
detectors read: per fingerprint, the accounts seen with it within the horizon before the event,
each with its first sighting (time and event id) and the event's account's own, so that both
accounts of a link can tell at which of their sightings it was made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from scoring.detectors.linked import STRONG
from scoring.links import LinkedAccount, LinkView, SharedFingerprint
from scoring.records import AccountEvent
from scoring.units import DAY_MS

KINDS = (("device", "device_fp"), ("ip", "ip_fp"), ("payment", "payment_fp"), ("phone", "phone_fp"),
         ("family", "family_fp"))
ALONE, SHARED = 1, 2  # a first sighting of an account with a fingerprint: no other account holds it / others do
AGAIN = 3  # not a first sighting, but others hold the fingerprint and the event may show a link
WEAK = ("fp:ip:", "fp:phone:", "fp:family:")  # links only in twos: an event with two of them probes them

_NAMED = tuple((kind, attr, f"fp:{kind}:") for kind, attr in KINDS)


@dataclass(slots=True)
class Plan:
    """A batch's sightings: one per fingerprint of each event."""

    events: Sequence[AccountEvent]
    sightings: list[tuple[str, str, str, int]] = field(default_factory=list)  # (fp name, account, role, ts)
    owners: list[int] = field(default_factory=list)  # the event of each sighting (its index)
    # Whether a sighting probes: a weak fingerprint of an event with two or more, which could link
    # in twos at any such event, first sighting or not; whether others hold it is always asked.
    probes: list[bool] = field(default_factory=list)

    @classmethod
    def of(cls, events: Sequence[AccountEvent]) -> Plan:
        plan = cls(events)
        sightings, owners, probes = plan.sightings, plan.owners, plan.probes
        for i, ev in enumerate(events):
            start, weak = len(sightings), 0
            for _, attr, prefix in _NAMED:
                value = getattr(ev, attr)
                if value:
                    sightings.append((prefix + value, ev.account_id, ev.role, ev.ts))
                    owners.append(i)
                    weak += prefix in WEAK
            probes.extend(weak > 1 and sightings[n][0].startswith(WEAK) for n in range(start, len(sightings)))
        return plan

    def event_id(self, n: int) -> str:
        """The event id of sighting `n`."""
        return self.events[self.owners[n]].event_id

    def named(self, i: int) -> list[tuple[str, str, str]]:
        """(kind, hash, fp name) of each fingerprint of event `i`."""
        ev = self.events[i]
        return [(kind, value, prefix + value) for kind, attr, prefix in _NAMED if (value := getattr(ev, attr))]


# account -> (first seen, day last seen, role, event id of the first sighting; "" for entries
# written before ids were kept)
Members = dict[str, tuple[int, int, str, str]]


def revealing(plan: Plan, flags: list[int]) -> list[int]:
    """The events that may show a link: a fingerprint first seen or seen again (AGAIN) and held by
    other accounts, with it a strong fingerprint so held or a second one that may be held (the
    detectors link accounts by one strong or two weak fingerprints). A signup whose only
    fingerprint held by others is a household's IP needs no view."""
    leads, strong, may = set(), set(), [0] * len(plan.events)
    for n, flag in enumerate(flags):
        held = flag in (SHARED, AGAIN)
        if held or (flag == 0 and not plan.probes[n]):  # 0 for a probe: asked, and no one else holds it
            i = plan.owners[n]
            may[i] += 1
            if held:
                leads.add(i)
                if plan.sightings[n][0].split(":", 2)[1] in STRONG:
                    strong.add(i)
    return sorted(i for i in leads if i in strong or may[i] >= 2)


def build_views(events: Sequence[AccountEvent], plan: Plan, flags: list[int], events_shown: list[int],
                entries: dict[str, Members], horizon_ms: int) -> dict[str, LinkView]:
    """Views of `events_shown`: per fingerprint, the accounts seen with it within the horizon
    before the event, first seen at or before it (`shared`) or after it (`later`) unless first
    seen in this batch (that event's own view shows this account), each with its first sighting,
    and the event's account's own."""
    batch: dict[str, set[str]] = {}
    for (name, account, _, _), flag in zip(plan.sightings, flags, strict=True):
        if flag in (ALONE, SHARED):
            batch.setdefault(name, set()).add(account)
    known: dict[tuple[str, str, int, str], LinkedAccount] = {}

    def linked(items: list[tuple[int, str, str, str]]) -> tuple[LinkedAccount, ...]:
        return tuple(known.get((a, r, f, e)) or known.setdefault((a, r, f, e), LinkedAccount(a, r, (f, e)))
                     for f, a, r, e in sorted(items))

    views = {}
    for i in events_shown:
        ev = events[i]
        floor = ev.ts - ev.ts % DAY_MS - horizon_ms
        shared, later = [], []
        for kind, value, name in plan.named(i):
            members = entries[name]
            before, after = [], []
            for account, (first, last, role, event_id) in members.items():
                if last < floor or account == ev.account_id:
                    continue
                if first <= ev.ts:
                    before.append((first, account, role, event_id))
                elif account not in batch.get(name, ()):
                    after.append((first, account, role, event_id))
            own = _own_first(members, ev)
            if before:
                shared.append(SharedFingerprint(kind, value, linked(before), own))
            if after:
                later.append(SharedFingerprint(kind, value, linked(after), own))
        if shared or later:
            views[ev.event_id] = LinkView(ev.account_id, ev.role, tuple(shared), tuple(later))
    return views


def _own_first(members: Members, ev: AccountEvent) -> tuple[int, str]:
    """The account's first sighting with a fingerprint: as stored, or this event when the index
    holds none earlier (trimmed away, or not yet written)."""
    entry = members.get(ev.account_id)
    stored = (entry[0], entry[3]) if entry is not None else None
    return min(stored, (ev.ts, ev.event_id)) if stored is not None else (ev.ts, ev.event_id)


def parse_members(fields: dict[str, str]) -> Members:
    """A fingerprint hash's "first,last,role,event id" values ("first,last,role" before ids were kept)."""
    out = {}
    for account, value in fields.items():
        first, last, rest = value.split(",", 2)
        role, _, event_id = rest.partition(",")
        out[account] = (int(first), int(last), role, event_id)
    return out
