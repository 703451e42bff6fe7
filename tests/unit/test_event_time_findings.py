"""Rating rings, a freelancer's poor record, a risky client and an unanswered streak: findings
joined from other accounts' partitions, made at the event that decides them by event time, so
that the accounts' partitions read in any order, in batches of any size, with the subject events
between them delivered soon or late, give the same escalations (ids and content); a client's
risk, which any three freelancers' ratings can start, where its ratings come in event time."""

import itertools

import orjson
import pytest

from scoring.escalation import in_force
from scoring.records import ContractEvent, Feedback
from scoring.state import AccountState
from scoring.step import step
from tests.unit.helpers import message, rules

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
    in the order sent or the reverse. Returns every escalation in force (made and not withdrawn),
    by id, with its content."""
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
    published = {i: orjson.loads(next(iter(c))) for i, c in made.items()}
    assert {e["withdraws"] for e in published.values() if "withdraws" in e} <= published.keys(), \
        "a withdrawal of an escalation never published"
    return in_force(published)


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


# the ring above, and a hired b again (k4) after it closed: the loop through k4 is the same loop,
# decided later
TWICE = [*RING, *both_ways(4, 40, "a", "b")]


@pytest.mark.parametrize("batch", [1, 2, 6])
@pytest.mark.parametrize("subjects", ["soon", "late", "late-reversed"])
def test_a_ring_closed_first_through_a_later_contract_is_named_after_its_earliest(batch, subjects):
    """A pair that hired each other twice: where k4's ratings reach the members before k1's, the
    loop is found through k4 first, and then again through k1 at its earlier rating, which
    withdraws the one through k4: what is in force is the live run's."""
    live = in_time_order(TWICE)
    assert sorted((e["account_id"], e["trigger_event_id"]) for e in live.values()) == [
        (m, "fb2b~ring~" + m) for m in "abc"]
    for order in itertools.permutations("abc"):
        assert run(TWICE, list(order), batch, subjects) == live, order


@pytest.mark.parametrize("batch", [1, 2, 6])
@pytest.mark.parametrize("subjects", ["soon", "late", "late-reversed"])
def test_a_poor_record_escalates_the_same_in_any_order(batch, subjects):
    expected = in_time_order(POOR)
    (esc,) = expected.values()
    assert (esc["account_id"], esc["policies"], esc["trigger_event_id"], esc["ts"]) == (
        "f1", ["low_quality"], "d5", T0 + 5 * HOUR)
    assert esc["reasons"] == ["received 4 ratings as a freelancer, 2 of 1-2 stars, and 1 dispute: 30% or "
                              "more of its ratings low"]
    for order in itertools.permutations(["c1", "c2", "c3", "c4", "c5", "c6"]):
        assert run(POOR, order, batch, subjects) == expected, order


# c1's freelancers rate it (2, 5, 1, 2 stars) and one opens a dispute against it: the third
# distinct freelancer's rating (f3, hour 3) makes it a risk; the later ones do not make it
# materially worse.
CLIENT_STARS = {"f1": 2, "f2": 5, "f3": 1, "f4": 2}
RISKY = [*(rating(f[1], int(f[1]), f"q{f[1]}", f, "c1", "freelancer", s) for f, s in CLIENT_STARS.items()),
         ContractEvent("d5", T0 + 5 * HOUR, "dispute", "q5", "j5", "c1", "f5", "f5")]


@pytest.mark.parametrize("batch", [1, 2, 5])
@pytest.mark.parametrize("subjects", ["soon", "late"])
def test_a_risky_client_escalates_the_same_however_its_ratings_are_batched(batch, subjects):
    """The ratings received in event time (as the worker's reorder window delivers them), in
    batches of any size, sent on soon or late."""
    expected = in_time_order(RISKY)
    (esc,) = expected.values()
    assert (esc["account_id"], esc["policies"], esc["trigger_event_id"], esc["ts"]) == (
        "c1", ["client_risk"], "fb3", T0 + 3 * HOUR)
    assert esc["reasons"] == ["3 past freelancers rated this client 2.67 stars on average over 3 contracts (3.40 "
                              "shrunk towards a typical 4.5, at or under 3.9 is a risk), with 0 disputes"]
    assert run(RISKY, ["f1", "f2", "f3", "f4", "f5"], batch, subjects) == expected


