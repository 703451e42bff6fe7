import pytest

from scoring.detectors import feedback_requests
from scoring.records import Feedback
from scoring.state import AccountState
from tests.unit.helpers import rules

RULE = rules().detector("feedback_requests")
LIMIT = int(RULE.param("per_contract_per_week"))
DAY = 86_400_000


def request(i: int, ts: int, contract: str = "k1") -> Feedback:
    return Feedback(f"r{i}", ts, "request", contract, "f1", "c1", "freelancer")


@pytest.mark.parametrize(
    ("requests", "fires"),
    [
        ([(0, "k1")], False),  # one polite reminder
        ([(i * DAY, "k1") for i in range(LIMIT)], False),
        ([(i * DAY, "k1") for i in range(LIMIT + 1)], True),
        ([(i * DAY, f"k{i}") for i in range(10)], False),  # one request on each of ten contracts
        ([(i * 4 * DAY, "k1") for i in range(LIMIT + 1)], False),  # spread over weeks
    ],
)
def test_repeated_requests_on_one_contract(requests, fires):
    state, signals = AccountState(), []
    for i, (ts, contract) in enumerate(requests):
        signals += feedback_requests.detect(state, request(i, ts, contract), RULE)
    assert bool(signals) is fires
    if fires:
        assert signals[0].counters[0].value == LIMIT + 1
        assert "k1" in signals[0].reason
        assert signals[0].accounts == (signals[0].reason.split()[1],)  # the account asked
