"""A standing finding made before an earlier rating arrived, withdrawn when it does: the record
names the escalation it withdraws, goes where that one went, and says why."""

from __future__ import annotations

import random

import jsonschema
import orjson
import pytest

from scoring.escalation import in_force
from scoring.records import SubjectEvent
from scoring.state import AccountState
from scoring.step import step
from streams.batch.rules_file import parse_text
from streams.batch.schemas.outputs import ESCALATION_SCHEMA
from streams.commands.backtest import Backtest
from streams.worker.agents.score import shadow_bytes
from streams.worker.settings import DEFAULT_RULES
from tests.unit.helpers import rules

RULES = rules()
LOW = "[detectors.low_quality]\n"


def bad_outcome(i: int) -> SubjectEvent:
    return SubjectEvent(f"r{i}", i * 60_000, "rated", "f1", "freelancer", f"k{i}", f"c{i}", 1)


def escalations(events, rules=RULES) -> list[list[dict]]:
    state = AccountState()
    return [[e.to_dict() for e in step(state, ev, rules).escalations] for ev in events]


def test_the_withdrawal_names_the_escalation_made_before_the_late_rating():
    at_r4, at_r1 = escalations([bad_outcome(i) for i in (2, 3, 4, 1)])[2:]
    (made,) = at_r4
    found, gone = sorted(at_r1, key=lambda e: "withdraws" in e)
    assert "withdraws" not in made and found["trigger_event_id"] == "r3"
    assert gone["withdraws"] == made["escalation_id"] != gone["escalation_id"]
    assert (gone["policies"], gone["severity"], gone["score"]) == (made["policies"], made["severity"], made["score"])
    assert (gone["trigger_event_id"], gone["ts"]) == ("r1", 60_000)
    assert gone["reasons"][0].startswith("withdrawn: event r1, a rating or dispute dated before event r4")
    jsonschema.validate(gone, ESCALATION_SCHEMA)


def test_a_finding_escalated_in_time_order_has_the_id_it_has_out_of_order():
    """The escalation of the finding at r3 is the same however the ratings came."""
    in_order = [e for out in escalations([bad_outcome(i) for i in (1, 2, 3, 4)]) for e in out]
    late = [e for out in escalations([bad_outcome(i) for i in (2, 3, 4, 1)]) for e in out]
    (kept,) = [e for e in late if e["trigger_event_id"] == "r3"]
    assert in_order == [kept]


SHADOW = parse_text(DEFAULT_RULES.read_text().replace(LOW, LOW + 'mode = "shadow"\n'), RULES.text_model)


def test_a_shadow_rule_withdraws_nothing_it_never_escalated():
    assert escalations([bad_outcome(i) for i in (2, 3, 4, 1)], SHADOW) == [[], [], [], []]


def test_a_shadow_finding_withdrawn_is_withdrawn_on_the_shadow_topic():
    state = AccountState()
    outcomes = [step(state, bad_outcome(i), SHADOW) for i in (2, 3, 4, 1)]
    (made,) = [s for s in outcomes[2].shadow if s.finding]
    late = outcomes[3]
    assert [w.finding for w in late.shadow_withdrawn] == [made.finding]
    assert [s.event_id for s in late.shadow if s.finding] == ["r3"]  # the finding in time order
    record = orjson.loads(shadow_bytes("f1", late.shadow_withdrawn[0]))
    assert record["withdraws"] == orjson.loads(shadow_bytes("f1", made))["finding"] == made.finding
    assert (record["account_id"], record["event_id"], record["policy"]) == ("f1", "r1", made.policy)
    assert record["reason"].startswith("withdrawn: event r1")
    assert [o.shadow_withdrawn for o in outcomes[:3]] == [[], [], []]


def ring_notice(minute: int) -> SubjectEvent:
    return SubjectEvent(f"n{minute}", minute * 60_000, "ring", "a", "unknown", "", "", detail="a\tk1\tb\tk2")


