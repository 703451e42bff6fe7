"""Duplicate accounts and shared logins: link views built by MemoryLinkIndex from event sequences."""

import asyncio
import dataclasses
import itertools

import pytest

from scoring.detector import At
from scoring.detectors import linked
from scoring.links import LinkedAccount, LinkView, SharedFingerprint
from scoring.records import AccountEvent
from scoring.rules import DetectorRule
from scoring.state import AccountState
from streams.adapters.link_index_memory import MemoryLinkIndex

RULE = DetectorRule("duplicate_account", "duplicate_account", 1.0,
                    {"min_countries_24h": 3, "min_devices_24h": 4, "max_journey_countries": 3})
T0 = 1_767_225_600_000
HOUR = 3_600_000
DEV_A = "a1b2c3d4e5f6a7b8c9d0"
PAY_A = "9f8e7d6c5b4a39281706"


def login(i, account, role="freelancer", country="US", device="", ip="", payment="", phone="",
          ts=None, kind="login"):
    return AccountEvent(f"{account}-{i}", T0 + i * 60_000 if ts is None else ts, kind, account, role,
                        country, device, ip, payment, phone)


def people(accounts, role="freelancer", start=0, **shared):
    """One signup per account: its own device and payment unless `shared` says otherwise."""
    return [login(i, a, role, device=shared.get("device", f"dev-{a}"), ip=shared.get("ip", f"ip-{a}"),
                  payment=shared.get("payment", f"pay-{a}"), phone=shared.get("phone", ""), kind="signup")
            for i, a in enumerate(accounts, start)]


def observe(events, batch=1000, index=None):
    index = index or MemoryLinkIndex()

    async def run():
        views = {}
        for start in range(0, len(events), batch):
            views |= await index.observe(events[start:start + batch])
        return views

    return asyncio.run(run())


def view_of(views, event):
    """The event's view; an empty one for an event the index gave none (it could reveal no link)."""
    return views.get(event.event_id) or LinkView(event.account_id, event.role)


def run(events, batch=1000):
    """(account, signal) of the events, then of the `linked_duplicate` notices they send, as the
    subject-events topic brings them back."""
    views = observe(events, batch)
    states: dict[str, AccountState] = {}
    found, sent = [], []
    for ev in events:
        state = states.setdefault(ev.account_id, AccountState())
        found += [(ev.account_id, s) for s in linked.detect(state, ev, RULE, At(view=views.get(ev.event_id)))]
        if ev.event_id in views:
            sent += linked.notices(state, ev, RULE, At(view=views[ev.event_id]))
    for n in sent:
        found += [(n.subject_id, s) for s in linked.on_notice(states.setdefault(n.subject_id, AccountState()), n, RULE)]
    return found


FREELANCERS = [f"f{i:05d}" for i in range(12)]


def travel(countries, hours_apart, devices=("d1",)):
    return [login(i, "f1", country=c, device=devices[i % len(devices)], ts=T0 + i * hours_apart * HOUR)
            for i, c in enumerate(countries)]


def trip(stops, devices=None):
    """Logins of f1 at (country, hour) stops, on device d1 unless `devices` says each one's."""
    return [login(i, "f1", country=c, device="d1" if devices is None else devices[i], ts=T0 + int(h * HOUR))
            for i, (c, h) in enumerate(stops)]


def devices(n, hours_apart=1):
    return [login(i, "c1", "client", device=f"d{i}", ts=T0 + i * hours_apart * HOUR) for i in range(n)]

