import random

import pytest

from scoring.derive import subject_events
from scoring.detectors import reputation
from scoring.records import ContractEvent, Feedback, SubjectEvent
from scoring.state import AccountState
from tests.unit.helpers import rules

RULES = rules()
LOW, CLIENT = RULES.detector("low_quality"), RULES.detector("client_risk")


def rated(i: int, stars: int, role: str, contract: str | None = None, rater: str = "") -> SubjectEvent:
    return SubjectEvent(f"r{i}", i, "rated", "acct", role, contract or f"k{i}", rater or f"o{i}", stars)


def disputed(i: int, role: str) -> SubjectEvent:
    return SubjectEvent(f"d{i}", i, "disputed", "acct", role, f"k{i}", f"o{i}")


def run(events):
    state, signals = AccountState(), []
    for ev in events:
        signals += reputation.detect_low_quality(state, ev, LOW).signals
        signals += reputation.detect_client_risk(state, ev, CLIENT).signals
    return signals


@pytest.mark.parametrize(
    ("stars", "role", "policy"),
    [
        ([2, 2, 2], "client", "client_risk"),  # 2.0 average over three contracts
        ([4, 4, 3, 4] * 3, "client", "client_risk"),  # 3.75 over many contracts (seed 004)
        ([5, 5, 5, 5, 1], "client", None),  # one unhappy freelancer among many
        ([5, 5, 1], "client", None),  # one unhappy freelancer of three: 3.67 raw, 4.0 shrunk
        ([1, 1], "client", None),  # a new client with almost no history
        ([], "client", None),  # a new client with none
        ([5, 1, 1], "client", "client_risk"),  # two unhappy freelancers of three
        ([1, 2, 1, 5, 5], "freelancer", "low_quality"),
        ([5] * 12 + [1], "freelancer", None),  # one bad review among many good ones
    ],
)
def test_reputation(stars, role, policy):
    signals = run([rated(i, s, role) for i, s in enumerate(stars)])
    assert {s.policy for s in signals} == ({policy} if policy else set())


def test_client_risk_needs_distinct_freelancers():
    one_freelancer = [rated(i, 1, "client", rater="f1") for i in range(5)]
    assert run(one_freelancer) == []
    three = run([*one_freelancer, rated(5, 2, "client", rater="f2"), rated(6, 2, "client", rater="f3")])
    assert [s.policy for s in three] == ["client_risk"]
    assert "3 past freelancers" in three[0].reason
    assert {c.name: c.value for c in three[0].counters}["freelancers_rating"] == 3


def test_redelivered_rating_counts_once():
    events = [rated(0, 2, "client"), rated(1, 2, "client")]
    assert run(events + [rated(1, 2, "client")]) == []


def test_derived_subject_events():
    rating = Feedback("e1", 5, "rating", "k1", "c1", "f1", "client", stars=1)
    assert subject_events(rating) == [
        SubjectEvent("e1", 5, "rated", "f1", "freelancer", "k1", "c1", 1)
    ]
    direct = Feedback("e2", 5, "rating", "k2", "c1", "f1", "client", stars=5, direct_contract=True)
    assert subject_events(direct) == []
    dispute = ContractEvent("e3", 9, "dispute", "k1", "j1", "c1", "f1", actor_id="f1")
    assert subject_events(dispute)[0].subject_id == "c1"
    assert subject_events(dispute)[0].subject_role == "client"


def test_each_role_reads_only_its_own_ratings():
    """An account that is both: 5 stars from its freelancers, 1 star from its clients."""
    as_client = [rated(i, 5, "client", rater=f"f{i}") for i in range(4)]
    as_freelancer = [rated(10 + i, 1, "freelancer", rater=f"c{i}") for i in range(4)]
    signals = run([e for pair in zip(as_client, as_freelancer, strict=True) for e in pair])
    assert {s.policy for s in signals} == {"low_quality"}
    signals = run([rated(i, 1, "client", rater=f"f{i}") for i in range(4)]
                  + [rated(10 + i, 5, "freelancer") for i in range(4)])
    assert {s.policy for s in signals} == {"client_risk"}


