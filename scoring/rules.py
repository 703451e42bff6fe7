"""Rules: detector weights and windows, policy thresholds, severity bands.

Built from a plain mapping (the parsed rules file) and validated here, so an
error names the rule and the field. The version goes on every escalation.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from scoring.detector import DetectorRule, Param
from scoring.registry import REGISTRY
from scoring.text.families import RULES as TEXT_RULES
from scoring.text.model import TextModel, packaged
from scoring.units import HOUR_MS

POLICIES = (
    "off_platform_payment",
    "off_platform_contact",
    "feedback_manipulation",
    "harassment",
    "spam_scam",
    "duplicate_account",
    "low_quality",
    "client_risk",
)
SEVERITIES = ("low", "medium", "high", "critical")
MODES = ("active", "shadow", "off")


class RulesError(ValueError):
    """The rules file is invalid; the message names the rule and field."""


@dataclass(frozen=True, slots=True)
class Reviewer:
    """Reviewers' verdicts measure each rule: an active rule whose precision falls under its
    floor, over at least `min_decisions` verdicts, is moved to shadow mode."""

    floor: float = 0.0  # 0: never demoted
    min_decisions: int = 20


@dataclass(frozen=True, slots=True)
class Rules:
    version: str
    half_life_ms: int
    cooldown_ms: int
    thresholds: Mapping[str, float]
    severity: tuple[tuple[str, float], ...]  # ascending (name, minimum score)
    detectors: Mapping[str, DetectorRule]
    reviewer: Reviewer = field(default_factory=Reviewer)
    demoted: frozenset[str] = frozenset()  # rules moved to shadow by reviewers' verdicts
    exempt_accounts: frozenset[str] = frozenset()  # allow-listed: no rule scores them
    relationships: frozenset[tuple[str, str]] = frozenset()  # (a, b) both ways: contact allowed
    text_model: TextModel = field(default_factory=packaged)  # the learned stage of the text rules
    # Whether any text rule runs (the text stage is skipped when none does): read for every text,
    # so worked out once.
    text_enabled: bool = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "text_enabled", any(self.detector(name) is not None for name in TEXT_RULES))

    def exempt(self, account: str, detector: str) -> bool:
        """Whether `account` is allow-listed, for every rule or for this signal's rule."""
        if account in self.exempt_accounts:
            return True
        rule = self.detectors.get(rule_of(detector))
        return rule is not None and account in rule.exempt_accounts

    def contact_allowed(self, a: str, b: str) -> bool:
        """Whether the two accounts may share contact details (a bring-your-own-client
        relationship listed in the rules)."""
        return (a, b) in self.relationships

    def severity_of(self, score: float) -> str:
        return self.severity[self.band_of(score)][0]

    def band_of(self, score: float) -> int:
        """Index of the severity band `score` falls in (0 = low)."""
        band = 0
        for i, (_, floor) in enumerate(self.severity):
            if score >= floor:
                band = i
        return band

    def detector(self, name: str) -> DetectorRule | None:
        """The rule of a detector that runs (active or shadow); None when off or absent."""
        rule = self.detectors.get(name)
        return None if rule is None or rule.mode == "off" else rule

    def is_shadow(self, detector: str) -> bool:
        """Whether a signal's detector (e.g. `text_provider_ask.payment_provider_intent`) belongs to a shadow rule."""
        name = rule_of(detector)
        rule = self.detectors.get(name)
        return rule is not None and (rule.mode == "shadow" or (rule.mode == "active" and name in self.demoted))

    def precision_floor(self, rule: str) -> float:
        own = self.detectors.get(rule)
        return own.precision_floor if own is not None and own.precision_floor is not None else self.reviewer.floor

    def with_demoted(self, demoted: frozenset[str]) -> Rules:
        """These rules, with the named active ones moved to shadow (the version stays)."""
        return self if demoted == self.demoted else replace(self, demoted=demoted)


def rule_of(detector: str) -> str:
    """The rule (rules-file detector) a signal's detector belongs to:
    `text_provider_ask.payment_provider_intent` -> `text_provider_ask`."""
    return detector.split(".", 1)[0]


def precision(confirmed: int, dismissed: int) -> float | None:
    decided = confirmed + dismissed
    return confirmed / decided if decided else None


def below_floor(rules: Rules, rule: str, confirmed: int, dismissed: int) -> bool:
    """Whether reviewers' verdicts on `rule` call for moving it to shadow mode."""
    measured = precision(confirmed, dismissed)
    if measured is None or confirmed + dismissed < rules.reviewer.min_decisions:
        return False
    return measured < rules.precision_floor(rule)