SCENARIOS = {
    "two freelancers on one device": (
        people(FREELANCERS[:2], device=DEV_A), {(a, "shared_fingerprint") for a in FREELANCERS[:2]}),
    "two freelancers, one payment instrument": (
        people(FREELANCERS[:2], payment=PAY_A), {(a, "shared_fingerprint") for a in FREELANCERS[:2]}),
    "three on one device": (
        people(FREELANCERS[:3], device=DEV_A), {(a, "shared_fingerprint") for a in FREELANCERS[:3]}),
    "household of 3 freelancers sharing an IP": (people(FREELANCERS[:3], ip="home-ip"), set()),
    "office of 10 accounts on one IP": (
        people(FREELANCERS[:5], ip="office") + people([f"c{i}" for i in range(5)], "client", 5, ip="office"),
        set()),
    "agency members: own devices and payments, one IP": (
        [login(i, a, device=f"dev-{a}", ip="agency", payment=f"pay-{a}") for i, a in
         enumerate(FREELANCERS[:6] * 3)], set()),
    "IP and phone together": (people(FREELANCERS[:2], ip="home", phone="phone-1"),
                              {(a, "shared_fingerprint") for a in FREELANCERS[:2]}),
    "one phone number": (people(FREELANCERS[:2], phone="phone-1"),
                         {(a, "shared_fingerprint") for a in FREELANCERS[:2]}),
    "household: relatives sharing a home IP and a surname-plus-home": (
        [dataclasses.replace(e, family_fp="fam-home") for e in people(FREELANCERS[:3], ip="home-ip")], set()),
    "client and freelancer on one device (friends and family, not a duplicate)": (
        [login(0, "c1", "client", device=DEV_A), login(1, "f1", device=DEV_A)], set()),
    "two clients on one device": (people(["c1", "c2"], "client", device=DEV_A), set()),
    "three countries in a day, two devices": (travel(["US", "FR", "VN"], 6, ("d1", "d2")), {("f1", "countries_24h")}),
    "three countries in a day, no device known": (travel(["US", "FR", "VN"], 6, ("",)), {("f1", "countries_24h")}),
    "a journey: three countries in a day on one device, none returned to": (
        travel(["US", "US", "FR", "VN", "VN"], 4), set()),
    "back and forth on one device: a country returned to": (travel(["US", "FR", "US", "VN"], 4),
                                                            {("f1", "countries_24h")}),
    "four countries in a day on one device": (travel(["US", "FR", "AE", "VN"], 5), {("f1", "countries_24h")}),
    "a country returned to, then used more than its kept sightings": (
        trip([("US", 0), ("PK", 2), ("US", 4), ("US", 5), ("US", 6), ("BD", 8)]), {("f1", "countries_24h")}),
    "one device, then logins without one": (
        trip([("US", 0), ("FR", 2), ("VN", 4)], ("d1", "", "")), {("f1", "countries_24h")}),
    "one device, countries minutes apart": (
        trip([("US", 0), ("FR", 1 / 6), ("VN", 2 / 6)]), {("f1", "countries_24h")}),
    "three countries over three days": (travel(["US", "FR", "VN"], 25), set()),
    "two countries in a day": (travel(["US", "FR", "US"], 1), set()),
    "four devices in a day": (devices(4), {("c1", "devices_24h")}),
    "four devices over four days": (devices(4, 25), set()),
    "three devices in a day": (devices(3), set()),
    "one login a day, many days": ([login(i, "f1", device="d1", ts=T0 + i * 24 * HOUR) for i in range(10)],
                                   set()),
}


@pytest.mark.parametrize("batch", [1, 3, 1000])
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenarios(name, batch):
    events, expected = SCENARIOS[name]
    found = {(account, sig.detector.split(".")[1]) for account, sig in run(events, batch)}
    assert found == expected


def test_a_link_is_signalled_per_pair_at_the_later_first_sighting_in_both_accounts_words():
    """Each pair's finding names the fingerprint that linked it (device before payment instrument
    on a tie) and when each account was first seen with it, at the later one's event and time."""
    events = [login(0, "f00012", device=DEV_A, payment=PAY_A), login(1, "f00044", device=DEV_A, payment=PAY_A),
              login(2, "f00007", device=DEV_A, payment=PAY_A)]
    found = {(account, sig.event_id): sig for account, sig in run(events)}
    assert sorted(found) == sorted([
        ("f00044", "f00044-1~linked_duplicate~f00044"), ("f00012", "f00044-1~linked_duplicate~f00012"),
        ("f00007", "f00007-2~linked_duplicate~f00007"), ("f00012", "f00007-2~linked_duplicate~f00012"),
        ("f00044", "f00007-2~linked_duplicate~f00044")])  # f00007's second link adds no signal: known
    sig = found["f00012", "f00044-1~linked_duplicate~f00012"]
    assert sig.reason == ("shares device a1b2c3d4e5f6 (this account since 2026-01-01 00:00:00, f00044 since "
                          "2026-01-01 00:01:00 UTC) with freelancer account f00044")
    assert sig.ts == T0 + 60_000 and sig.policy == "duplicate_account"
    assert sig.counters[0].name == "linked_freelancer_accounts" and sig.counters[0].value == 1
    assert sig.accounts == ("f00044",) and sig.to_dict()["accounts"] == ["f00044"]


