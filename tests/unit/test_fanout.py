import pytest

from scoring.detectors import fanout
from scoring.records import SubjectEvent
from scoring.state import AccountState
from tests.unit.helpers import message, rules

RULE = rules().detector("first_message_fanout")
LIMIT = int(RULE.param("per_hour"))


def run(pairs, applicants=()):
    """First messages (ts, recipient) from one sender; `applicants` applied to its jobs first."""
    state, signals = AccountState(), []
    for who in applicants:
        fanout.on_applied(state, SubjectEvent(f"p-{who}", 0, "applied", "f1", "client", "", who))
    for i, (ts, recipient) in enumerate(pairs):
        signals += fanout.detect(state, message(i, ts, recipient=recipient), RULE)
    return signals


@pytest.mark.parametrize(
    ("pairs", "fires"),
    [
        ([(i * 60_000, f"c{i}") for i in range(LIMIT)], False),
        ([(i * 60_000, f"c{i}") for i in range(LIMIT + 1)], True),
        ([(i * 60_000, f"c{i % 3}") for i in range(100)], False),  # many messages, three people
        ([(i * 400_000, f"c{i}") for i in range(LIMIT + 5)], False),  # spread over many hours
    ],
)
def test_fanout(pairs, fires):
    signals = run(pairs)
    assert bool(signals) is fires
    if fires:
        assert len(signals) == 1
        assert signals[0].counters[0].name == "first_messages_per_hour"
        assert signals[0].counters[0].value == LIMIT + 1


def test_a_busy_client_answering_its_own_applicants_is_not_fanout():
    pairs = [(i * 60_000, f"c{i}") for i in range(3 * LIMIT)]
    assert run(pairs, applicants=[f"c{i}" for i in range(3 * LIMIT)]) == []
    # and cold messages to people who did not apply still count, beside the applicants
    mixed = run(pairs, applicants=[f"c{i}" for i in range(0, 3 * LIMIT, 2)])
    assert [s.counters[0].value for s in mixed] == [LIMIT + 1]
    assert "had not applied" in mixed[0].reason


def test_a_day_of_first_messages_under_the_hourly_limit_goes_over_the_daily_one():
    per_day = int(RULE.param("per_day"))
    pairs = [(i * 1_200_000, f"c{i}") for i in range(per_day + 1)]  # three new people an hour
    signals = run(pairs)
    assert [s.counters[0].name for s in signals] == ["first_messages_per_day"]
    assert signals[0].counters[0].value == per_day + 1 and signals[0].counters[0].window_s == 86_400
    assert run(pairs[:-1]) == []
