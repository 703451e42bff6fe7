"""Proposal floods, per hour and per day."""

from scoring.detectors import proposal_rate
from scoring.records import Proposal
from scoring.state import AccountState
from tests.unit.helpers import rules

RULE = rules().detector("proposal_rate")
PER_HOUR, PER_DAY = int(RULE.param("per_hour")), int(RULE.param("per_day"))
MINUTE = 60_000


def proposal(i: int, ts: int) -> Proposal:
    return Proposal(f"p{i}", ts, f"j{i}", "f1", f"c{i}", f"Hello, I can help with job {i}.", 100.0)


def run(times: list[int]) -> list:
    state, signals = AccountState(), []
    for i, ts in enumerate(times):
        signals += proposal_rate.detect(state, proposal(i, ts), RULE)
    return signals


def test_a_burst_of_proposals_within_an_hour_signals_once():
    signals = run([i * 2 * MINUTE for i in range(PER_HOUR + 3)])
    assert [s.counters[0].name for s in signals] == ["proposals_per_hour"]
    assert signals[0].counters[0].value == PER_HOUR + 1 and signals[0].policy == "spam_scam"


def test_a_steady_day_signals_per_day_only():
    every = 24 * 60 * MINUTE // (PER_DAY + 2)  # evenly over the day: never many in one hour
    signals = run([i * every for i in range(PER_DAY + 1)])
    assert [s.counters[0].name for s in signals] == ["proposals_per_day"]


def test_a_normal_pace_is_quiet_and_the_windows_expire():
    assert run([i * 90 * MINUTE for i in range(40)]) == []  # sixteen a day, for two and a half days
    state = AccountState()
    proposal_rate.detect(state, proposal(0, 0), RULE)
    proposal_rate.detect(state, proposal(1, 2 * 24 * 60 * MINUTE), RULE)
    assert len(state.proposal_buckets) == 1


def test_off_rule_counts_but_never_signals():
    state = AccountState()
    assert all(proposal_rate.detect(state, proposal(i, i * MINUTE), None) == [] for i in range(50))
