import dataclasses

from scoring.state import AccountState
from scoring.step import step
from tests.unit.helpers import message, rules

RULES = rules()


def with_mode(mode: str):
    burst = dataclasses.replace(RULES.detectors["message_burst"], mode=mode)
    return dataclasses.replace(RULES, detectors={**RULES.detectors, "message_burst": burst})


def run(rules_, n: int = 16):
    state, outcomes = AccountState(), []
    for i in range(n):
        outcomes.append(step(state, message(i, i * 1000, text="ok"), rules_))
    return outcomes


def test_active_rule_escalates():
    outcomes = run(RULES)
    assert sum(len(o.escalations) for o in outcomes) == 1
    assert not any(o.shadow for o in outcomes)


def test_shadow_rule_is_computed_but_never_escalates():
    outcomes = run(with_mode("shadow"))
    assert [s.detector for o in outcomes for s in o.shadow] == ["message_burst"]
    assert not any(o.escalations or o.signals for o in outcomes)


def test_off_rule_does_not_run():
    outcomes = run(with_mode("off"))
    assert not any(o.escalations or o.signals or o.shadow for o in outcomes)
