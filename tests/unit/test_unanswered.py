import pytest

from scoring.derive import reply_notice
from scoring.detectors import unanswered
from scoring.records import SubjectEvent
from scoring.state import AccountState
from tests.unit.helpers import message, rules

RULE = rules().detector("unanswered_messages")
N, DAYS = int(RULE.param("min_messages")), int(RULE.param("min_days"))
DAY, HOUR = 86_400_000, 3_600_000


def reply(ts: int) -> SubjectEvent:
    return SubjectEvent("r", ts, "replied", "f1", "unknown", "", "c1")


def run(items):
    """items: ("m", ts) for a message f1 -> c1, ("r", ts) for a reply from c1."""
    state, signals = AccountState(), []
    for i, (what, ts) in enumerate(items):
        if what == "m":
            signals += unanswered.on_message(state, message(i, ts), RULE)
        else:
            unanswered.on_reply(state, reply(ts))
    return signals


def daily(n: int, start: int = 0) -> list[tuple[str, int]]:
    return [("m", start + i * DAY // 2) for i in range(n)]


@pytest.mark.parametrize(
    ("items", "fires"),
    [
        (daily(2 * DAYS), True),  # twice a day for days, never answered
        (daily(N - 1) + [("m", 40 * DAY)], True),
        ([("m", i * 60_000) for i in range(3 * N)], False),  # all in one day
        (daily(N - 2) + [("r", DAY * 2 + HOUR)] + daily(N - 2, DAY * 3), False),  # answered
        (daily(3 * N), True),
    ],
)
def test_unanswered_streak(items, fires):
    signals = run(items)
    assert len(signals) == (1 if fires else 0)
    if fires:
        assert signals[0].policy == "harassment"
        assert "has not replied" in signals[0].reason


def test_reply_notice_once_per_turn():
    state = AccountState()
    first = reply_notice(state, message(0, 0))
    state.remember_contact("c1", 0)
    same_turn = reply_notice(state, message(1, 5 * 60_000))
    later = reply_notice(state, message(2, 2 * HOUR))
    assert [e.subject_id for e in first] == ["c1"] and same_turn == [] and len(later) == 1
    assert first[0].other_id == "f1" and first[0].kind == "replied"
