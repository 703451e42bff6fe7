"""Friends and family: a client and a freelancer linked by fingerprints who also had a contract."""

import dataclasses
import json

import pytest

from scoring import derive
from scoring.detector import At
from scoring.detectors import friends_family
from scoring.records import ContractEvent, Feedback, SubjectEvent
from scoring.rules import DetectorRule
from scoring.state import AccountState
from streams.adapters.link_index_memory import MemoryLinkIndex
from tests.unit.test_linked import login, observe, view_of

RULE = DetectorRule("friends_family", "feedback_manipulation", 1.0, {})
T0 = 1_767_225_600_000
HOUR = 3_600_000


def contract(kind, hours, freelancer="f1", k="k1", actor="c1"):
    return ContractEvent(f"{kind}-{freelancer}-{hours}", T0 + int(hours * HOUR), kind, k, "j1", "c1", freelancer,
                         actor)


def rating(hours, stars=5, to="f1", k="k1", direct=False):
    return Feedback(f"fb-{k}-{hours}", T0 + int(hours * HOUR), "rating", k, "c1", to, "client", stars, "great",
                    direct)


def received(hours, stars=5, rater="f1", k="k1"):
    return SubjectEvent(f"r-{k}-{hours}", T0 + int(hours * HOUR), "rated", "c1", "client", k, rater, stars)


def client_events(links, steps):
    """The client c1's view of a story: its logins (c1 first, so f1's signup is already indexed
    when c1 logs in again) and its contract steps and ratings, in event time."""
    logins = [login(0, "f1", **links), login(1, "c1", "client", **links)] if links else []
    return logins, steps


def run(links, steps, order="link_first"):
    """Signals of the client's state; state round-trips through JSON between events. A login
    tells the pair of a link it reveals; the client's copy is applied next (the other is f1's)."""
    logins, steps = client_events(links, steps)
    views = observe(logins) if logins else {}
    events = logins[1:] + steps if order == "link_first" else steps + logins[1:]
    raw, signals = AccountState().to_dict(), []
    for ev in events:
        state = AccountState.from_dict(raw)
        if isinstance(ev, ContractEvent):
            signals += friends_family.on_contract(state, ev, RULE)
        elif isinstance(ev, Feedback):
            signals += friends_family.on_rating_given(state, ev, RULE)
        elif isinstance(ev, SubjectEvent):
            signals += friends_family.on_rating_received(state, ev, RULE)
        else:
            signals += [s for n in friends_family.counterpart_notices(state, ev, RULE, At(view=view_of(views, ev)))
                        if n.subject_id == "c1" for s in friends_family.on_linked(state, n, RULE)]
        raw = json.loads(json.dumps(state.to_dict()))
    return signals


def linked_by(state, ev, views):
    """The signals of the notices `ev` sends that are addressed to its own account."""
    return [s for n in friends_family.counterpart_notices(state, ev, RULE, At(view=view_of(views, ev)))
            if n.subject_id == ev.account_id for s in friends_family.on_linked(state, n, RULE)]


HIRED = [contract("invite", 0), contract("hire", 2), contract("end", 20), rating(30)]
HOUSEHOLD = {"ip": "home"}


@pytest.mark.parametrize(
    ("links", "steps", "fires"),
    [
        ({"device": "d1"}, HIRED, True),
        ({"payment": "p1"}, HIRED, True),
        ({"phone": "ph"}, [contract("hire", 2)], True),
        ({"ip": "home", "device": "d1"}, [received(40)], True),  # only the freelancer's rating of it
        # a new client that invites, hires and rates 5 stars within hours, sharing nothing (seeds/003)
        ({}, HIRED, False),
        ({"device": "d1"}, [], False),  # relatives who never hired each other
        ({"device": "d1"}, [contract("invite", 0)], False),  # an invite is no contract
        ({"ip": "home"}, HIRED, False),  # an office or a cafe: one IP alone is no link
        ({"device": "d1"}, [contract("direct_contract", 1), rating(30, direct=True)], False),  # exempt
        ({"device": "d1"}, [contract("hire", 2, freelancer="f2", k="k2")], False),  # hired someone else
    ],
)
def test_a_link_and_a_contract_make_the_finding(links, steps, fires):
    found = {order: run(links, steps, order) for order in ("link_first", "contract_first")}
    for order, signals in found.items():
        assert len(signals) == (1 if fires else 0), order
        if fires:
            assert signals[0].detector == "friends_family.linked_contract"
            assert "with freelancer account f1" in signals[0].reason and "contract k" in signals[0].reason
    # the same finding whichever half arrived second: at the later half's time and event
    assert found["link_first"] == found["contract_first"]


def test_a_household_link_counts_between_a_client_and_a_freelancer():
    """Relatives under one roof (a home IP and a surname-plus-home) hiring each other."""
    logins = [login(0, "f1", ip="home"), login(1, "c1", "client", ip="home")]
    logins = [dataclasses.replace(ev, family_fp="fam") for ev in logins]
    views = observe(logins)
    state = AccountState()
    assert linked_by(state, logins[1], views) == []
    found = friends_family.on_contract(state, contract("hire", 2), RULE)
    assert len(found) == 1 and "surname and home location" in found[0].reason


