"""Escalations: what goes to the reviewers, with a deterministic id."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from scoring.rules import Rules
from scoring.score import decayed, follow_up
from scoring.signals import REASON_MAX, Signal, Withdrawal, excerpt
from scoring.state import AccountState
from scoring.units import HOUR_MS


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
    evidence_omitted: int = 0  # oldest evidence items left out to keep the escalation under its size cap
    withdraws: str = ""  # a withdrawal: the id of the escalation it withdraws (`withdrawal`)
    # made from one finding scored apart (`alone`), not from the account's policy score: a
    # dismissal has no evidence of it to take out of that score (not published)
    apart: bool = False

    def to_dict(self) -> dict[str, Any]:
        out = {
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
        if self.evidence_omitted:
            out["evidence_omitted"] = self.evidence_omitted
        if self.withdraws:
            out["withdraws"] = self.withdraws
        return out

    def without_oldest_evidence(self, rules: Rules) -> Escalation:
        """The escalation less its oldest evidence item, with the reasons of those left (the score
        now shows less of itself: `unshown` says so anew)."""
        oldest = min(range(len(self.evidence)), key=lambda i: self.evidence[i]["ts"])
        evidence = self.evidence[:oldest] + self.evidence[oldest + 1:]
        return replace(self, evidence=evidence, reasons=_reasons(evidence) + unshown(self.scores, evidence, self.ts,
                                                                                      rules),
                       evidence_omitted=self.evidence_omitted + 1)


def _reasons(evidence: tuple[dict[str, Any], ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item["reason"] for item in evidence))


UNSHOWN_MIN = 0.05  # of a policy's score from signals not in the evidence, said in the reasons


def unshown(scores: dict[str, float], evidence: Sequence[dict[str, Any]], ts: int, rules: Rules) -> tuple[str, ...]:
    """For each policy whose score its evidence does not add up to (only the newest signals are
    kept), a reason saying how much of it comes from earlier ones: a score is never left bigger
    than what it shows without a word."""
    out = []
    for policy, value in scores.items():
        shown = sum(decayed(item["weight"], ts - item["ts"], rules.half_life_ms)
                    for item in evidence if item["policy"] == policy)
        if value - shown >= UNSHOWN_MIN:
            out.append(f"{policy} score {value:g}: {value - shown:.2f} of it from earlier signals not shown (only "
                       f"the newest are), each weighing half as much every {rules.half_life_ms / HOUR_MS:g} hours")
    return tuple(out)


def escalation_id(account: str, policy_buckets: list[tuple[str, int]], version: str,
                  follow_ups: dict[str, int] | None = None, content: str = "") -> str:
    """Same account, policies, cooldown periods (and follow-up numbers), rule version and
    content: same id, on any replay. `content` (see `content_digest`) makes an id name one
    content only: a consumer that drops duplicates by id never drops a different decision."""
    n = follow_ups or {}
    parts = [account, version] + [f"{p}@{b}" + (f"#{n[p]}" if n.get(p) else "") for p, b in sorted(policy_buckets)]
    if content:
        parts.append(content)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def content_digest(esc: Escalation) -> str:
    """A digest of everything an escalation says but its id."""
    doc = esc.to_dict()
    del doc["escalation_id"]
    return hashlib.sha256(json.dumps(doc, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def build(
    account: str,
    policies: list[str],
    touched: dict[str, float],
    state: AccountState,
    rules: Rules,
    ts: int,
    trigger_event_id: str,
    causes: Sequence[Signal] = (),
) -> Escalation:
    """The escalation of `policies`, made at `ts` on the signals `causes`: its evidence is each
    policy's kept evidence, always with the causes in it."""
    scores = {p: round(touched[p], 3) for p in policies}
    top = max(scores.values())
    evidence = tuple(item for p in policies
                     for item in state.evidence_with(p, [c.to_dict() for c in causes if c.policy == p]))
    reasons = _reasons(evidence) + unshown(scores, evidence, ts, rules)
    esc = Escalation(
        escalation_id="",
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
    buckets = [(p, state.escalated[p]) for p in policies]
    follow_ups = {p: follow_up(state, p) for p in policies}
    return replace(esc, escalation_id=escalation_id(account, buckets, rules.version, follow_ups, content_digest(esc)))


def alone(account: str, signals: list[Signal], rules: Rules, ts: int, trigger_event_id: str) -> list[Escalation]:
    """Escalations of findings scored apart from the account's policy scores, one each when its
    weight reaches the policy's threshold: its evidence is itself, no cooldown or follow-up
    joins it to others (`step`: a duplicate-account link, which reaches the account when its
    notice does, behind or ahead of the account's other events)."""
    out = []
    for sig in signals:
        threshold = rules.thresholds.get(sig.policy)
        if threshold is None or sig.weight < threshold:
            continue
        esc = _single(account, sig.policy, sig.weight, (sig.to_dict(),), rules, ts, trigger_event_id)
        bucket = [(sig.policy, ts // rules.cooldown_ms)]
        out.append(replace(esc, apart=True, escalation_id=escalation_id(account, bucket, rules.version, None,
                                                                         content_digest(esc))))
    return out


def _single(account: str, policy: str, weight: float, evidence: tuple[dict[str, Any], ...], rules: Rules,
            ts: int, trigger_event_id: str, withdraws: str = "") -> Escalation:
    """An escalation of one policy at `weight`, on `evidence` alone (its id to be set)."""
    return Escalation(escalation_id="", account_id=account, policies=(policy,), score=round(weight, 3),
                      scores={policy: round(weight, 3)}, severity=rules.severity_of(weight),
                      reasons=_reasons(evidence), evidence=evidence, rule_version=rules.version,
                      model_version=rules.text_model.version, ts=ts, trigger_event_id=trigger_event_id,
                      withdraws=withdraws)


def withdrawal(account: str, withdrawn: str, gone: Withdrawal, rules: Rules) -> Escalation:
    """The record that withdraws the escalation `withdrawn`, published for the finding `gone`
    names. It carries that finding's policy, and the score and severity of its weight under the
    rules in force, so that it goes where the escalation went; its own id is the withdrawn one's
    and the late event's."""
    evidence = ({"policy": gone.policy, "detector": gone.detector, "weight": 0.0,
                 "reason": excerpt(gone.reason, REASON_MAX), "event_id": gone.event_id, "ts": gone.ts,
                 "counters": [], "spans": []},)
    own = hashlib.sha256(f"withdraws|{withdrawn}|{gone.event_id}".encode()).hexdigest()[:32]
    esc = _single(account, gone.policy, gone.weight, evidence, rules, gone.ts, gone.event_id, withdrawn)
    return replace(esc, escalation_id=own)


def in_force(records: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Published escalations by id, as dicts, less those withdrawn and the withdrawals."""
    gone = {e["withdraws"] for e in records.values() if "withdraws" in e}
    return {i: e for i, e in records.items() if i not in gone and "withdraws" not in e}