def test_countries_counter_and_reason():
    events = [login(i, "f1", country=c, ts=T0 + i * HOUR) for i, c in enumerate(["US", "FR", "VN", "BR"])]
    signals = [s for _, s in run(events)]
    assert [s.counters[0].value for s in signals] == [3]  # the fourth country adds no new finding
    assert signals[0].counters[0].window_s == 86_400 and "FR, US, VN" in signals[0].reason


def test_a_spread_is_signalled_again_a_day_later_and_a_known_link_is_not():
    day = 24 * HOUR
    events = [login(i, "f1", country=c, ts=T0 + i * HOUR) for i, c in enumerate(["US", "FR", "VN"])]
    later = T0 + day + 4 * HOUR
    events += [login(10 + i, "f1", country=c, ts=later + i * HOUR) for i, c in enumerate(["DE", "JP", "MX"])]
    assert [s.detector for _, s in run(events)] == ["duplicate_account.countries_24h"] * 2

    events = [login(0, "f1", device="d1"), login(1, "f2", device="d1"), login(2, "f2", device="d1", ts=T0 + HOUR),
              login(3, "f3", device="d1", ts=T0 + 2 * HOUR)]
    found = [(account, s.event_id.split("~")[0]) for account, s in run(events)]
    assert sorted(found) == [("f1", "f2-1"), ("f1", "f3-3"), ("f2", "f2-1"), ("f2", "f3-3"), ("f3", "f3-3"),
                             ("f3", "f3-3")]  # f2's second login links no one new


def test_view_sees_earlier_events_of_the_batch_only():
    events = [login(0, "a", device="d"), login(1, "b", device="d"), login(2, "c", device="d")]
    views = observe(events)
    assert "a-0" not in views  # alone with its device: nothing to show
    assert views["b-1"].shared == (
        SharedFingerprint("device", "d", (LinkedAccount("a", "freelancer", (T0, "a-0")),), (T0 + 60_000, "b-1")),)
    assert [a.account_id for a in views["c-2"].shared[0].accounts] == ["a", "b"]


def test_replay_yields_the_same_views_and_changes_nothing():
    """Views are cut at each event's time; only `later` (who else the index holds by now, for
    notices) grows with what has been read."""
    index = MemoryLinkIndex()
    events = SCENARIOS["office of 10 accounts on one IP"][0] + SCENARIOS["three countries in a day, two devices"][0]

    def cut(views):
        return {k: dataclasses.replace(v, later=()) for k, v in views.items() if v.shared}

    first = observe(events, 4, index)
    stored = repr(index.fps)
    assert cut(observe(events, 4, index)) == cut(first)
    assert repr(index.fps) == stored


def test_an_account_read_first_but_first_seen_later_is_told_not_shown():
    """Partitions are read at their own pace: f2's signup (later in event time) was read in an
    earlier batch than f1's. f1's view, cut at its own time, cannot show f2, and f2's view did
    not show f1: f1 tells both, naming the link after f2's signup, at its time, as f2 would have."""
    index = MemoryLinkIndex()
    later_signup = login(1, "f2", payment="pay-x", kind="signup")
    earlier_signup = login(0, "f1", payment="pay-x", kind="signup")
    assert observe([later_signup], 10, index) == {}  # alone with its payment instrument
    view = observe([earlier_signup], 10, index)["f1-0"]
    assert view.shared == ()
    assert [(s.kind, [a.account_id for a in s.accounts]) for s in view.later] == [("payment", ["f2"])]
    notices = linked.notices(AccountState(), earlier_signup, RULE, At(view=view))
    assert [(n.event_id, n.ts, n.subject_id, n.other_id) for n in notices] == [
        ("f2-1~linked_duplicate~f1", later_signup.ts, "f1", "f2"),
        ("f2-1~linked_duplicate~f2", later_signup.ts, "f2", "f1")]


