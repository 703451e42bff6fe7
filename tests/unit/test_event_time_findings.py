"""Rating rings and a freelancer's poor record from ratings received: findings joined from other
accounts' partitions, made at the event that decides them by event time, so that the accounts'
partitions read in any order, in batches of any size, with the subject events between them
delivered soon or late, give the same escalations (ids and content)."""

import itertools

import orjson
import pytest

from scoring.records import ContractEvent, Feedback
from scoring.state import AccountState
from scoring.step import step
from tests.unit.helpers import rules

RULES = rules()
T0, HOUR = 1_767_225_600_000, 3_600_000


def rating(i, hours, contract, rater, to, role, stars):
    return Feedback(f"fb{i}", T0 + int(hours * HOUR), "rating", contract, rater, to, role, stars, "", False)


def both_ways(i, hours, client, freelancer):
    """Both ratings of one contract, 5 stars, the freelancer's an hour after the client's."""
    k = f"k{i}"
    return [rating(f"{i}a", hours, k, client, freelancer, "client", 5),
            rating(f"{i}b", hours + 1, k, freelancer, client, "freelancer", 5)]


# a hired b, b hired c, c hired a, hours apart, the loop's latest rating not that of its last hire
RING = [*both_ways(1, 1, "a", "b"), *both_ways(2, 30, "b", "c"), *both_ways(3, 10, "c", "a")]
# f1's clients rate it (two low, three high) and one opens a dispute: its third bad outcome, the
# dispute, makes its record poor; a fourth client rates it well after that.
STARS = {"c1": 1, "c2": 5, "c3": 2, "c4": 5, "c6": 5}  # client: stars, at its number's hour
POOR = [*(rating(c[1], int(c[1]), f"k{c[1]}", c, "f1", "client", s) for c, s in STARS.items()),
        ContractEvent("d5", T0 + 5 * HOUR, "dispute", "k5", "j5", "c5", "f1", "c5")]


def run(story, order, batch, subjects):
    """The accounts' own events in event time, their partitions read one after the other in
    `order`, `batch` at a time; subject events delivered after each batch ("soon") or after all,
    in the order sent or the reverse. Returns every escalation made, by id, with its content."""
    states: dict[str, AccountState] = {}
    made: dict[str, set[bytes]] = {}
    own = sorted(story, key=lambda ev: (order.index(ev.actor) if order else 0, ev.ts))
    pending: list = []
    for start in range(0, len(own), batch):
        for ev in own[start:start + batch]:
            pending += apply(states, ev, made)
        if subjects == "soon":
            pending = deliver(pending, states, made, reverse=False)
    deliver(pending, states, made, reverse=subjects == "late-reversed")
    assert all(len(contents) == 1 for contents in made.values()), "an escalation id with two contents"
    return {i: orjson.loads(next(iter(c))) for i, c in made.items()}


def apply(states, ev, made):
    out = step(states.setdefault(ev.actor, AccountState()), ev, RULES)
    for esc in out.escalations:
        made.setdefault(esc.escalation_id, set()).add(orjson.dumps(esc.to_dict(), option=orjson.OPT_SORT_KEYS))
    return out.forwards


def deliver(pending, states, made, reverse):
    while pending:
        sent, pending = (pending[::-1] if reverse else pending), []
        for ev in sent:
            pending += apply(states, ev, made)
    return []


def in_time_order(story):
    """Every event in event time, each subject event as soon as it is sent."""
    return run(story, None, 1, "soon")


@pytest.mark.parametrize("batch", [1, 2, 6])
@pytest.mark.parametrize("subjects", ["soon", "late", "late-reversed"])
def test_a_ring_escalates_the_same_in_any_order(batch, subjects):
    expected = in_time_order(RING)
    latest = max(RING, key=lambda ev: ev.ts)  # c's rating of b (k2)
    assert sorted((e["account_id"], e["trigger_event_id"], e["ts"]) for e in expected.values()) == [
        (m, f"{latest.event_id}~ring~{m}", latest.ts) for m in "abc"]
    for order in itertools.permutations("abc"):
        assert run(RING, order, batch, subjects) == expected, order


@pytest.mark.parametrize("batch", [1, 2, 6])
@pytest.mark.parametrize("subjects", ["soon", "late", "late-reversed"])
def test_a_poor_record_escalates_the_same_in_any_order(batch, subjects):
    expected = in_time_order(POOR)
    (esc,) = expected.values()
    assert (esc["account_id"], esc["policies"], esc["trigger_event_id"], esc["ts"]) == (
        "f1", ["low_quality"], "d5", T0 + 5 * HOUR)
    assert esc["reasons"] == ["received 2 ratings of 1-2 stars and 1 disputes as a freelancer, 30% or more of the "
                              "ratings it had received"]
    for order in itertools.permutations(["c1", "c2", "c3", "c4", "c5", "c6"]):
        assert run(POOR, order, batch, subjects) == expected, order
