"""Friends and family: linked client/freelancer pairs, and a new client's invite -> hire -> 5 stars."""

import json

import pytest

from scoring.detectors import friends_family
from scoring.records import ContractEvent, Feedback, SubjectEvent
from scoring.rules import DetectorRule
from scoring.state import AccountState
from streams.links import MemoryLinkIndex
from tests.unit.test_linked import login, observe, view_of

RULE = DetectorRule("friends_family", "feedback_manipulation", 1.0,
                    {"max_hire_hours": 6, "max_rating_hours": 72})
T0 = 1_767_225_600_000
HOUR = 3_600_000


def contract(kind, hours, freelancer="f1", job="j1", k="k1", actor="c1"):
    ts = T0 + int(hours * HOUR)
    return ContractEvent(f"{kind}-{freelancer}-{job}-{hours}", ts, kind, k, job, "c1", freelancer, actor)


def rating(hours, stars=5, freelancer="f1", k="k1", direct=False, role="client"):
    ts = T0 + int(hours * HOUR)
    return Feedback(f"fb-{k}-{hours}", ts, "rating", k, "c1", freelancer, role, stars, "great", direct)


def run(events, rule=RULE):
    """The client's events in order, through its `ff` state (JSON round trip between events)."""
    ff, signals = {}, []
    for ev in events:
        if isinstance(ev, ContractEvent):
            signals += friends_family.on_contract(ff, ev, rule)
        else:
            signals += friends_family.on_rating(ff, ev, rule)
        ff = json.loads(json.dumps(ff))
    return signals, ff


FARM = [contract("invite", 0), contract("hire", 2), contract("end", 20), rating(30)]


@pytest.mark.parametrize(
    ("events", "fires"),
    [
        (FARM, True),
        ([contract("invite", 0), contract("offer", 1), contract("hire", 5.9), rating(77)], True),
        ([contract("invite", 0), contract("hire", 8), rating(30)], False),  # hired after a day's thought
        ([contract("invite", 0), contract("hire", 2), rating(30, stars=4)], False),
        ([contract("invite", 0), contract("hire", 2), rating(100)], False),  # rated long after the hire
        ([contract("invite", 0), contract("invite", 1, "f2"), contract("hire", 2), rating(30)], False),
        ([contract("invite", 0), contract("hire", 2, "f2"), rating(30, freelancer="f2")], False),
        ([contract("invite", 0), contract("direct_contract", 2), rating(30, direct=True)], False),
        ([contract("invite", 0), contract("hire", 2), rating(30, direct=True)], False),  # exempt
        ([contract("hire", 0, job="j0", k="k0"), *FARM], False),  # not the client's first job
        ([contract("invite", 0), contract("hire", 2), contract("dispute", 10), rating(30)], False),
        ([contract("invite", 0), contract("hire", 2), rating(30, k="k9")], False),  # another contract
        ([contract("invite", 0), contract("invite", 1, job="j2", freelancer="f2"), contract("hire", 2),
          rating(30)], True),  # other jobs do not matter, only the first
        ([contract(e.type, (e.ts - T0) / HOUR, actor="f1") for e in FARM[:3]] + [rating(30)], False),
    ],
)
def test_first_job_pattern(events, fires):
    signals, _ = run(events)
    assert bool(signals) is fires
    if fires:
        (sig,) = signals
        assert sig.policy == "feedback_manipulation" and sig.detector == "friends_family.first_job_hire"
        assert "f1" in sig.reason and "j1" in sig.reason and "k1" in sig.reason


def test_signals_once_and_state_stays_tiny():
    signals, ff = run(FARM + FARM + [contract("invite", 40, "f3", "j3"), rating(50)])
    assert len(signals) == 1
    assert signals[0].counters[0].value == 2 and signals[0].counters[1].value == 28
    assert len(json.dumps(ff)) < 120


def test_without_rule_nothing_happens():
    assert run(FARM, None) == ([], {})


@pytest.mark.parametrize(
    ("client", "freelancer", "fires"),
    [
        ({"device": "d1"}, {"device": "d1"}, True),
        ({"payment": "p1"}, {"payment": "p1"}, True),
        ({"ip": "home", "phone": "ph"}, {"ip": "home", "phone": "ph"}, True),
        ({"ip": "home"}, {"ip": "home"}, False),  # a household or office
        ({"phone": "ph"}, {"phone": "ph"}, False),
        ({"ip": "home", "device": "d1"}, {"ip": "home", "device": "d2"}, False),
    ],
)
def test_linked_client_and_freelancer(client, freelancer, fires):
    events = [login(0, "c1", "client", **client), login(1, "f1", **freelancer),
              login(2, "c1", "client", **client)]
    views = observe(events)
    states: dict[str, AccountState] = {}
    signals = [s for ev in events for s in friends_family.on_account(
        states.setdefault(ev.account_id, AccountState()), ev, view_of(views, ev), RULE)]
    # c1's second login shows nothing new, so it gets no view: c1 is told by f1's event. Unless it
    # carries two weak fingerprints: such an event is always asked, and c1 sees the link itself.
    weak_pair = "device" not in client and "payment" not in client
    assert [s.event_id for s in signals] == ((["f1-1", "c1-2"] if weak_pair else ["f1-1"]) if fires else [])
    notices = [n for ev in events
               for n in friends_family.counterpart_notices(AccountState(), ev, view_of(views, ev), RULE)]
    assert [n.subject_id for n in notices] == ((["c1", "f1"] if weak_pair else ["c1"]) if fires else [])
    if fires:
        assert signals[0].reason.startswith("freelancer account shares ")
        assert signals[0].reason.endswith("with client account c1: possible friends-and-family feedback")
        assert signals[0].detector == "friends_family.linked_counterpart"


