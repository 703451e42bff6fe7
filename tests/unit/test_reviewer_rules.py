"""Reviewers' verdicts in the rules: floors, demotion to shadow, and dismissed evidence."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scoring import score
from scoring.records import SubjectEvent
from scoring.rules import RulesError, below_floor, parse_rules, precision, rule_of
from scoring.signals import Signal
from scoring.state import AccountState
from scoring.step import step
from streams.batch.schemas import DECISION_SCHEMA, INPUT_SCHEMAS, Rejected, subjects
from tests.unit.test_rules import _edit, default_doc

HOUR = 3_600_000


def test_reviewer_section_and_per_rule_floor():
    doc = _edit(("detectors", "text_insult", "precision_floor"), 0.8)
    rules = parse_rules(doc)
    assert rules.reviewer.min_decisions == 20
    assert rules.precision_floor("text_insult") == 0.8
    assert rules.precision_floor("message_burst") == rules.reviewer.floor == 0.5


def test_without_a_reviewer_section_nothing_is_ever_demoted():
    doc = default_doc()
    del doc["reviewer"]
    rules = parse_rules(doc)
    assert not below_floor(rules, "text_insult", confirmed=0, dismissed=1000)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("reviewer", "precision_floor"), 1.5, "rule 'reviewer'.*'precision_floor' must be between 0 and 1"),
        (("reviewer", "min_decisions"), 2.5, "rule 'reviewer'.*'min_decisions' must be a whole number"),
        (("reviewer", "min_decisions"), None, "rule 'reviewer'.*'min_decisions'"),
        (("detectors", "text_insult", "precision_floor"), -0.1, "detectors.text_insult.*'precision_floor'"),
    ],
)
def test_invalid_reviewer_fields_are_named(path, value, message):
    with pytest.raises(RulesError, match=message):
        parse_rules(_edit(path, value))


@pytest.mark.parametrize(
    ("confirmed", "dismissed", "demote"),
    [(0, 19, False),  # too few verdicts
     (9, 11, True),  # 0.45 over 20
     (10, 10, False),  # at the floor
     (20, 0, False)],
)
def test_below_floor_needs_enough_verdicts(confirmed, dismissed, demote):
    assert below_floor(parse_rules(default_doc()), "text_insult", confirmed, dismissed) is demote


def test_precision_of_no_verdicts_is_unknown():
    assert precision(0, 0) is None
    assert precision(3, 1) == 0.75


def test_a_demoted_rule_is_shadow_and_an_off_rule_stays_off():
    rules = parse_rules(_edit(("detectors", "message_burst", "mode"), "off")).with_demoted(
        frozenset({"text_provider_ask", "message_burst"}))
    assert rules.is_shadow("text_provider_ask.payment_provider_intent")
    assert not rules.is_shadow("text_pay_directly.payment_direct")
    assert not rules.is_shadow("message_burst")
    assert rules.detector("message_burst") is None
    assert not rules.is_shadow("first_message_fanout")
    assert rule_of("duplicate_account.shared_fingerprint") == "duplicate_account"


def sig(policy, weight, ts, event):
    return Signal(policy, "text_provider_ask.payment_provider_intent", weight, "why", event, ts)


def test_dismissal_takes_the_evidence_up_to_the_escalation_out_of_the_score():
    rules = parse_rules(default_doc())
    state = AccountState()
    score.score(state, [sig("off_platform_payment", 1.0, 0, "e1"), sig("off_platform_payment", 1.0, HOUR, "e2")],
                rules)
    score.score(state, [sig("off_platform_payment", 0.5, 3 * HOUR, "e3")], rules)
    score.dismiss(state, "off_platform_payment", 2 * HOUR, rules)
    value, ts = state.scores["off_platform_payment"]
    assert (value, ts) == (0.5, 3 * HOUR)
    assert [i["event_id"] for i in state.evidence["off_platform_payment"]] == ["e3"]
    score.dismiss(state, "off_platform_payment", 2 * HOUR, rules)  # re-delivered: no change
    assert state.scores["off_platform_payment"] == [0.5, 3 * HOUR]


def test_later_evidence_keeps_counting_decayed_to_the_score_time():
    rules = parse_rules(default_doc())
    state = AccountState()
    score.score(state, [sig("harassment", 1.0, 0, "e1"), sig("harassment", 1.0, rules.half_life_ms, "e2")], rules)
    score.dismiss(state, "harassment", -1, rules)  # nothing dismissed
    assert state.scores["harassment"][0] == pytest.approx(1.5)


def spam_dismissed_at_10():
    """Rules, a state with one spam_scam signal at t=10, and the dismissal of its escalation."""
    rules = parse_rules(default_doc())
    state = AccountState()
    score.score(state, [sig("spam_scam", 2.0, 10, "e1")], rules)
    event = SubjectEvent("dismissal:x:spam_scam", 10, "dismissed", "f1", "unknown", "", "reviewer-7",
                         policy="spam_scam")
    return rules, state, event


def test_a_dismissed_subject_event_goes_through_step_and_its_schema():
    rules, state, event = spam_dismissed_at_10()
    decoded = INPUT_SCHEMAS["subjects"].decode(subjects.encode(event), 1000)
    assert decoded == event
    outcome = step(state, decoded, rules)
    assert (outcome.signals, outcome.escalations) == ([], [])
    assert state.scores["spam_scam"][0] == 0


def test_subject_events_without_a_policy_encode_as_before():
    event = SubjectEvent("e", 1, "replied", "c1", "client", "", "f1", room_id="r1")
    assert b"policy" not in subjects.encode(event)
    assert INPUT_SCHEMAS["subjects"].decode(subjects.encode(event), 1000) == event


def test_decisions_decode_and_reject():
    raw = b'{"escalation_id": "abc", "decision": "dismissed", "reviewer": "r1", "reason": "joke"}'
    d = DECISION_SCHEMA.decode(raw, 1000)
    assert (d.escalation_id, d.decision, d.reviewer, d.reason) == ("abc", "dismissed", "r1", "joke")
    with pytest.raises(Rejected) as exc:
        DECISION_SCHEMA.decode(b'{"escalation_id": "abc", "decision": "maybe", "reviewer": "r1"}', 1000)
    assert exc.value.reason == "unknown_type"


def test_exemptions_parse_and_apply_per_account_and_per_rule():
    doc = default_doc()
    doc["exemptions"] = {"accounts": ["c-enterprise"], "relationships": [["f-own", "c-own"]]}
    doc["detectors"]["message_burst"]["exempt_accounts"] = ["f-support-bot"]
    rules = parse_rules(doc)
    assert rules.exempt("c-enterprise", "text_provider_ask.payment_provider_intent")
    assert rules.exempt("f-support-bot", "message_burst.per_minute")
    assert not rules.exempt("f-support-bot", "text_provider_ask.payment_provider_intent")
    assert rules.contact_allowed("c-own", "f-own") and rules.contact_allowed("f-own", "c-own")
    assert not rules.contact_allowed("f-own", "c-other")


@pytest.mark.parametrize(
    ("exemptions", "message"),
    [({"accounts": "c-1"}, "'accounts' must be a list of account ids"),
     ({"relationships": [["f-1"]]}, "'relationships' must be a list of \\[freelancer, client\\] id pairs"),
     ({"relationships": [["f-1", 2]]}, "'relationships'")],
)
def test_invalid_exemptions_are_named(exemptions, message):
    doc = default_doc()
    doc["exemptions"] = exemptions
    with pytest.raises(RulesError, match=f"rule 'exemptions'.*{message}"):
        parse_rules(doc)


def _message(i, sender, recipient, text):
    from scoring.records import Message

    return Message(event_id=f"{sender}-{i}", ts=1_000 + i, room_id=f"{sender}:{recipient}", sender_id=sender,
                   recipient_id=recipient, text=text, contract_stage="pre_contract")


def test_an_allow_listed_account_is_never_scored_but_its_hits_are_kept_apart():
    doc = default_doc()
    doc["exemptions"] = {"accounts": ["f-vip"], "relationships": []}
    rules = parse_rules(doc)
    text = "pay me on p@yp@l so we skip the fees"
    vip = step(AccountState(), _message(0, "f-vip", "c-1", text), rules)
    other = step(AccountState(), _message(0, "f-x", "c-1", text), rules)
    assert vip.exempt and not vip.signals and not vip.escalations
    assert other.signals and not other.exempt


def test_contact_between_a_listed_relationship_is_allowed_before_a_contract():
    doc = default_doc()
    doc["exemptions"] = {"accounts": [], "relationships": [["f-own", "c-own"]]}
    rules = parse_rules(doc)
    text = "my email is jane.doe@gmail.com, write me there"
    own = step(AccountState(), _message(0, "f-own", "c-own", text), rules)
    stranger = step(AccountState(), _message(0, "f-own", "c-new", text), rules)
    assert not [s for s in own.signals if s.policy == "off_platform_contact"]
    assert [s for s in stranger.signals if s.policy == "off_platform_contact"]


def test_a_re_delivered_dismissal_after_newer_signals_changes_nothing():
    rules, state, dismissal = spam_dismissed_at_10()
    step(state, dismissal, rules)
    score.score(state, [sig("spam_scam", 0.3, 20 + i, f"n{i}") for i in range(7)], rules)
    before = list(state.scores["spam_scam"])
    step(state, dismissal, rules)
    assert state.scores["spam_scam"] == before


def test_a_decision_without_its_own_time_is_timed_by_its_record():
    from streams.worker.agents.reviewer import stamped

    raw = b'{"escalation_id": "e1", "decision": "dismissed", "reviewer": "r1"}'
    untimed = DECISION_SCHEMA.decode(raw, 1000)
    assert stamped(untimed, 1_700_000_000_000).ts == 1_700_000_000_000
    timed = DECISION_SCHEMA.decode(raw[:-1] + b', "ts": 5}', 1000)
    assert stamped(timed, 1_700_000_000_000).ts == 5
    with pytest.raises(Rejected, match="ts must be <="):
        DECISION_SCHEMA.decode(raw[:-1] + b', "ts": 9223372036854775808}', 1000)


ESCALATION = {
    "account_id": "f1", "policies": ["off_platform_contact", "spam_scam"], "ts": 100,
    "rules": ["text_contact_detail", "text_scam_script", "unanswered_burst"],
    "rule_policies": {"text_contact_detail": ["off_platform_contact"], "text_scam_script": ["spam_scam"],
                      "unanswered_burst": ["off_platform_contact", "spam_scam"]},
    "texts": [{"policy": "off_platform_contact", "event_id": "m1", "kind": "message", "body": "mail me",
               "model_version": "t1"},
              {"policy": "spam_scam", "event_id": "m2", "kind": "message", "body": "win a prize",
               "model_version": "t1"}],
}


def _decision(decision: str, policy: str | None = None):
    raw = {"escalation_id": "e1", "decision": decision, "reviewer": "r1"}
    if policy:
        raw["policy"] = policy
    import orjson

    return DECISION_SCHEMA.decode(orjson.dumps(raw), 1000)


def test_a_verdict_on_one_policy_counts_labels_and_dismisses_that_policy_only():
    from streams.training.verdicts import entries
    from streams.worker.agents.reviewer import dismissals, rules_decided

    scam_dismissed = _decision("dismissed", "spam_scam")
    assert rules_decided(scam_dismissed, ESCALATION) == ["text_scam_script", "unanswered_burst"]
    assert [f.policy for f in dismissals(scam_dismissed, ESCALATION)] == ["spam_scam"]
    assert list(entries(scam_dismissed, ESCALATION)) == ["e1:m2:spam_scam"]

    both = _decision("dismissed")
    assert rules_decided(both, ESCALATION) == ESCALATION["rules"]
    assert [f.policy for f in dismissals(both, ESCALATION)] == ["off_platform_contact", "spam_scam"]
    assert sorted(entries(both, ESCALATION)) == ["e1:m1:off_platform_contact", "e1:m2:spam_scam"]


def test_dismissing_a_finding_escalated_apart_leaves_the_accounts_score_of_its_policy():
    """A fan-out finding is escalated on its own; the scam text scored before it was never part
    of that escalation, and a reviewer dismissing the fan-out must not erase it."""
    from scoring import escalation
    from streams.adapters.profiles import reviewed
    from streams.worker.agents.reviewer import dismissals

    rules = parse_rules(default_doc())
    state = AccountState()
    score.score(state, [Signal("spam_scam", "text_scam_script.scam_prize", 1.5, "scam text", "m1", HOUR)], rules)
    fanout = Signal("spam_scam", "first_message_fanout", 1.0, "first messages to 13 people", "m9", 2 * HOUR)
    (apart,) = escalation.alone("f1", [fanout], rules, 2 * HOUR, "m9")
    assert dismissals(_decision("dismissed"), reviewed(apart)) == []
    assert [i["event_id"] for i in state.evidence["spam_scam"]] == ["m1"]
    (notice,) = dismissals(_decision("dismissed"), reviewed(replace(apart, apart=False)))
    step(state, notice, rules)
    assert state.evidence["spam_scam"] == []  # one made from the score still takes the evidence up to it


def test_a_verdict_names_a_policy_of_the_vocabulary_or_none():
    assert _decision("confirmed", "harassment").policy == "harassment"
    assert _decision("confirmed").policy == ""
    with pytest.raises(Rejected):
        _decision("confirmed", "rudeness")


def test_of_one_batchs_verdicts_on_one_field_the_one_decided_last_is_written():
    from streams.adapters.later import latest

    items = [("e1:*", b"b", 2000), ("e1:*", b"a", 1000), ("e2:*", b"c", 5), ("e2:*", b"d", 5)]
    assert sorted(latest(items)) == [("e1:*", b"b", 2000), ("e2:*", b"d", 5)]  # a tie: the last given


def test_a_reinstated_rule_is_measured_on_escalations_published_after_it_only():
    from streams.worker.agents.reviewer import counted

    since = {"message_burst": 5_000}
    assert counted(["message_burst", "text_insult"], {"published_ms": 4_999}, since) == ["text_insult"]
    assert counted(["message_burst"], {"published_ms": 5_000}, since) == ["message_burst"]
    assert counted(["message_burst"], {}, since) == []  # stored before publication times were kept
    assert counted(["message_burst"], {}, {}) == ["message_burst"]


@pytest.mark.parametrize(
    ("stored", "policy", "stands"),
    [
        ({}, "spam_scam", True),
        ({"*": {"decision": "dismissed", "ts": 100}}, "spam_scam", True),  # itself
        ({"*": {"decision": "confirmed", "ts": 200}}, "spam_scam", False),  # confirmed later, whole
        ({"*": {"decision": "dismissed", "ts": 100}, "spam_scam": {"decision": "confirmed", "ts": 200}},
         "spam_scam", False),  # the policy confirmed later
        ({"*": {"decision": "dismissed", "ts": 100}, "spam_scam": {"decision": "confirmed", "ts": 200}},
         "harassment", True),  # another policy: the dismissal stands there
    ],
)
def test_a_dismissal_takes_evidence_out_only_where_no_later_verdict_covers_the_policy(stored, policy, stands):
    from scoring.records import Decision
    from streams.worker.agents.reviewer import standing

    assert standing(Decision("e1", "dismissed", "r", ts=100), stored, policy) is stands
