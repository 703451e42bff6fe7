"""Rating rings: closed loops of contracts rated highly (4 stars or more) both ways, found from the rating
graph."""

from collections import deque

import pytest

from scoring.derive import subject_events
from scoring.detectors import rings
from scoring.records import Feedback
from scoring.rules import DetectorRule
from scoring.state import AccountState

RULE = DetectorRule("rating_ring", "feedback_manipulation", 1.0, {"max_accounts": 5, "min_stars": 4, "window_days": 30})
DAY = 86_400_000


def contract(i, client, freelancer, stars=(5, 5), direct=False, day=0):
    """Both ratings of one contract: client -> freelancer, then freelancer -> client."""
    k, ts = f"k{i}", 1_767_225_600_000 + day * DAY + i * 10
    return [Feedback(f"e{i}a", ts, "rating", k, client, freelancer, "client", stars[0], "", direct),
            Feedback(f"e{i}b", ts + 1, "rating", k, freelancer, client, "freelancer", stars[1], "", direct)]


def replay(contracts, reverse=False):
    """Every rating in its rater's state, every derived and forwarded event in its subject's, as the
    stream delivers them (forwards after the events that made them); states through JSON."""
    states: dict[str, dict] = {}
    queue = deque(ev for pair in (reversed(contracts) if reverse else contracts) for ev in pair)
    signals = []
    while queue:
        ev = queue.popleft()
        state = AccountState.from_dict(states.get(ev.actor, {}))
        found = rings.on_event(state, ev, RULE)
        states[ev.actor] = state.to_dict()
        signals += [(ev.actor, s) for s in found.signals]
        queue.extend(found.forwards)
        queue.extend(subject_events(ev))
    return signals


LOOP3 = [contract(1, "a", "b"), contract(2, "b", "c"), contract(3, "c", "a")]


@pytest.mark.parametrize(
    ("contracts", "members"),
    [
        ([contract(1, "a", "b"), contract(2, "b", "a")], {"a", "b"}),  # your turn: each hired the other
        (LOOP3, {"a", "b", "c"}),
        ([contract(1, "a", "b"), contract(2, "b", "c"), contract(3, "c", "d"), contract(4, "d", "a")],
         {"a", "b", "c", "d"}),
        # a client hiring many freelancers, all 5 stars both ways: ordinary two-way feedback
        ([contract(i, "client", f"f{i}") for i in range(6)], set()),
        # two clients sharing two freelancers: no loop of hires
        ([contract(1, "c1", "f1"), contract(2, "c1", "f2"), contract(3, "c2", "f1"), contract(4, "c2", "f2")],
         set()),
        ([contract(1, "a", "b"), contract(2, "b", "c")], set()),  # a chain, not a loop
        # one leg rated 4 stars: still high ratings traded in a closed loop
        ([contract(1, "a", "b"), contract(2, "b", "c"), contract(3, "c", "a", stars=(5, 4))], {"a", "b", "c"}),
        ([contract(1, "a", "b", stars=(4, 4)), contract(2, "b", "a", stars=(4, 5))], {"a", "b"}),
        # a leg rated 3 stars is no trade of high ratings
        ([contract(1, "a", "b"), contract(2, "b", "c"), contract(3, "c", "a", stars=(5, 3))], set()),
        # a loop whose legs are months apart is outside the window
        ([contract(1, "a", "b"), contract(2, "b", "c", day=40), contract(3, "c", "a", day=80)], set()),
        ([contract(1, "a", "b"), contract(2, "b", "a", direct=True)], set()),  # direct contracts: exempt
        ([contract(i, f"x{i}", f"x{(i + 1) % 6}") for i in range(6)], set()),  # longer than max_accounts
    ],
)
def test_rings(contracts, members):
    for reverse in (False, True):
        found = replay(contracts, reverse)
        assert {account for account, _ in found} == members
        assert len(found) == len(members)  # each member once


def test_a_ring_names_its_accounts_and_contracts():
    (actor, sig), *_ = replay(LOOP3)
    assert sig.detector == "rating_ring" and sig.policy == "feedback_manipulation"
    for part in ("a hired b (k1)", "b hired c (k2)", "c hired a (k3)"):
        assert part in sig.reason
    assert "closed loop" in sig.reason
    assert "4 stars or more both ways within 30 days of the rating that closed it" in sig.reason
    assert sorted(sig.accounts) == sorted(set("abc") - {actor})  # the others in it, to open
    # a counter reads as what was met: three contracts in the loop (two make one), within 30 days
    assert [(c.name, c.value, c.threshold, c.window_s) for c in sig.counters] == [
        ("loop_contracts_rated_4_plus_both_ways", 3, 2, 30 * 86_400)]
    assert all(c.value >= c.threshold for c in sig.counters)


