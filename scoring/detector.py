"""What a detector module declares, and the one signature its handlers share.

A module in `scoring/detectors/` declares `DETECTORS`: one `Detector` per rule it runs (the
`[detectors.<name>]` block of the rules file), with the policy its signals feed, its parameters
(defaults and validation), the fields of `AccountState` it keeps, and its handlers by event
(`key`). `scoring.registry` finds the modules, `scoring.step` runs the handlers through it, and
`scoring.rules` reads the rules file by these declarations.

Every handler is `(state, event, rule, at)`: the account's state (updated in place), the event,
the detector's own rule (None when it is off: the state is kept all the same, so turning it on
finds the history there), and `At`, what else there is to read at the event. A `finds` handler
returns signals; a `tells` handler returns subject events for other accounts (`Found` when it
also finds signals on the way).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from scoring.letters import LetterMatch
from scoring.links import LinkView
from scoring.records import (
    FEEDBACK_KINDS,
    SUBJECT_KINDS,
    AccountEvent,
    ContractEvent,
    Event,
    Feedback,
    Message,
    Proposal,
    SubjectEvent,
)
from scoring.signals import Signal, Withdrawal
from scoring.state import AccountState
from scoring.text.model import TextModel

# What a cross-account index knows at an event: the link index at an account event, the
# cover-letter index (other accounts' similar letters) at a proposal.
View = LinkView | tuple[LetterMatch, ...]


@dataclass(frozen=True, slots=True)
class DetectorRule:
    name: str
    policy: str
    weight: float
    params: Mapping[str, float]
    mode: str = "active"  # "shadow": computed and counted, never escalates
    precision_floor: float | None = None  # overrides the reviewer section's floor for this rule
    exempt_accounts: frozenset[str] = frozenset()  # accounts this rule never scores

    def param(self, key: str) -> float:
        return self.params[key]


class RuleBook(Protocol):
    """What a handler may read of the rules beyond its own (`scoring.rules.Rules` is one)."""

    @property
    def text_enabled(self) -> bool: ...

    @property
    def text_model(self) -> TextModel: ...

    def detector(self, name: str) -> DetectorRule | None: ...

    def contact_allowed(self, a: str, b: str) -> bool: ...


class _NoRules:
    """No rule runs: what a handler reads when called alone (a detector's own tests)."""

    text_enabled = False

    @property
    def text_model(self) -> TextModel:
        raise LookupError("no rules, so no text model")

    def detector(self, name: str) -> DetectorRule | None:
        return None

    def contact_allowed(self, a: str, b: str) -> bool:
        return False


NO_RULES: RuleBook = _NoRules()


@dataclass(frozen=True, slots=True)
class At:
    """What a handler may read at an event besides the state, the event and its own rule."""

    rules: RuleBook = NO_RULES  # every rule: a family of rules (the text rules) reads its own here
    view: View | None = None  # what a cross-account index knows at the event (None: no index)

    @property
    def links(self) -> LinkView | None:
        return self.view if isinstance(self.view, LinkView) else None

    @property
    def letters(self) -> tuple[LetterMatch, ...] | None:
        return self.view if isinstance(self.view, tuple) else None


NOWHERE = At()


@dataclass(slots=True)
class Found:
    signals: list[Signal] = field(default_factory=list)
    forwards: list[SubjectEvent] = field(default_factory=list)
    withdrawals: list[Withdrawal] = field(default_factory=list)


Finds = Callable[[AccountState, Any, DetectorRule | None, At], list[Signal] | Found]
Tells = Callable[[AccountState, Any, DetectorRule | None, At], list[SubjectEvent] | Found]


@dataclass(frozen=True, slots=True)
class Param:
    """A parameter of a rule: a positive number, `at_most` when given; required unless it has a
    default."""

    name: str
    default: float | None = None
    at_most: float | None = None


@dataclass(frozen=True, slots=True)
class Detector:
    name: str  # its block in the rules file, `[detectors.<name>]` (a family's blocks: `family`)
    policy: str  # the policy its signals feed by default ("": each signal carries its own)
    # Order among the detectors on one event, lowest first: their signals are scored and kept as
    # evidence in this order, and some read what an earlier one left in the state.
    rank: int
    params: tuple[Param, ...] = ()
    state: tuple[str, ...] = ()  # the fields of `AccountState` it keeps
    finds: Mapping[str, Finds] = field(default_factory=dict)  # event key -> handler
    # event key -> handler telling other accounts; the tellers run before any detector finds
    # (a teller reads the state as the event found it), and what they find is listed after
    tells: Mapping[str, Tells] = field(default_factory=dict)
    # One pass serving several rules (the text rules, one per family of patterns): its handlers
    # get no rule of their own and read theirs from `At.rules`.
    family: tuple[str, ...] = ()

    @property
    def rules(self) -> tuple[str, ...]:
        """The rules-file blocks it runs under."""
        return self.family or (self.name,)


_KEYS: dict[type, str] = {Message: "message", Proposal: "proposal", Feedback: "feedback",
                          ContractEvent: "contract", AccountEvent: "account", SubjectEvent: "subject"}
EVENT_KEYS = (
    "message", "proposal", "contract", "account",
    *(f"feedback.{kind}" for kind in FEEDBACK_KINDS), *(f"subject.{kind}" for kind in SUBJECT_KINDS),
)


def key(event: Event) -> str:
    """The key handlers are declared under: the record's kind, and its own `kind` when it has one
    ("message", "feedback.rating", "subject.replied")."""
    name = _KEYS[type(event)]
    return f"{name}.{event.kind}" if isinstance(event, Feedback | SubjectEvent) else name
