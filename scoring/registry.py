"""The detectors: found in `scoring/detectors/`, routed by event, run in their declared order.

Every module of the package declares `DETECTORS` (a helper shared by several detectors declares
none, as `()`); a module that declares nothing at all is listed in `unregistered` (a unit test
keeps that list empty). Adding a detector is adding its module, its test module and its block in
the rules file: nothing here names one.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType

from scoring import detectors as package
from scoring.detector import At, Detector, Finds, Found, RuleBook, Tells, View, key
from scoring.records import Event
from scoring.signals import Signal
from scoring.state import AccountState


@dataclass(frozen=True, slots=True)
class Route:
    """The handlers of one event key, each with the rule it gets (None: a family reads its own)."""

    tells: tuple[tuple[str | None, Tells], ...]
    finds: tuple[tuple[str | None, Finds], ...]


@dataclass(frozen=True, slots=True)
class Registry:
    detectors: tuple[Detector, ...]  # in rank order
    by_rule: dict[str, Detector]  # rules-file block -> its detector
    routes: dict[str, Route]  # event key -> handlers
    unregistered: tuple[str, ...]  # modules that declare no `DETECTORS`

    def run(self, state: AccountState, event: Event, rules: RuleBook, view: View | None = None) -> Found:
        """The handlers of the event, in order: signals (the detectors', then the tellers'), and
        subject events for other accounts."""
        route = self.routes.get(key(event))
        if route is None:
            return Found()
        at = At(rules, view)
        told = Found()
        for name, tell in route.tells:
            out = tell(state, event, rules.detector(name) if name else None, at)
            if isinstance(out, Found):
                told.signals += out.signals
                told.forwards += out.forwards
                told.withdrawals += out.withdrawals
            else:
                told.forwards += out
        signals: list[Signal] = []
        for name, find in route.finds:
            found = find(state, event, rules.detector(name) if name else None, at)
            if isinstance(found, Found):
                signals += found.signals
                told.withdrawals += found.withdrawals
            else:
                signals += found
        return Found(signals + told.signals, told.forwards, told.withdrawals)


def build(modules: Iterable[ModuleType]) -> Registry:
    """The registry of what `modules` declare."""
    declared: list[Detector] = []
    unregistered = []
    for module in modules:
        found = getattr(module, "DETECTORS", None)
        if found is None:
            unregistered.append(module.__name__)
        else:
            declared += found
    ordered = tuple(sorted(declared, key=lambda d: (d.rank, d.name)))
    routes = {
        event: Route(
            tuple((None if d.family else d.name, d.tells[event]) for d in ordered if event in d.tells),
            tuple((None if d.family else d.name, d.finds[event]) for d in ordered if event in d.finds),
        )
        for event in sorted({e for d in ordered for e in (*d.tells, *d.finds)})
    }
    by_rule = {rule: d for d in ordered for rule in d.rules}
    return Registry(ordered, by_rule, routes, tuple(unregistered))


def modules() -> list[ModuleType]:
    """Every module of `scoring.detectors`."""
    return [importlib.import_module(f"{package.__name__}.{info.name}")
            for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name)]


REGISTRY = build(modules())