def test_signals_once_per_pair():
    state = AccountState()
    logins = [login(0, "f1", device="d1"), login(1, "c1", "client", device="d1")]
    assert linked_by(state, logins[1], observe(logins)) == []
    assert len(friends_family.on_contract(state, contract("hire", 2), RULE)) == 1
    assert friends_family.on_rating_given(state, rating(30), RULE) == []
    assert friends_family.on_contract(state, contract("hire", 2), RULE) == []  # re-delivered


def test_two_clients_on_one_device_are_not_friends_and_family():
    events = [login(0, "c1", "client", device="d1"), login(1, "c2", "client", device="d1")]
    views = observe(events)
    assert [n for ev in events
            for n in friends_family.counterpart_notices(AccountState(), ev, RULE, At(view=view_of(views, ev)))] == []


def test_without_rule_nothing_happens():
    state = AccountState()
    assert friends_family.on_contract(state, contract("hire", 2), None) == []
    assert friends_family.on_rating_given(state, rating(30), None) == []
    assert state.parties == {}


def test_the_counterpart_learns_of_a_link_only_the_later_signup_reveals():
    """Signups are the only events with a payment fingerprint: the client's, read first, sees no
    one; the freelancer's links both, and tells both with `linked_counterpart` subject events
    named after its sighting. The client signals once it also had a contract with the freelancer."""
    events = [login(0, "c1", "client", device="dc", payment="pay-1", kind="signup"),
              login(1, "f1", device="df", payment="pay-1", kind="signup"),
              login(2, "c1", "client", device="dc"), login(3, "f1", device="df")]
    views = observe(events)
    states = {"c1": AccountState(), "f1": AccountState()}
    notices = [n for ev in events for n in friends_family.counterpart_notices(
        states[ev.account_id], ev, RULE, At(view=view_of(views, ev)))]
    assert [(n.event_id, n.subject_id, n.subject_role, n.other_id) for n in notices] == [
        ("f1-1~linked_counterpart~f1", "f1", "freelancer", "c1"),
        ("f1-1~linked_counterpart~c1", "c1", "client", "f1")]  # once, although f1 logs in again
    assert notices[1].detail == ("payment instrument pay-1 (this account since 2026-01-01 00:00:00, "
                                 "f1 since 2026-01-01 00:01:00 UTC)")
    assert friends_family.on_linked(states["c1"], notices[1], RULE) == []  # a link alone
    found = friends_family.on_contract(states["c1"], contract("hire", 2), RULE)
    assert [(s.reason, s.event_id, s.ts) for s in found] == [(
        "possible friends-and-family feedback: had contract k1 with an account it is linked to; shares "
        "payment instrument pay-1 (this account since 2026-01-01 00:00:00, f1 since 2026-01-01 00:01:00 UTC) "
        "with freelancer account f1", "hire-f1-2", T0 + 2 * HOUR)]
    assert found[0].accounts == ("f1",)
    assert friends_family.on_linked(states["c1"], notices[1], RULE) == []  # a re-delivered notice


def test_both_sides_of_a_link_send_the_same_notices():
    """f1's login (later in event time) was read first; c1's, read next, counts f1 among the
    accounts first seen after it. Both build the same two notices: each copy is dropped when
    seen again, and the client keeps one link."""
    index = MemoryLinkIndex()
    f1, c1 = login(1, "f1", device="d1"), login(0, "c1", "client", device="d1")
    assert observe([f1], index=index) == {}
    from_c1 = friends_family.counterpart_notices(AccountState(), c1, RULE,
                                                 At(view=observe([c1], index=index)[c1.event_id]))
    from_f1 = friends_family.counterpart_notices(AccountState(), f1, RULE,
                                                 At(view=observe([f1], index=index)[f1.event_id]))
    assert from_c1 == from_f1[::-1] and [n.event_id for n in from_c1] == ["f1-1~linked_counterpart~c1",
                                                                           "f1-1~linked_counterpart~f1"]
    state = AccountState()
    assert friends_family.on_linked(state, from_c1[0], RULE) == []
    assert friends_family.on_linked(state, from_f1[1], RULE) == [] and list(state.kin) == ["f1"]
    assert len(friends_family.on_contract(state, contract("hire", 2), RULE)) == 1


def test_a_client_linked_to_many_freelancers_still_knows_the_first():
    """Ten freelancers share the client's device; the client hires the first one linked."""
    state = AccountState()
    for i in range(10):
        notice = SubjectEvent(f"n{i}", T0 + i, "linked_counterpart", "c1", "client", "", f"f{i}",
                              detail="device dev-family")
        assert friends_family.on_linked(state, notice, RULE) == []
    (found,) = friends_family.on_contract(state, contract("hire", 2, freelancer="f0"), RULE)
    assert found.reason.endswith("linked to; shares device dev-family with freelancer account f0")


def test_a_link_kept_in_the_words_of_an_older_state_still_reads():
    state = AccountState(kin={"f1": "shares device d1 with freelancer account f1"})
    (found,) = friends_family.on_contract(state, contract("hire", 2), RULE)
    assert found.reason.endswith("k1 with an account it is linked to; shares device d1 with freelancer account f1")