def test_a_standing_finding_is_signalled_once_and_again_when_materially_worse():
    poor = [rated(i, 2, "client", rater=f"f{i}") for i in range(8)]
    assert len(run(poor)) == 1  # not at every rating while it holds
    worse = [*poor, *(rated(10 + i, 1, "client", rater=f"g{i}") for i in range(8))]
    assert len(run(worse)) == 2  # the plain average fell from 2.0 to 1.5: half a star
    recovered = [*poor, *(rated(10 + i, 5, "client", rater=f"g{i}") for i in range(40))]
    assert len(run(recovered)) == 1
    again = [*recovered, *(rated(60 + i, 1, "client", rater=f"h{i}") for i in range(12))]
    assert len(run(again)) == 2  # true, false again (40 good ratings), true again


def test_a_rating_received_as_a_client_in_an_older_state_moves_to_its_own_book():
    state = AccountState.from_dict({"rt": {"k1": 2, "k2": 5}, "rr": {"k1": "f9"}})
    assert state.ratings == {"k2": 5} and state.client_ratings == {"k1": [2, "f9"]}


def test_a_poor_record_is_found_at_its_rating_by_event_time():
    """Ratings received in any order are read in event time: the record turns poor at the third
    bad outcome by time, whichever arrived third; a good rating from before it, received late,
    changes what it says there: that finding replaces the one made."""
    state = AccountState()
    events = [rated(3, 2, "freelancer"), rated(5, 5, "freelancer"), rated(1, 1, "freelancer"),
              rated(2, 1, "freelancer"), rated(0, 5, "freelancer")]
    out = [reputation.detect_low_quality(state, ev, LOW) for ev in events]
    assert [[(s.event_id, s.reason.split(" and")[0]) for s in found.signals] for found in out] == [
        [], [], [], [("r3", "received 3 ratings as a freelancer, 3 of 1-2 stars,")],
        [("r3", "received 4 ratings as a freelancer, 3 of 1-2 stars,")]]
    assert [w.finding for w in out[-1].withdrawals] == [out[3].signals[0].finding]
    assert out[-1].signals[0].reason.endswith(": 30% or more of its ratings low")


def made_and_withdrawn(state, events, detect, rule):
    """Per event: the findings made (event id, reason's start) and those withdrawn (event id)."""
    out = []
    for ev in events:
        found = detect(state, ev, rule)
        out.append(([(s.event_id, s.reason.split(" ratings")[0]) for s in found.signals],
                    [w.finding.split(":")[1] for w in found.withdrawals]))
    return out


def test_a_bad_outcome_received_after_a_later_finding_withdraws_it():
    """Bad outcomes at 2, 3 and 4 arrive, the record turns poor at 4; the one at 1 arrives last:
    by event time the record turned poor at 3 and not again at 4, so the finding at 3 is made and
    the one at 4 is withdrawn."""
    events = [rated(i, 1, "freelancer") for i in (2, 3, 4, 1)]
    assert made_and_withdrawn(AccountState(), events, reputation.detect_low_quality, LOW) == [
        ([], []), ([], []), ([("r4", "received 3")], []), ([("r3", "received 3")], ["r4"])]


def test_a_withdrawal_names_the_finding_made_and_says_why():
    state = AccountState()
    made = [reputation.detect_low_quality(state, rated(i, 1, "freelancer"), LOW) for i in (2, 3, 4, 1)]
    (gone,) = made[-1].withdrawals
    assert gone.finding == made[2].signals[0].finding and gone.finding not in state.findings
    assert (gone.event_id, gone.ts, gone.policy) == ("r1", 1, "low_quality")
    assert gone.reason.startswith("withdrawn: event r1, a rating or dispute dated before event r4")


def test_a_redelivered_late_rating_withdraws_nothing_more():
    state = AccountState()
    for i in (2, 3, 4, 1):
        reputation.detect_low_quality(state, rated(i, 1, "freelancer"), LOW)
    again = reputation.detect_low_quality(state, rated(1, 1, "freelancer"), LOW)
    assert (again.signals, again.withdrawals) == ([], [])