def test_a_lower_rating_forgets_the_contract():
    state = AccountState()
    rings.on_event(state, contract(1, "a", "b")[0], RULE)
    assert list(state.graph) == ["k1"]
    rings.on_event(state, contract(1, "a", "b", stars=(3, 5))[0], RULE)  # under 4 stars
    assert state.graph == {}


@pytest.mark.parametrize("detail", ["", "A\tk1\tB", "A\tk1\t\tk2", "A\tk1"])
def test_a_malformed_ring_notice_is_ignored(detail):
    from scoring.records import SubjectEvent

    event = SubjectEvent("x", 1_767_225_600_000, "ring", "A", "unknown", "", "B", detail=detail)
    assert rings.on_event(AccountState(), event, RULE).signals == []


# A loop of three and a loop of two sharing an account, each contract's ratings days apart; the
# loop of three's latest rating is c's of k2 (closed at none of the loop's own last hire), the
# loop of two's d's of k4.
STORY = [contract(1, "a", "b", day=1), contract(2, "b", "c", day=3), contract(3, "c", "a", day=2),
         contract(4, "a", "d", day=1), contract(5, "d", "a", day=0)]


def own_events(order):
    """Each account's ratings given, in event time (its partitions', merged), the accounts' partitions
    read one after the other in `order`."""
    ratings = sorted((ev for pair in STORY for ev in pair), key=lambda ev: ev.ts)
    return [ev for account in order for ev in ratings if ev.actor == account]


def deliver(pending, states, found, reverse):
    """Applies subject events (ratings received, probes, notices) in the order sent or the reverse,
    and what they send in turn, until none is left."""
    while pending:
        batch, pending = (pending[::-1] if reverse else pending), []
        for ev in batch:
            pending += apply(states, ev, found)


def apply(states, ev, found):
    result = rings.on_event(states.setdefault(ev.actor, AccountState()), ev, RULE)
    found |= {(ev.actor, s.event_id, s.ts, s.reason) for s in result.signals}
    return result.forwards + subject_events(ev)


@pytest.mark.parametrize("order", ["abcd", "dcba", "cadb", "bdac"])
@pytest.mark.parametrize("batch", [1, 2, 5])
@pytest.mark.parametrize("subjects", ["soon", "late", "late-reversed"])
def test_the_same_rings_in_any_order_of_the_accounts_and_batches(order, batch, subjects):
    """The accounts' partitions read in any order, in batches of any size; the ratings received,
    probes and notices delivered after each batch or after all, in the order sent or the reverse:
    each member signals each loop once, named after the loop's latest rating, at its time, in the
    same words whichever account closed it."""
    states: dict[str, AccountState] = {}
    found: set = set()
    pending: list = []
    own = own_events(order)
    for start in range(0, len(own), batch):
        for ev in own[start:start + batch]:
            pending += apply(states, ev, found)
        if subjects == "soon":
            deliver(pending, states, found, reverse=False)
            pending = []
    deliver(pending, states, found, reverse=subjects == "late-reversed")
    three, two = STORY[1][1], STORY[3][1]  # the loops' latest ratings: c's of k2, d's of k4
    rule = ("hiring one another in a closed loop, every contract rated 4 stars or more both ways within 30 days "
            "of the rating that closed it")
    words = f"rating ring of 3 accounts {rule}: a hired b (k1), b hired c (k2), c hired a (k3)"
    pair = f"rating ring of 2 accounts {rule}: a hired d (k4), d hired a (k5)"
    assert sorted(found) == sorted(
        [(m, f"{three.event_id}~ring~{m}", three.ts, words) for m in "abc"]
        + [(m, f"{two.event_id}~ring~{m}", two.ts, pair) for m in "ad"])


def test_a_rating_that_contradicts_the_role_of_its_contract_sends_nothing():
    from scoring.records import SubjectEvent

    state = AccountState()
    rings.on_event(state, contract(1, "a", "b")[0], RULE)  # a rated b as its client on k1
    received = SubjectEvent("x", 1_767_225_600_100, "rated", "a", "freelancer", "k1", "b", 5)  # a as freelancer?
    assert rings.on_event(state, received, RULE).forwards == []