def rated_by(rater, to, role, hours):
    return Feedback(f"fb-{rater}-{hours}", T0 + int(hours * HOUR), "rating", "k1", rater, to, role, 5, "great", False)


# c1 signs up on d1 and hires f1; f1 is first seen on d1 after the hire, ends the contract, and
# they rate each other. Each account's own events are in event time (its partitions', merged).
STORY = {"c1": [login(0, "c1", "client", device="d1", kind="signup"), contract("hire", 2),
                rated_by("c1", "f1", "client", 30)],
         "f1": [login(1, "f1", device="d1", ts=T0 + 3 * HOUR), contract("end", 20, actor="f1"),
                rated_by("f1", "c1", "freelancer", 31)]}


def handle(state, ev, views):
    """The detector's handlers of one event: (signals, subject events for other accounts)."""
    if isinstance(ev, ContractEvent):
        return friends_family.on_contract(state, ev, RULE), []
    if isinstance(ev, Feedback):
        return friends_family.on_rating_given(state, ev, RULE), derive.subject_events(ev)
    if isinstance(ev, SubjectEvent):
        handler = friends_family.on_linked if ev.kind == "linked_counterpart" else friends_family.on_rating_received
        return handler(state, ev, RULE), []
    return [], friends_family.counterpart_notices(state, ev, RULE, At(view=view_of(views, ev)))


@pytest.mark.parametrize("first", ["c1", "f1"])
@pytest.mark.parametrize("batch", [1, 2, 3])
@pytest.mark.parametrize("subjects", ["soon", "late"])
def test_the_same_findings_in_any_order_of_the_accounts_and_halves(first, batch, subjects):
    """The accounts' partitions read in either order, in batches of any size; subject events
    (link notices from either side, ratings received) delivered after each batch or after all,
    never ahead of the account's own earlier events (the merge by event time holds a subject
    event until the account's partitions are read up to its time), but late behind any:
    each account makes the same one finding, at the later of its halves, in the same words."""
    index, states = MemoryLinkIndex(), {"c1": AccountState(), "f1": AccountState()}
    own = STORY[first] + STORY["f1" if first == "c1" else "c1"]
    found, pending, done = set(), [], set()
    for start in range(0, len(own), batch):
        events = own[start:start + batch]
        views = observe([ev for ev in events if not isinstance(ev, ContractEvent | Feedback)], index=index)
        for ev in events:
            signals, sent = handle(states[ev.actor], ev, views)
            found |= {(ev.actor, s.event_id, s.ts, s.reason) for s in signals}
            pending += sent
            done.add(ev.event_id)
        if subjects == "soon":
            pending = deliver(pending, states, found, done)
    done = {ev.event_id for events in STORY.values() for ev in events}
    assert deliver(pending, states, found, done) == []
    deliver(pending, states, found, done)  # each copy again: a redelivery, or the other side's copy
    assert sorted(found) == [
        ("c1", "f1-1~linked_counterpart~c1", T0 + 3 * HOUR,
         "possible friends-and-family feedback: had contract k1 with an account it is linked to; shares device "
         "d1 (this account since 2026-01-01 00:00:00, f1 since 2026-01-01 03:00:00 UTC) with freelancer account f1"),
        ("f1", "end-f1-20", T0 + 20 * HOUR,
         "possible friends-and-family feedback: had contract k1 with an account it is linked to; shares device "
         "d1 (this account since 2026-01-01 03:00:00, c1 since 2026-01-01 00:00:00 UTC) with client account c1")]


def deliver(pending, states, found, done):
    """Applies the subject events whose account's own earlier events are applied; the rest wait."""
    waiting = []
    for ev in pending:
        if all(own.event_id in done for own in STORY[ev.actor] if own.ts < ev.ts):
            found |= {(ev.actor, s.event_id, s.ts, s.reason) for s in handle(states[ev.actor], ev, {})[0]}
        else:
            waiting.append(ev)
    return waiting


def test_a_freelancers_finding_is_at_its_clients_rating_whichever_rating_is_read_first():
    """f1 took no contract step: its half is the rating c1 gave it (re-keyed, so it may come after
    f1's own later rating of c1). The finding is the same in both orders."""
    events = [login(0, "c1", "client", device="d1", kind="signup"), login(1, "f1", device="d1", kind="signup")]
    views = observe(events)
    (received_,) = [e for e in derive.subject_events(rated_by("c1", "f1", "client", 30)) if e.kind == "rated"]
    given = rated_by("f1", "c1", "freelancer", 31)
    found = []
    for received_first in (True, False):
        state = AccountState()
        assert linked_by(state, events[1], views) == []  # the link alone
        first, second = (received_, given) if received_first else (given, received_)
        signals = [s for ev in (first, second) for s in (
            friends_family.on_rating_received(state, ev, RULE) if isinstance(ev, SubjectEvent)
            else friends_family.on_rating_given(state, ev, RULE))]
        found.append([(s.event_id, s.ts) for s in signals])
    assert found[0] == found[1] == [(received_.event_id, T0 + 30 * HOUR)]
