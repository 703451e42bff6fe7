"""Friends and family: a client and a freelancer linked by fingerprints who also had a contract."""

import dataclasses
import json

import pytest

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
    """Signals of the client's state; state round-trips through JSON between events."""
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
            signals += friends_family.on_account(state, ev, RULE, At(view=view_of(views, ev)))
        raw = json.loads(json.dumps(state.to_dict()))
    return signals


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
    for order in ("link_first", "contract_first"):
        signals = run(links, steps, order)
        assert len(signals) == (1 if fires else 0), order
        if fires:
            assert signals[0].detector == "friends_family.linked_contract"
            assert "with freelancer account f1" in signals[0].reason and "contract k" in signals[0].reason


def test_a_household_link_counts_between_a_client_and_a_freelancer():
    """Relatives under one roof (a home IP and a surname-plus-home) hiring each other."""
    logins = [login(0, "f1", ip="home"), login(1, "c1", "client", ip="home")]
    logins = [dataclasses.replace(ev, family_fp="fam") for ev in logins]
    views = observe(logins)
    state = AccountState()
    assert friends_family.on_account(state, logins[1], RULE, At(view=view_of(views, logins[1]))) == []
    found = friends_family.on_contract(state, contract("hire", 2), RULE)
    assert len(found) == 1 and "surname and home location" in found[0].reason


def test_signals_once_per_pair():
    state = AccountState()
    logins = [login(0, "f1", device="d1"), login(1, "c1", "client", device="d1")]
    friends_family.on_account(state, logins[1], RULE, At(view=observe(logins)["c1-1"]))
    assert len(friends_family.on_contract(state, contract("hire", 2), RULE)) == 1
    assert friends_family.on_rating_given(state, rating(30), RULE) == []
    assert friends_family.on_contract(state, contract("hire", 2), RULE) == []  # re-delivered


def test_two_clients_on_one_device_are_not_friends_and_family():
    events = [login(0, "c1", "client", device="d1"), login(1, "c2", "client", device="d1")]
    views = observe(events)
    assert [s for ev in events
            for s in friends_family.on_account(AccountState(), ev, RULE, At(view=view_of(views, ev)))] == []
    assert [n for ev in events
            for n in friends_family.counterpart_notices(AccountState(), ev, RULE, At(view=view_of(views, ev)))] == []


def test_without_rule_nothing_happens():
    state = AccountState()
    assert friends_family.on_contract(state, contract("hire", 2), None) == []
    assert friends_family.on_rating_given(state, rating(30), None) == []
    assert state.parties == {}


def test_the_counterpart_learns_of_a_link_only_the_later_signup_reveals():
    """Signups are the only events with a payment fingerprint: the client's, read first, sees no
    one; the freelancer's links both. The client hears of it from a `linked_counterpart` subject
    event, and signals once it also had a contract with the freelancer."""
    events = [login(0, "c1", "client", device="dc", payment="pay-1", kind="signup"),
              login(1, "f1", device="df", payment="pay-1", kind="signup"),
              login(2, "c1", "client", device="dc"), login(3, "f1", device="df")]
    views = observe(events)
    states = {"c1": AccountState(), "f1": AccountState()}
    notices = [n for ev in events for n in friends_family.counterpart_notices(
        states[ev.account_id], ev, RULE, At(view=view_of(views, ev)))]
    assert [(n.kind, n.subject_id, n.subject_role, n.other_id) for n in notices] == [
        ("linked_counterpart", "c1", "client", "f1")]  # once, although f1 logs in again
    assert notices[0].detail == "payment instrument pay-1" and notices[0].event_id == "f1-1~linked_counterpart~c1"
    assert friends_family.on_linked(states["c1"], notices[0], RULE) == []  # a link alone
    found = friends_family.on_contract(states["c1"], contract("hire", 2), RULE)
    assert [s.reason for s in found] == [
        "shares payment instrument pay-1 with freelancer account f1, and had contract k1 with it: "
        "possible friends-and-family feedback"]
    assert friends_family.on_linked(states["c1"], notices[0], RULE) == []  # a re-delivered notice


def test_a_counterpart_that_found_the_link_itself_keeps_one_finding():
    """f1's login (later in event time) was read first; c1's, read next, counts f1 among the
    accounts first seen after it. When f1's event tells c1 as well, c1 keeps the one link."""
    index = MemoryLinkIndex()
    f1, c1 = login(1, "f1", device="d1"), login(0, "c1", "client", device="d1")
    assert observe([f1], index=index) == {}
    state = AccountState()
    friends_family.on_account(state, c1, RULE, At(view=observe([c1], index=index)[c1.event_id]))
    assert list(state.kin) == ["f1"]
    notices = friends_family.counterpart_notices(AccountState(), f1, RULE,
                                                 At(view=observe([f1], index=index)[f1.event_id]))
    assert [n.subject_id for n in notices] == ["c1"]
    assert friends_family.on_linked(state, notices[0], RULE) == []
    assert len(friends_family.on_contract(state, contract("hire", 2), RULE)) == 1


def test_a_client_linked_to_many_freelancers_still_knows_the_first():
    """Ten freelancers share the client's device; the client hires the first one linked."""
    state = AccountState()
    for i in range(10):
        notice = SubjectEvent(f"n{i}", T0 + i, "linked_counterpart", "c1", "client", "", f"f{i}",
                              detail="device dev-family")
        assert friends_family.on_linked(state, notice, RULE) == []
    (found,) = friends_family.on_contract(state, contract("hire", 2, freelancer="f0"), RULE)
    assert found.reason.startswith("shares device dev-family with freelancer account f0, and had contract k1")


def test_a_link_kept_in_the_words_of_an_older_state_still_reads():
    state = AccountState(kin={"f1": "shares device d1 with freelancer account f1"})
    (found,) = friends_family.on_contract(state, contract("hire", 2), RULE)
    assert found.reason.startswith("shares device d1 with freelancer account f1, and had contract k1")