SIGHTINGS = [login(0, "f1", device="d1", payment="p1", kind="signup"),
             login(1, "f2", device="d2", payment="p2", kind="signup"),
             login(2, "f1", device="d3"), login(3, "f2", device="d3", ts=T0 + HOUR),
             login(4, "f3", payment="p1", ts=T0 + 2 * HOUR, kind="signup"),
             login(5, "f1", device="d3", ts=T0 + 3 * HOUR)]


@pytest.mark.parametrize("order", ["time", *("".join(p) for p in itertools.permutations("123"))])
@pytest.mark.parametrize("batch", [1, 2, 1000])
def test_the_same_sightings_give_the_same_findings_in_any_order_of_the_accounts(order, batch):
    """Each account's events in time order (its partition's), the accounts read in any
    interleaving (`order`: which account's partition is read first): the same notices, named
    after the later first sighting of each pair, at its time, in the same words, and one finding
    per account and pair."""
    events = SIGHTINGS if order == "time" else sorted(SIGHTINGS, key=lambda e: (order.index(e.account_id[1]), e.ts))
    views = observe(events, batch)
    states: dict[str, AccountState] = {}
    notices = {n for ev in events if ev.event_id in views
               for n in linked.notices(states.setdefault(ev.account_id, AccountState()), ev, RULE,
                                       At(view=views[ev.event_id]))}
    assert sorted((n.event_id, n.ts, n.other_id, n.detail) for n in notices) == [
        ("f2-3~linked_duplicate~f1", T0 + HOUR, "f2",
         "device d3 (this account since 2026-01-01 00:02:00, f2 since 2026-01-01 01:00:00 UTC)"),
        ("f2-3~linked_duplicate~f2", T0 + HOUR, "f1",
         "device d3 (this account since 2026-01-01 01:00:00, f1 since 2026-01-01 00:02:00 UTC)"),
        ("f3-4~linked_duplicate~f1", T0 + 2 * HOUR, "f3",
         "payment instrument p1 (this account since 2026-01-01 00:00:00, f3 since 2026-01-01 02:00:00 UTC)"),
        ("f3-4~linked_duplicate~f3", T0 + 2 * HOUR, "f1",
         "payment instrument p1 (this account since 2026-01-01 02:00:00, f1 since 2026-01-01 00:00:00 UTC)")]
    signals = [(n.subject_id, s.event_id) for n in sorted(notices, key=lambda n: n.event_id)
               for s in linked.on_notice(states.setdefault(n.subject_id, AccountState()), n, RULE)]
    assert [account for account, _ in signals] == ["f1", "f2", "f1", "f3"]
    again = [s for n in notices for s in linked.on_notice(states[n.subject_id], n, RULE)]
    assert again == []  # the other side's copy, or a replay's


def test_a_later_account_seen_again_in_the_batch_is_still_later():
    """f2's signup was read in an earlier batch; f1's earlier signup comes in a batch with f2's
    next login, which is not a first sighting and gets no view: f1's view shows f2 as later."""
    index = MemoryLinkIndex()
    observe([login(1, "f2", device="d", kind="signup")], index=index)
    views = observe([login(0, "f1", device="d", kind="signup"), login(2, "f2", device="d")], index=index)
    assert list(views) == ["f1-0"]
    assert [a.account_id for a in views["f1-0"].later[0].accounts] == ["f2"]


def test_accounts_of_the_same_batch_are_not_later_they_see_the_earlier_ones():
    views = observe([login(0, "f1", payment="pay-x", kind="signup"), login(1, "f2", payment="pay-x", kind="signup")])
    assert "f1-0" not in views and [a.account_id for a in views["f2-1"].shared[0].accounts] == ["f1"]


