import pytest

from scoring.detectors import burst
from scoring.state import AccountState
from tests.unit.helpers import message, rules

RULE = rules().detector("message_burst")
PER_MIN = int(RULE.param("per_minute"))
PER_HOUR = int(RULE.param("per_hour"))


def run(timestamps):
    state, signals = AccountState(), []
    for i, ts in enumerate(timestamps):
        signals += burst.detect(state, message(i, ts), RULE)
    return signals


@pytest.mark.parametrize(
    ("timestamps", "expected"),
    [
        ([i * 1000 for i in range(PER_MIN)], []),  # at the limit: quiet
        ([i * 1000 for i in range(PER_MIN + 1)], ["messages_per_minute"]),
        ([i * 1000 for i in range(PER_MIN * 3)], ["messages_per_minute"]),  # one signal, not many
        ([i * 25_000 for i in range(PER_HOUR + 1)], ["messages_per_hour"]),
        ([i * 61_000 for i in range(50)], []),  # one a minute all afternoon
        # a burst across a calendar-minute boundary: 16 messages in 45 s from hh:mm:30
        ([30_000 + i * 3000 for i in range(PER_MIN + 1)], ["messages_per_minute"]),
        # the same number spread over just over a minute: no sliding minute holds more than the limit
        ([i * 4300 for i in range(PER_MIN + 1)], []),
        # a burst read out of order (its first message last, or all reversed): counted by event time
        ([i * 2000 for i in range(1, PER_MIN + 1)] + [0], ["messages_per_minute"]),
        ([i * 2000 for i in range(PER_MIN, -1, -1)], ["messages_per_minute"]),
        # two bursts a quiet minute apart: each crossing signals
        ([i * 1000 for i in range(PER_MIN + 1)] + [200_000 + i * 1000 for i in range(PER_MIN + 1)],
         ["messages_per_minute", "messages_per_minute"]),
    ],
)
def test_burst_signals_once_when_a_window_goes_over(timestamps, expected):
    signals = run(timestamps)
    assert [s.counters[0].name for s in signals] == expected
    for sig in signals:
        assert sig.policy == "spam_scam"
        assert sig.counters[0].value == sig.counters[0].threshold + 1


def test_evidence_names_the_event_and_window():
    sig = run([i * 1000 for i in range(PER_MIN + 1)])[0]
    assert sig.event_id == f"m{PER_MIN}"
    assert sig.counters[0].window_s == 60
    assert "messages within 1 min" in sig.reason
