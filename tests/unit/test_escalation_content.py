"""An escalation id names one content: the same decision replayed has the same id, a different
decision in the same cooldown period (events that arrived otherwise) has another."""

from __future__ import annotations

from scoring import score
from scoring.escalation import build
from scoring.signals import Signal
from scoring.state import AccountState
from tests.unit.helpers import rules

RULES = rules()


def escalate(weights: list[float]) -> dict:
    state = AccountState()
    signals = [Signal("spam_scam", "test", w, f"why {i}", f"e{i}", i) for i, w in enumerate(weights)]
    touched = score.score(state, signals, RULES)
    due = score.decide(state, touched, len(weights), RULES)
    assert due == ["spam_scam"]
    return build("f1", due, touched, state, RULES, len(weights), f"e{len(weights) - 1}").to_dict()


def test_the_same_decision_replayed_has_the_same_id_and_content():
    assert escalate([1.0]) == escalate([1.0])


def test_a_different_decision_in_the_same_period_never_shares_its_id():
    # The same account's first escalation of a period, from events that arrived otherwise: a
    # weak one and a strong one can no longer go out under one id.
    weak, strong = escalate([1.65]), escalate([1.65, 8.35])
    assert (weak["follow_up"], strong["follow_up"]) == (0, 0)
    assert weak["severity"] != strong["severity"]
    assert weak["escalation_id"] != strong["escalation_id"]


def _late_finding_escalation() -> dict:
    """Five signals kept, then a finding told late, older than all of them, that makes the
    escalation (as a fan-out crossing does when its last answer arrives)."""
    state = AccountState()
    newer = [Signal("spam_scam", "test", 0.1, f"newer {i}", f"n{i}", 100 + i) for i in range(5)]
    score.score(state, newer, RULES)
    late = Signal("spam_scam", "late_finding", 9.0, "the late finding", "old", 50)
    touched = score.score(state, [late], RULES)
    due = score.decide(state, touched, late.ts, RULES)
    assert due == ["spam_scam"]
    return build("f1", due, touched, state, RULES, late.ts, late.event_id, [late]).to_dict()


def test_an_escalation_shows_the_finding_it_is_made_on_even_when_told_late():
    esc = _late_finding_escalation()
    assert [e["event_id"] for e in esc["evidence"]] == ["old", "n1", "n2", "n3", "n4"]
    assert "the late finding" in esc["reasons"]


def test_the_kept_evidence_is_unchanged_when_it_holds_the_cause():
    state = AccountState()
    signals = [Signal("spam_scam", "test", 2.0, f"why {i}", f"e{i}", i) for i in range(7)]
    touched = score.score(state, signals, RULES)
    due = score.decide(state, touched, 6, RULES)
    esc = build("f1", due, touched, state, RULES, 6, "e6", signals[-1:]).to_dict()
    assert [e["event_id"] for e in esc["evidence"]] == ["e2", "e3", "e4", "e5", "e6"]


def test_every_cause_shows_when_several_are_told_late_at_once():
    state = AccountState()
    newer = [Signal("spam_scam", "test", 0.1, f"newer {i}", f"n{i}", 100 + i) for i in range(4)]
    score.score(state, newer, RULES)
    late = [Signal("spam_scam", "late", 4.5, f"late {i}", f"old{i}", 50 + 10 * i) for i in range(2)]
    touched = score.score(state, late, RULES)
    due = score.decide(state, touched, 60, RULES)
    esc = build("f1", due, touched, state, RULES, 60, "old1", late).to_dict()
    assert [e["event_id"] for e in esc["evidence"]] == ["old0", "old1", "n1", "n2", "n3"]


def test_a_score_its_evidence_does_not_add_up_to_says_how_much_comes_from_signals_not_shown():
    seven = escalate([0.5] * 7)  # seven signals a millisecond apart: the newest five are kept
    assert len(seven["evidence"]) == 5 and seven["score"] == 3.5
    assert seven["reasons"][-1] == ("spam_scam score 3.5: 1.00 of it from earlier signals not shown (only the "
                                   "newest are), each weighing half as much every 72 hours")
    one = escalate([1.0])
    assert not any("not shown" in r for r in one["reasons"])  # all of it shown: nothing to say


def test_the_score_s_own_reason_stays_when_the_size_cap_leaves_out_evidence():
    state = AccountState()
    signals = [Signal("spam_scam", "test", 0.5, f"why {i}", f"e{i}", i) for i in range(7)]
    touched = score.score(state, signals, RULES)
    due = score.decide(state, touched, 7, RULES)
    esc = build("f1", due, touched, state, RULES, 7, "e6")
    trimmed = esc.without_oldest_evidence(RULES)
    assert len(trimmed.evidence) == 4 and trimmed.evidence_omitted == 1
    # the item left out is part of what the score does not show now
    assert [r for r in trimmed.reasons if "not shown" in r] == [
        "spam_scam score 3.5: 1.50 of it from earlier signals not shown (only the newest are), each weighing "
        "half as much every 72 hours"]