def test_a_ring_closed_again_at_an_earlier_rating_withdraws_the_later_one():
    later, earlier, again = escalations([ring_notice(9), ring_notice(5), ring_notice(7)])
    (first,) = later
    found, gone = sorted(earlier, key=lambda e: "withdraws" in e)
    assert gone["withdraws"] == first["escalation_id"] and found["trigger_event_id"] == "n5"
    assert gone["reasons"][0].startswith("withdrawn: the same ring closed at an earlier rating (notice n5)")
    assert again == []
    in_order = [e for out in escalations([ring_notice(5), ring_notice(9)]) for e in out]
    assert in_order == [found]


def consumed(events, rules=RULES) -> dict[str, dict]:
    """What a consumer keeps reading the records in the order published: duplicates by id
    dropped, withdrawn escalations and the withdrawals left out."""
    seen: dict[str, dict] = {}
    for out in escalations(events, rules):
        for record in out:
            seen.setdefault(record["escalation_id"], record)
    assert {e["withdraws"] for e in seen.values() if "withdraws" in e} <= seen.keys(), \
        "a withdrawal of an escalation never published"
    return in_force(seen)


def received(i: int, stars: int | None, role: str, rater: str) -> SubjectEvent:
    subject = "c1" if role == "client" else "f1"
    if stars is None:
        return SubjectEvent(f"d{i}", i * 60_000, "disputed", subject, role, f"k{i}", rater)
    return SubjectEvent(f"r{i}", i * 60_000, "rated", subject, role, f"k{i}", rater, stars)


@pytest.mark.parametrize("seed", range(60))
def test_a_consumer_keeps_what_the_time_order_publishes_whatever_the_arrival_order(seed):
    rng = random.Random(seed)
    stars = [rng.choice([1, 1, 2, 3, 4, 5, 5, 5, None]) for _ in range(rng.randint(3, 30))]
    for role in ("client", "freelancer"):
        events = [received(i, s, role, f"o{rng.randint(0, 6)}") for i, s in enumerate(stars)]
        assert consumed(rng.sample(events, len(events))) == consumed(events)


def test_a_finding_withdrawn_and_true_again_is_published_anew():
    """Bad outcomes first, then the good ratings from before them, in time order: the record at
    the last bad outcome stops being poor and is poor again, in other words."""
    bad = [received(i, 1, "freelancer", f"o{i}") for i in range(13, 19)]
    good = [received(i, 5, "freelancer", f"o{i}") for i in range(1, 13)]
    assert consumed(bad + good) == consumed(good + bad)


def test_what_was_published_is_withdrawn_whatever_the_rules_say_since():
    """Escalated under active rules, withdrawn after the reviewers demoted the rule to shadow (the
    version stays); made in shadow, nothing to withdraw once the rule is active again."""
    demoted = RULES.with_demoted(frozenset({"low_quality"}))
    state = AccountState()
    made = [step(state, bad_outcome(i), RULES).escalations for i in (2, 3, 4)]
    late = step(state, bad_outcome(1), demoted).escalations
    assert [e.withdraws for e in late] == [made[2][0].escalation_id]
    state = AccountState()
    for i in (2, 3, 4):
        assert step(state, bad_outcome(i), demoted).escalations == []
    late = step(state, bad_outcome(1), RULES)
    assert [e.withdraws for e in late.escalations] == [""]  # the finding at r3, escalated
    assert len(late.shadow_withdrawn) == 1  # the one made in shadow is withdrawn where it went


def test_a_backtest_keeps_what_is_in_force_and_counts_what_was_withdrawn():
    state = AccountState()
    outs = [step(state, bad_outcome(i), RULES).escalations for i in (2, 3, 4, 1)]
    apart, together = Backtest(), Backtest()
    for out in outs:
        apart.add(out)
    together.add([e for out in outs for e in out])
    for run in (apart, together):
        assert ([e.trigger_event_id for e in run.escalations], run.withdrawn) == (["r3"], 1)