@pytest.mark.parametrize("batch", [1, 2, 5])
@pytest.mark.parametrize("subjects", ["soon", "late", "late-reversed"])
def test_a_rating_received_late_adds_the_finding_it_decides_and_loses_none(batch, subjects):
    """Out of event time, a finding made before an earlier rating arrived stays (a finding is not
    taken back), and the one that rating decides is added: the live run's is never lost, and no
    id carries two contents (`run` checks)."""
    (live,) = in_time_order(RISKY).items()
    for order in itertools.permutations(["f1", "f2", "f3", "f4", "f5"]):
        got = run(RISKY, order, batch, subjects)
        assert got[live[0]] == live[1], order
        assert all((e["account_id"], e["policies"]) == ("c1", ["client_risk"]) for e in got.values()), order


# c1 writes to f1, who answers an hour later; after their contract ended c1 writes twice a day
# for four days, insults among pleas, and f1 never answers again.
PLEAS = ["answer me", "You are a useless idiot.", "why are you ignoring me?", "Hello??"]
PESTER = [message(0, T0, "c1", "f1", "Thanks for applying, when can you start?"),
          message(1, T0 + HOUR, "f1", "c1", "Tomorrow morning works for me."),
          *(message(2 + i, T0 + 2 * HOUR + i * 12 * HOUR, "c1", "f1", PLEAS[i % 4], stage="ended")
            for i in range(8))]


@pytest.mark.parametrize("batch", [1, 3, 10])
@pytest.mark.parametrize(("order", "subjects"), [(["f1", "c1"], "soon"), (["f1", "c1"], "late"),
                                                 (["c1", "f1"], "late"), (["c1", "f1"], "late-reversed")])
def test_an_unanswered_streak_escalates_the_same_however_the_reply_is_told(batch, order, subjects):
    """The reply's notice before or after c1's later messages: the streak is found at the same
    message, and it is escalated apart, so c1's harassment escalations for the insults do not
    change with when it arrives. (The recipient itself is read before the check reaches it, as
    the worker's reorder delivers a partition's subject events behind its own earlier events.)"""
    expected = in_time_order(PESTER)
    streak = [e for e in expected.values() if e["evidence"][0]["detector"] == "unanswered_messages"]
    assert [(e["account_id"], len(e["evidence"]), e["trigger_event_id"]) for e in streak] == [("c1", 1, "m7")]
    assert len(expected) > 1  # and the insults' own
    assert run(PESTER, order, batch, subjects) == expected


# f1 sends a first message to fourteen clients within an hour, then asks one of them to pay and
# talk off the platform; none had applied to its jobs.
HELLO = "Hi, I saw your job post. Are you still looking for someone?"
SPAM = "I can build this for you cheaply: pay me by PayPal and contact me on telegram @quickdev, not here"
FANOUT = [*(message(i, T0 + i * 240_000, "f1", f"c{i}", HELLO) for i in range(14)),
          message(14, T0 + 2 * HOUR, "f1", "c0", SPAM)]


@pytest.mark.parametrize("batch", [1, 4, 15])
@pytest.mark.parametrize("subjects", ["soon", "late", "late-reversed"])
def test_a_fanout_escalates_the_same_however_the_answers_come(batch, subjects):
    """The clients' answers before or after f1's later messages, in any order: the crossing is
    found at the thirteenth message, escalated apart, and f1's escalation for the off-platform ask
    stays as it is."""
    expected = in_time_order(FANOUT)
    crossing = [e for e in expected.values() if e["evidence"][0]["detector"] == "first_message_fanout"]
    assert [(e["account_id"], len(e["evidence"]), e["trigger_event_id"]) for e in crossing] == [("f1", 1, "m12")]
    assert len(expected) > 1  # and the texts' own
    assert run(FANOUT, ["f1", *(f"c{i}" for i in range(14))], batch, subjects) == expected
