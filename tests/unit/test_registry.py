"""The detector registry: every detector module is registered, its declarations hold together,
the shipped rules name only what the detectors declare, and the step runs handlers in order."""

from __future__ import annotations

import ast
import inspect
import tomllib
import types
from dataclasses import fields
from pathlib import Path

import pytest

from scoring.detector import EVENT_KEYS, NOWHERE, At, Detector, Found, Param, key
from scoring.records import SubjectEvent
from scoring.registry import REGISTRY, build, modules
from scoring.rules import POLICIES, RulesError, param_value
from scoring.signals import Signal
from scoring.state import CORE, KEYS, AccountState
from streams.batch.rules_file import parse_text
from streams.worker.settings import DEFAULT_RULES
from tests.unit.helpers import message, rules

PACKAGE = Path(__file__).resolve().parents[2] / "scoring" / "detectors"
SHIPPED = DEFAULT_RULES.read_text()
BLOCKS = tomllib.loads(SHIPPED)["detectors"]
# what every rule's block may hold besides its detector's parameters
COMMON = {"policy", "weight", "mode", "precision_floor", "exempt_accounts"}
HANDLERS = [(d.name, event, fn) for d in REGISTRY.detectors for event, fn in (*d.finds.items(), *d.tells.items())]


def _imports(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    return {node.module.rpartition(".")[2] for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("scoring.detectors.")}


def test_every_detector_module_is_registered():
    files = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert {m.__name__.rpartition(".")[2] for m in modules()} == files
    assert REGISTRY.unregistered == ()


def test_a_module_declaring_nothing_is_a_helper_of_detectors():
    helpers = {m.__name__.rpartition(".")[2] for m in modules() if not m.DETECTORS}
    users = {name: _imports(name) for name in {m.__name__.rpartition(".")[2] for m in modules() if m.DETECTORS}}
    assert helpers  # the check below checks something
    assert {h for h in helpers if not any(h in imported for imported in users.values())} == set()


def test_a_module_without_declarations_is_listed_unregistered():
    declared = types.ModuleType("scoring.detectors.declared")
    declared.DETECTORS = (Detector("a", "spam_scam", rank=1),)  # type: ignore[attr-defined]
    forgot = types.ModuleType("scoring.detectors.forgot")
    assert build([declared, forgot]).unregistered == ("scoring.detectors.forgot",)


def test_rule_names_are_unique():
    names = [rule for d in REGISTRY.detectors for rule in d.rules]
    assert len(names) == len(set(names)) == len(REGISTRY.by_rule)


@pytest.mark.parametrize("name", sorted(BLOCKS))
def test_a_shipped_rules_block_names_a_detector_and_its_parameters(name):
    assert name in REGISTRY.by_rule, f"[detectors.{name}]: no detector declares it"
    known = COMMON | {p.name for p in REGISTRY.by_rule[name].params}
    assert set(BLOCKS[name]) - known == set(), f"[detectors.{name}] names unknown parameters"


def test_every_detector_has_a_block_in_the_shipped_rules():
    assert set(REGISTRY.by_rule) - set(BLOCKS) == set()


@pytest.mark.parametrize("name", sorted(BLOCKS))
def test_an_unknown_parameter_in_a_block_is_an_error(name):
    header = f"[detectors.{name}]"
    line = next(line for line in SHIPPED.splitlines() if line.startswith(header))
    with pytest.raises(RulesError, match=f"unknown key 'detectors.{name}.per_fortnight'"):
        parse_text(SHIPPED.replace(line + "\n", line + "\nper_fortnight = 3\n"))


@pytest.mark.parametrize("detector", REGISTRY.detectors, ids=lambda d: d.name)
def test_declarations_hold_together(detector):
    assert detector.policy in POLICIES or (detector.family and detector.policy == "")
    assert set(detector.finds) | set(detector.tells) <= set(EVENT_KEYS)
    assert detector.finds or detector.tells
    assert set(detector.state) <= {f.name for f in fields(AccountState)} - set(CORE)
    assert len({p.name for p in detector.params}) == len(detector.params)


def test_each_field_of_the_state_is_the_cores_or_one_modules():
    owners: dict[str, set[str]] = {}
    for module in modules():
        for detector in module.DETECTORS:
            for name in detector.state:
                owners.setdefault(name, set()).add(module.__name__)
    assert {f.name for f in fields(AccountState)} == set(owners) | set(CORE) == set(KEYS)
    assert {name: found for name, found in owners.items() if len(found) > 1} == {}


@pytest.mark.parametrize(("detector", "event", "handler"), HANDLERS, ids=lambda x: getattr(x, "__name__", str(x)))
def test_every_handler_has_the_same_signature(detector, event, handler):
    assert list(inspect.signature(handler).parameters) == ["state", "event", "rule", "at"]


def test_event_keys():
    assert key(message(1, 0)) == "message"
    assert key(SubjectEvent("e", 0, "replied", "a", "unknown", "", "b")) == "subject.replied"


def _recording(calls: list[str]) -> types.ModuleType:
    """A module of two detectors noting the order they are called in."""

    def finds(name: str):
        def handler(state, event, rule, at=NOWHERE):
            calls.append(f"{name}:{rule.name if rule else None}")
            return [Signal("spam_scam", name, 1.0, name, event.event_id, event.ts)]
        return handler

    def tells(state, event, rule, at=NOWHERE):
        calls.append("tells")
        notice = SubjectEvent(event.event_id, event.ts, "replied", "b", "unknown", "", "a")
        return Found([Signal("spam_scam", "teller", 1.0, "t", event.event_id, event.ts)], [notice])

    module = types.ModuleType("scoring.detectors.recording")
    module.DETECTORS = (  # type: ignore[attr-defined]
        Detector("message_burst", "spam_scam", rank=20, finds={"message": finds("late")}),
        Detector("proposal_rate", "spam_scam", rank=10, finds={"message": finds("early")},
                 tells={"message": tells}),
    )
    return module


def test_tellers_run_first_and_detectors_in_rank_order():
    calls: list[str] = []
    found = build([_recording(calls)]).run(AccountState(), message(1, 0), rules())
    assert calls == ["tells", "early:proposal_rate", "late:message_burst"]
    assert [s.detector for s in found.signals] == ["early", "late", "teller"]
    assert [f.kind for f in found.forwards] == ["replied"]
    assert build([_recording(calls)]).run(AccountState(), SubjectEvent("e", 0, "ring", "a", "unknown", "", "b"),
                                          rules()) == Found()


def test_a_parameter_has_its_default_and_its_bound():
    assert param_value("rule 'x'", {}, Param("window_days", default=30)) == 30
    with pytest.raises(RulesError, match="'window_days' is missing"):
        param_value("rule 'x'", {}, Param("window_days"))
    with pytest.raises(RulesError, match="'similarity' must be at most 1"):
        param_value("rule 'x'", {"similarity": 1.5}, Param("similarity", at_most=1.0))


def test_a_bound_is_checked_in_the_rules_file():
    text = SHIPPED.replace("similarity = 0.7\n", "similarity = 1.7\n")
    with pytest.raises(RulesError, match="repeated_cover_letter.*'similarity' must be at most 1"):
        parse_text(text)


def test_handlers_get_the_view_they_read():
    assert At(view=()).letters == () and At(view=()).links is None
    assert NOWHERE.letters is None and NOWHERE.rules.detector("message_burst") is None
