"""Escalations: what goes to the reviewers, with a deterministic id."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from scoring.rules import Rules
from scoring.score import follow_up
from scoring.state import AccountState


@dataclass(frozen=True, slots=True)
class Escalation:
    escalation_id: str
    account_id: str
    policies: tuple[str, ...]
    score: float
    scores: dict[str, float]
    severity: str
    reasons: tuple[str, ...]
    evidence: tuple[dict[str, Any], ...]
    rule_version: str
    model_version: str  # of the text model that read the texts in evidence
    ts: int
    trigger_event_id: str
    follow_up: int = 0  # 0: first in its cooldown period; n: the nth on stronger evidence

    def to_dict(self) -> dict[str, Any]:
        return {
            "escalation_id": self.escalation_id,
            "account_id": self.account_id,
            "policies": list(self.policies),
            "score": self.score,
            "scores": self.scores,
            "severity": self.severity,
            "reasons": list(self.reasons),
            "evidence": list(self.evidence),
            "rule_version": self.rule_version,
            "model_version": self.model_version,
            "ts": self.ts,
            "trigger_event_id": self.trigger_event_id,
            "follow_up": self.follow_up,
        }


def escalation_id(account: str, policy_buckets: list[tuple[str, int]], version: str,
                  follow_ups: dict[str, int] | None = None) -> str:
    """Same account, policies, cooldown periods (and follow-up numbers) and rule version: same
    id, on any replay."""
    n = follow_ups or {}
    parts = [account, version] + [f"{p}@{b}" + (f"#{n[p]}" if n.get(p) else "") for p, b in sorted(policy_buckets)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def build(
    account: str,
    policies: list[str],
    touched: dict[str, float],
    state: AccountState,
    rules: Rules,
    ts: int,
    trigger_event_id: str,
) -> Escalation:
    scores = {p: round(touched[p], 3) for p in policies}
    top = max(scores.values())
    evidence = tuple(item for p in policies for item in state.evidence.get(p, ()))
    reasons = tuple(dict.fromkeys(item["reason"] for item in evidence))
    return Escalation(
        escalation_id=escalation_id(account, [(p, state.escalated[p]) for p in policies], rules.version,
                                    {p: follow_up(state, p) for p in policies}),
        account_id=account,
        policies=tuple(policies),
        score=top,
        scores=scores,
        severity=rules.severity_of(top),
        reasons=reasons,
        evidence=evidence,
        rule_version=rules.version,
        model_version=rules.text_model.version,
        ts=ts,
        trigger_event_id=trigger_event_id,
        follow_up=max(follow_up(state, p) for p in policies),
    )