def test_fingerprint_keeps_the_most_recently_seen_accounts():
    index = MemoryLinkIndex(max_per_fingerprint=3)
    views = observe([login(i, f"a{i}", ip="carrier-nat") for i in range(6)], 1, index)
    assert views == {}  # an IP alone links no one: no view
    assert sorted(index.fps["fp:ip:carrier-nat"]) == ["a3", "a4", "a5"]
    views = observe([login(i, f"a{i}", device="shared-phone") for i in range(6)], 1, index)
    assert [a.account_id for a in views["a5-5"].shared[0].accounts] == ["a3", "a4"]


def test_link_forgotten_after_ttl_in_event_time():
    """Last sightings are kept to the day: an account links while seen on a day within the TTL
    before the event's day."""
    index = MemoryLinkIndex(ttl_s=86_400)
    events = [login(0, "a", device="d", ts=T0 + 23 * HOUR), login(1, "b", device="d", ts=T0 + 47 * HOUR)]
    assert [a.account_id for a in observe(events, 1, index)["b-1"].shared[0].accounts] == ["a"]
    assert observe([login(2, "c", device="d", ts=T0 + 49 * HOUR)], 1, index)["c-2"].shared[0].accounts == (
        LinkedAccount("b", "freelancer", (T0 + 47 * HOUR, "b-1")),)


def test_no_rule_no_signal():
    view = LinkView("f1", "freelancer", (SharedFingerprint("device", "d", (LinkedAccount("f2", "freelancer"),)),))
    state = AccountState()
    found = [linked.detect(state, login(i, "f1", country=c), None, At(view=view)) for i, c in enumerate("ABCD")]
    assert found == [[]] * 4


def test_observe_now_for_the_synchronous_backtest():
    events = SCENARIOS["three on one device"][0]
    assert MemoryLinkIndex().observe_now(events) == observe(events)


def with_family(event, family="fam-smith-leeds"):
    return dataclasses.replace(event, family_fp=family)


def test_a_household_is_no_duplicate_but_a_device_it_shares_is():
    strangers = [with_family(login(0, "f1", ip="ip-a")), with_family(login(1, "f2", ip="ip-b"))]
    assert run(strangers) == []  # one common surname in one city
    relatives = [with_family(login(0, "f1", ip="ip-home")), with_family(login(1, "f2", ip="ip-home"))]
    assert run(relatives) == []  # relatives under one roof
    one_laptop = [with_family(login(0, "f1", ip="ip-home", device="d1")),
                  with_family(login(1, "f2", ip="ip-home", device="d1"))]
    found = run(one_laptop)
    assert [account for account, _ in found] == ["f2", "f1"]
    # the reason names what made the link: the device (the household's two alone do not)
    assert "device d1" in found[0][1].reason and "surname" not in found[0][1].reason


def test_the_first_signup_of_a_ring_hears_of_the_links_its_payment_instrument_makes_later():
    """Only signups carry the payment fingerprint: the ring's first account sees no one at its
    own; each later signup links it and sends it and itself a `linked_duplicate` notice, read once."""
    events = [*people(["f1", "f2", "f3"], payment="pay-ring"), login(9, "f1", device="dev-f1")]
    views = observe(events)
    states = {a: AccountState() for a in ("f1", "f2", "f3")}
    notices = [n for ev in events if ev.event_id in views
               for n in linked.notices(states[ev.account_id], ev, RULE, At(view=views[ev.event_id]))]
    assert [(n.subject_id, n.other_id, n.kind) for n in notices] == [
        ("f2", "f1", "linked_duplicate"), ("f1", "f2", "linked_duplicate"), ("f3", "f1", "linked_duplicate"),
        ("f1", "f3", "linked_duplicate"), ("f3", "f2", "linked_duplicate"), ("f2", "f3", "linked_duplicate")]
    assert events[0].event_id not in views  # alone at signup
    first = [s for n in notices if n.subject_id == "f1" for s in linked.on_notice(states["f1"], n, RULE)]
    assert [s.reason.split(" (")[0] + " with" + s.reason.split(") with")[1] for s in first] == [
        "shares payment instrument pay-ring with freelancer account f2",
        "shares payment instrument pay-ring with freelancer account f3"]
    assert all(s.detector == "duplicate_account.shared_fingerprint" for s in first)
    assert linked.on_notice(states["f1"], notices[1], RULE) == []  # re-delivered


