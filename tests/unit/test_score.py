import pytest

from scoring import score
from scoring.escalation import escalation_id
from scoring.signals import Signal
from scoring.state import AccountState
from tests.unit.helpers import rules

RULES = rules()
DAY = 86_400_000


def sig(policy, weight, ts):
    return Signal(policy, "test", weight, "why", f"e{ts}", ts)


def test_scores_decay_by_half_life():
    state = AccountState()
    score.score(state, [sig("harassment", 1.0, 0)], RULES)
    touched = score.score(state, [sig("harassment", 0.0, RULES.half_life_ms)], RULES)
    assert touched["harassment"] == pytest.approx(0.5)


@pytest.mark.parametrize(("weight", "due"), [(0.5, []), (1.0, ["harassment"])])
def test_decide_against_threshold(weight, due):
    state = AccountState()
    touched = score.score(state, [sig("harassment", weight, 0)], RULES)
    assert score.decide(state, touched, 0, RULES) == due


def test_cooldown_allows_one_escalation_per_period():
    state = AccountState()
    first = score.decide(state, score.score(state, [sig("spam_scam", 2, 0)], RULES), 0, RULES)
    again = score.decide(state, score.score(state, [sig("spam_scam", 2, 10)], RULES), 10, RULES)
    later_ts = RULES.cooldown_ms + 10
    later = score.decide(
        state, score.score(state, [sig("spam_scam", 2, later_ts)], RULES), later_ts, RULES
    )
    assert (first, again, later) == (["spam_scam"], [], ["spam_scam"])


def test_escalation_id_is_deterministic_and_distinguishes_inputs():
    a = escalation_id("f1", [("harassment", 3), ("spam_scam", 3)], "v1")
    assert a == escalation_id("f1", [("spam_scam", 3), ("harassment", 3)], "v1")
    assert a != escalation_id("f1", [("harassment", 4), ("spam_scam", 3)], "v1")
    assert a != escalation_id("f2", [("harassment", 3), ("spam_scam", 3)], "v1")
    assert a != escalation_id("f1", [("harassment", 3), ("spam_scam", 3)], "v2")
