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