def standing(events, detect, rule) -> set[str]:
    """The findings made and not withdrawn, by name, over `events` in the order given."""
    state, kept = AccountState(), set()
    for ev in events:
        found = detect(state, ev, rule)
        kept |= {s.finding for s in found.signals}
        kept -= {w.finding for w in found.withdrawals}
    return kept


@pytest.mark.parametrize("seed", range(40))
def test_findings_kept_are_those_of_the_time_order_whatever_the_arrival_order(seed):
    """Ratings and disputes of distinct times, in a random arrival order: what is made and not
    withdrawn is what reading them in time order makes, for both roles."""
    rng = random.Random(seed)
    stars = [rng.choice([1, 1, 2, 2, 3, 4, 5, 5, None]) for _ in range(rng.randint(3, 24))]
    for role, detect, rule in (("client", reputation.detect_client_risk, CLIENT),
                               ("freelancer", reputation.detect_low_quality, LOW)):
        events = [rated(i, s, role, rater=f"f{rng.randint(0, 6)}") if s else disputed(i, role)
                  for i, s in enumerate(stars)]
        shuffled = rng.sample(events, len(events))
        assert standing(shuffled, detect, rule) == standing(events, detect, rule)


def test_a_late_rating_at_the_same_time_as_a_finding_leaves_it():
    """Ratings of one time are read as they came: the finding at r4 stays."""
    state = AccountState()
    for i in (2, 3, 4):
        reputation.detect_low_quality(state, rated(i, 1, "freelancer"), LOW)
    tied = SubjectEvent("r3z", 4, "rated", "acct", "freelancer", "k9", "o9", 1)
    assert reputation.detect_low_quality(state, tied, LOW).withdrawals == []


def test_ratings_kept_by_an_older_state_read_as_the_earliest():
    state = AccountState.from_dict({"rt": {"k1": 1, "k2": 5}, "d": {"k9": 5}})  # stars and a time alone
    assert [s.event_id for s in reputation.detect_low_quality(state, rated(7, 2, "freelancer"), LOW).signals] == ["r7"]
    assert reputation.detect_low_quality(state, rated(8, 1, "freelancer"), LOW).signals == []  # 4 bad: not 3 more


def test_a_finding_made_before_earlier_outcomes_arrived_is_made_again_with_its_true_measures():
    """In event time the record turns poor at 3 bad outcomes (r3) and worse at 6 (r6). r6
    arrives third and makes a finding of 3; r3 arrives, makes its own and withdraws that one (at
    r6 the record then held 4, no step worse); r4 and r5 arrive, and at r6 the record now holds
    6: that finding is made."""
    events = [rated(i, 1, "freelancer") for i in (1, 2, 6, 3, 4, 5)]
    assert made_and_withdrawn(AccountState(), events, reputation.detect_low_quality, LOW) == [
        ([], []), ([], []), ([("r6", "received 3")], []), ([("r3", "received 3")], ["r6"]), ([], []),
        ([("r6", "received 6")], [])]


def test_ratings_of_one_time_are_read_as_they_came():
    """r3a and r3b have one time: r3b came first and the risk began there; r3a, before it by id,
    changes its average but not the finding made (as before findings carried their measures)."""
    state, made = AccountState(), []
    for ev in [rated(1, 2, "client", rater="o1"), rated(2, 2, "client", rater="o2"),
               SubjectEvent("r3b", 3, "rated", "acct", "client", "k3b", "o3", 2),
               SubjectEvent("r3a", 3, "rated", "acct", "client", "k3a", "o1", 5)]:
        found = reputation.detect_client_risk(state, ev, CLIENT)
        made += [(s.event_id, s.reason.split(" stars")[0]) for s in found.signals]
    assert made == [("r3b", "3 past freelancers rated this client 2.00")]


def test_a_finding_an_older_state_kept_by_its_rating_alone_is_not_made_again():
    state = AccountState()
    for i in (1, 2, 3):
        reputation.detect_low_quality(state, rated(i, 1, "freelancer"), LOW)
    (key,) = [k for k in state.findings if k.startswith("lq:r3:")]
    state.findings["lq:r3"] = state.findings.pop(key)  # as an older release kept it
    assert reputation.detect_low_quality(state, rated(0, 5, "freelancer"), LOW).signals == []