def test_two_clients_on_one_device_are_not_friends_and_family():
    events = [login(0, "c1", "client", device="d1"), login(1, "c2", "client", device="d1")]
    views = observe(events)
    signals = [s for ev in events for s in friends_family.on_account(AccountState(), ev, view_of(views, ev), RULE)]
    assert signals == []


def given(stars=5, to="c1", direct=False):
    return Feedback(f"g-{to}-{stars}", 2_000, "rating", "k2", "f1", to, "freelancer", stars, "great client",
                    direct)


def received(stars=5, rater="c1"):
    return SubjectEvent(f"r-{rater}-{stars}", 2_100, "rated", "f1", "freelancer", "k2", rater, stars)


def linked_state(to="c1"):
    """f1's state after an account event that linked it to client `to` by a shared device."""
    state = AccountState()
    events = [login(0, to, "client", device="d1"), login(1, "f1", device="d1")]
    views = observe(events)
    assert friends_family.on_account(state, events[1], views["f1-1"], RULE)  # the link itself
    return state


def reciprocal(signals):
    return [s for s in signals if s.detector == "friends_family.reciprocal_5star"]


def test_five_stars_both_ways_between_linked_accounts_signal_once():
    state = linked_state()
    assert reciprocal(friends_family.on_rating_given(state, given(), RULE)) == []
    found = reciprocal(friends_family.on_rating_received(state, received(), RULE))
    assert len(found) == 1 and "c1" in found[0].reason
    assert reciprocal(friends_family.on_rating_received(state, received(), RULE)) == []


def test_ratings_first_and_the_link_later_also_signal():
    state = AccountState()
    friends_family.on_rating_given(state, given(), RULE)
    friends_family.on_rating_received(state, received(), RULE)
    events = [login(0, "c1", "client", device="d1"), login(1, "f1", device="d1")]
    views = observe(events)
    assert len(reciprocal(friends_family.on_account(state, events[1], views["f1-1"], RULE))) == 1


@pytest.mark.parametrize(
    ("gave", "got", "linked"),
    [(4, 5, True),  # not five stars both ways
     (5, 5, False)],  # five stars both ways, but no link: ordinary two-way feedback
)
def test_no_reciprocal_finding_without_both_five_stars_and_a_link(gave, got, linked):
    state = linked_state() if linked else AccountState()
    signals = friends_family.on_rating_given(state, given(gave), RULE)
    signals += friends_family.on_rating_received(state, received(got), RULE)
    assert reciprocal(signals) == []


def test_a_direct_contract_rating_does_not_count():
    state = linked_state()
    friends_family.on_rating_given(state, given(direct=True), RULE)
    assert reciprocal(friends_family.on_rating_received(state, received(), RULE)) == []


def test_the_counterpart_learns_of_a_link_only_the_later_signup_reveals():
    """Signups are the only events with a payment fingerprint: the client's, read first, sees no
    one; the freelancer's links both. The client hears of it from a `linked_counterpart` subject event."""
    events = [login(0, "c1", "client", device="dc", payment="pay-1", kind="signup"),
              login(1, "f1", device="df", payment="pay-1", kind="signup"),
              login(2, "c1", "client", device="dc"), login(3, "f1", device="df")]
    views = observe(events)
    states = {"c1": AccountState(), "f1": AccountState()}
    notices = [n for ev in events for n in friends_family.counterpart_notices(
        states[ev.account_id], ev, view_of(views, ev), RULE)]
    assert [(n.kind, n.subject_id, n.subject_role, n.other_id) for n in notices] == [
        ("linked_counterpart", "c1", "client", "f1")]  # once, although f1 logs in again
    assert notices[0].detail == "payment instrument pay-1" and notices[0].event_id == "f1-1~linked_counterpart~c1"
    client_signals = friends_family.on_linked(states["c1"], notices[0], RULE)
    assert [s.detector for s in client_signals] == ["friends_family.linked_counterpart"]
    assert client_signals[0].reason == ("client account shares payment instrument pay-1 with freelancer "
                                        "account f1: possible friends-and-family feedback")
    assert friends_family.on_linked(states["c1"], notices[0], RULE) == []  # a re-delivered notice


def test_a_counterpart_that_found_the_link_itself_is_not_signalled_again():
    """f1's login (later in event time) was read first; c1's, read next, counts f1 among the
    accounts first seen after it and signals the link itself. When f1's event tells c1 (here a
    replay of it, which now sees c1), c1 is not signalled again."""
    index = MemoryLinkIndex()
    f1, c1 = login(1, "f1", device="d1"), login(0, "c1", "client", device="d1")
    assert observe([f1], index=index) == {}
    states = {"c1": AccountState(), "f1": AccountState()}
    assert friends_family.on_account(states["c1"], c1, observe([c1], index=index)[c1.event_id], RULE)
    notices = friends_family.counterpart_notices(states["f1"], f1, observe([f1], index=index)[f1.event_id], RULE)
    assert [n.subject_id for n in notices] == ["c1"]
    assert friends_family.on_linked(states["c1"], notices[0], RULE) == []