def _number(where: str, table: Mapping[str, Any], key: str, positive: bool = True) -> float:
    value = table.get(key)
    if key not in table:
        raise RulesError(f"{where}: field '{key}' is missing{_misspelt(table, key)}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RulesError(f"{where}: field '{key}' must be a number")
    if positive and value <= 0:
        raise RulesError(f"{where}: field '{key}' must be positive")
    return float(value)


def _misspelt(table: Mapping[str, Any], key: str) -> str:
    """" (is 'cooldown_hour' a misspelling of it?)" when the table has a key close to `key`."""
    close = difflib.get_close_matches(key, [k for k in table if isinstance(k, str)], n=1, cutoff=0.8)
    return f" (is '{close[0]}' a misspelling of it?)" if close else ""


def _table(where: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise RulesError(f"{where}: must be a table")
    return value


def _detector(name: str, raw: Any) -> DetectorRule:
    """A rule read by its detector's declaration (`scoring.registry`): the policy it declares
    unless the block names another, and its parameters."""
    where = f"rule 'detectors.{name}'"
    table = _table(where, raw)
    detector = REGISTRY.by_rule.get(name)
    if detector is None:
        raise RulesError(f"{where}: unknown detector (known: {', '.join(REGISTRY.by_rule)})")
    policy = table.get("policy", detector.policy)
    if not detector.family and policy not in POLICIES:
        raise RulesError(f"{where}: field 'policy' must be one of {', '.join(POLICIES)}")
    params = {p.name: param_value(where, table, p) for p in detector.params}
    mode = table.get("mode", "active")
    if mode not in MODES:
        raise RulesError(f"{where}: field 'mode' must be one of {', '.join(MODES)}")
    floor = _fraction(where, table, "precision_floor") if "precision_floor" in table else None
    exempt = _ids(where, table, "exempt_accounts")
    return DetectorRule(name, str(policy), _number(where, table, "weight"), params, mode, floor, exempt)


def param_value(where: str, table: Mapping[str, Any], param: Param) -> float:
    """The parameter's value in a rule's block, or its default; RulesError when invalid."""
    if param.default is not None and param.name not in table:
        return param.default
    value = _number(where, table, param.name)
    if param.at_most is not None and value > param.at_most:
        raise RulesError(f"{where}: field '{param.name}' must be at most {param.at_most:g}")
    return value


def _ids(where: str, table: Mapping[str, Any], key: str) -> frozenset[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RulesError(f"{where}: field '{key}' must be a list of account ids")
    return frozenset(value)


def _exemptions(raw: Any) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    if raw is None:
        return frozenset(), frozenset()
    where = "rule 'exemptions'"
    table = _table(where, raw)
    pairs = table.get("relationships", [])
    if not isinstance(pairs, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(v, str) and v for v in p) for p in pairs
    ):
        raise RulesError(f"{where}: field 'relationships' must be a list of [freelancer, client] id pairs")
    both_ways = frozenset((a, b) for x, y in pairs for a, b in ((x, y), (y, x)))
    return _ids(where, table, "accounts"), both_ways


def _fraction(where: str, table: Mapping[str, Any], key: str) -> float:
    value = _number(where, table, key, positive=False)
    if not 0.0 <= value <= 1.0:
        raise RulesError(f"{where}: field '{key}' must be between 0 and 1")
    return value


def _reviewer(raw: Any) -> Reviewer:
    if raw is None:
        return Reviewer()
    where = "rule 'reviewer'"
    table = _table(where, raw)
    minimum = _number(where, table, "min_decisions")
    if minimum != int(minimum):
        raise RulesError(f"{where}: field 'min_decisions' must be a whole number")
    return Reviewer(floor=_fraction(where, table, "precision_floor"), min_decisions=int(minimum))


def _severity(raw: Any) -> tuple[tuple[str, float], ...]:
    table = _table("rule 'severity'", raw)
    bands = tuple((name, _number("rule 'severity'", table, name)) for name in SEVERITIES)
    floors = [floor for _, floor in bands]
    if floors != sorted(floors):
        raise RulesError("rule 'severity': bands must rise from low to critical")
    return bands


def _thresholds(raw: Any) -> dict[str, float]:
    table = _table("rule 'thresholds'", raw)
    for key in table:
        if key not in POLICIES:
            raise RulesError(f"rule 'thresholds': unknown policy '{key}'")
    return {p: _number("rule 'thresholds'", table, p) for p in POLICIES if p in table}


def parse_rules(raw: Mapping[str, Any], text_model: TextModel | None = None) -> Rules:
    """Validate a parsed rules document and build `Rules` (with the packaged text model unless
    another is given)."""
    version = raw.get("version")
    if not isinstance(version, str) or not version.strip():
        raise RulesError("rule 'version': field 'version' must be a non-empty string")
    scoring = _table("rule 'scoring'", raw.get("scoring"))
    detectors = _table("rule 'detectors'", raw.get("detectors"))
    exempt, relationships = _exemptions(raw.get("exemptions"))
    return Rules(
        version=version,
        half_life_ms=int(_number("rule 'scoring'", scoring, "half_life_hours") * HOUR_MS),
        cooldown_ms=int(_number("rule 'scoring'", scoring, "cooldown_hours") * HOUR_MS),
        thresholds=_thresholds(raw.get("thresholds")),
        severity=_severity(raw.get("severity")),
        detectors={name: _detector(name, value) for name, value in detectors.items()},
        reviewer=_reviewer(raw.get("reviewer")),
        exempt_accounts=exempt,
        relationships=relationships,
        text_model=text_model or packaged(),
    )
