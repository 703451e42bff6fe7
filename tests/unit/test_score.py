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


def test_a_score_is_the_same_whatever_order_its_signals_come_in():
    """A signal from before the score's time (told late from another partition) counts decayed to
    it: the sum is the same as in event time."""
    signals = [sig("spam_scam", w, t) for w, t in ((1.0, 0), (0.7, DAY // 3), (1.3, DAY), (0.4, 2 * DAY))]
    exact = sum(s.weight * 0.5 ** ((2 * DAY - s.ts) / RULES.half_life_ms) for s in signals)
    for order in ([0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1], [1, 3, 0, 2]):
        state = AccountState()
        for i in order:
            score.score(state, [signals[i]], RULES)
        value, at = state.scores["spam_scam"]
        assert at == 2 * DAY
        assert value == pytest.approx(exact, abs=1e-5), order  # kept to 6 decimals at each step


@pytest.mark.parametrize(("weight", "due"), [(0.5, []), (1.0, ["harassment"])])
def test_decide_against_threshold(weight, due):
    state = AccountState()
    touched = score.score(state, [sig("harassment", weight, 0)], RULES)
    assert score.decide(state, touched, 0, RULES) == due


def test_cooldown_allows_one_escalation_per_period():
    state = AccountState()
    first = score.decide(state, score.score(state, [sig("spam_scam", 1.0, 0)], RULES), 0, RULES)
    again = score.decide(state, score.score(state, [sig("spam_scam", 0.5, 10)], RULES), 10, RULES)
    later_ts = RULES.cooldown_ms + 10
    later = score.decide(
        state, score.score(state, [sig("spam_scam", 2, later_ts)], RULES), later_ts, RULES
    )
    assert (first, again, later) == (["spam_scam"], [], ["spam_scam"])


def test_much_stronger_evidence_in_the_cooldown_gets_a_follow_up_once_per_band():
    state = AccountState()
    first = score.decide(state, score.score(state, [sig("spam_scam", 1.0, 0)], RULES), 0, RULES)  # low
    same_band = score.decide(state, score.score(state, [sig("spam_scam", 0.5, 1)], RULES), 1, RULES)
    assert (first, same_band, score.follow_up(state, "spam_scam")) == (["spam_scam"], [], 0)
    higher = score.decide(state, score.score(state, [sig("spam_scam", 2.5, 2)], RULES), 2, RULES)  # high
    assert (higher, score.follow_up(state, "spam_scam")) == (["spam_scam"], 1)
    again = score.decide(state, score.score(state, [sig("spam_scam", 0.1, 3)], RULES), 3, RULES)
    assert again == []
    next_period = RULES.cooldown_ms + 10
    fresh = score.decide(state, score.score(state, [sig("spam_scam", 0.0, next_period)], RULES), next_period,
                         RULES)
    assert (fresh, score.follow_up(state, "spam_scam")) == (["spam_scam"], 0)


def test_follow_ups_get_their_own_id_and_the_first_keeps_the_old_one():
    base = escalation_id("a", [("spam_scam", 5)], "v1")
    assert escalation_id("a", [("spam_scam", 5)], "v1", {"spam_scam": 0}) == base
    assert escalation_id("a", [("spam_scam", 5)], "v1", {"spam_scam": 1}) != base


def test_a_state_kept_before_bands_gets_no_follow_up():
    state = AccountState(escalated={"spam_scam": 0})
    assert score.decide(state, score.score(state, [sig("spam_scam", 9.0, 5)], RULES), 5, RULES) == []


def test_escalation_id_is_deterministic_and_distinguishes_inputs():
    a = escalation_id("f1", [("harassment", 3), ("spam_scam", 3)], "v1")
    assert a == escalation_id("f1", [("spam_scam", 3), ("harassment", 3)], "v1")
    assert a != escalation_id("f1", [("harassment", 4), ("spam_scam", 3)], "v1")
    assert a != escalation_id("f2", [("harassment", 3), ("spam_scam", 3)], "v1")
    assert a != escalation_id("f1", [("harassment", 3), ("spam_scam", 3)], "v2")