def test_no_duplicate_notice_between_a_client_and_a_freelancer_or_over_an_ip():
    events = [login(0, "c1", "client", payment="p1"), login(1, "f1", payment="p1"),
              login(2, "f2", ip="home"), login(3, "f3", ip="home")]
    views = observe(events)
    assert [n for ev in events if ev.event_id in views
            for n in linked.notices(AccountState(), ev, RULE, At(view=views[ev.event_id]))] == []


def test_a_known_sighting_is_written_again_only_after_the_refresh_period():
    index = MemoryLinkIndex()
    day = 24 * HOUR
    observe([login(0, "f1", device="d1", ts=T0)], index=index)
    observe([login(1, "f1", device="d1", ts=T0 + 3 * day)], index=index)
    assert index.fps["fp:device:d1"]["f1"] == [T0, T0, "freelancer", "f1-0"]  # the day last seen lags
    observe([login(2, "f1", device="d1", ts=T0 + 8 * day)], index=index)
    assert index.fps["fp:device:d1"]["f1"] == [T0, T0, "freelancer", "f1-0"]  # written while the batch is scored
    asyncio.run(index.flush())
    assert index.fps["fp:device:d1"]["f1"] == [T0, T0 + 8 * day, "freelancer", "f1-0"]
    # An earlier sighting read late is written (it may be the first), and so is a new role.
    observe([login(3, "f1", device="d1", ts=T0 - HOUR), login(4, "f1", "client", device="d1", ts=T0 + 8 * day)],
            index=index)
    asyncio.run(index.flush())
    assert index.fps["fp:device:d1"]["f1"] == [T0 - HOUR, T0 + 8 * day, "freelancer", "f1-3"]  # roles merge by max


def test_a_skipped_sighting_still_shows_in_a_view_of_its_event():
    """f2's device is not written again (it was a minute earlier), but the event's new payment
    instrument is shared with f1: the event gets its view."""
    index = MemoryLinkIndex()
    observe([login(0, "f1", device="d1", payment="p1"), login(1, "f2", device="d2")], index=index)
    view = observe([login(2, "f2", device="d2", payment="p1")], index=index)["f2-2"]
    assert [(s.kind, [a.account_id for a in s.accounts]) for s in view.shared] == [("payment", ["f1"])]


def test_an_event_gets_a_view_only_when_it_could_show_a_link():
    """One strong fingerprint or two weak ones link accounts: an IP alone, as in a household or
    an office, makes no view; an IP and a phone, or a device, do."""
    assert list(observe(people(["f1", "f2"], phone="ph-1"))) == ["f2-1"]  # a phone is strong
    assert observe(people(["f1", "f2"], ip="home", phone="")) == {}
    assert list(observe(people(["f1", "f2"], ip="home", phone="ph-1"))) == ["f2-1"]
    assert list(observe(people(["f1", "f2"], device="dev-1"))) == ["f2-1"]
    # f2's device is not new, but may be shared: with its new IP shared, f2's login gets a view.
    index = MemoryLinkIndex()
    observe([login(0, "f1", device="d1", ip="i1"), login(1, "f2", device="d2", ip="i2")], index=index)
    assert list(observe([login(2, "f2", device="d2", ip="i1")], index=index)) == ["f2-2"]


def test_two_weak_fingerprints_first_seen_apart_link_at_an_event_carrying_both():
    """f2 shows the IP at one login and the surname-plus-home at another (one weak fingerprint
    each: no view); a login with both asks whether others hold them, first sighting or not, and
    its view links f1 by both. A household's two are no duplicate; a client hiring from it may be
    friends and family (that detector counts them)."""
    events = [with_family(login(0, "f1", ip="home", kind="signup")), login(1, "f2", ip="home"),
              with_family(login(2, "f2")), with_family(login(3, "f2", ip="home"))]
    views = observe(events, batch=1)
    assert list(views) == ["f2-3"]
    assert sorted(s.kind for s in views["f2-3"].shared) == ["family", "ip"]
    assert run(events, batch=1) == []
    assert list(linked.linked_accounts(views["f2-3"], "freelancer")) == ["f1"]
