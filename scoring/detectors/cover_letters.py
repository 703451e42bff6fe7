"""Repeated cover letters: a proposal nearly identical to several of the sender's recent ones."""

from __future__ import annotations

from scoring import sketch
from scoring.records import Proposal
from scoring.rules import DetectorRule
from scoring.signals import Counter, Signal
from scoring.state import AccountState


def detect(state: AccountState, event: Proposal, rule: DetectorRule | None) -> list[Signal]:
    """Compare with the sender's recent proposals to other jobs; remember this one."""
    current = sketch.sketch(event.cover_letter)
    matches = []
    if rule is not None:
        floor = rule.param("similarity")
        for proposal_id, job_id, previous in state.proposals:
            if job_id == event.job_id:
                continue
            sim = sketch.similarity(current, previous)
            if sim >= floor:
                matches.append((proposal_id, sim))
    state.remember_proposal(event.event_id, event.job_id, current)
    if rule is None or len(matches) < int(rule.param("min_matches")):
        return []
    ids = ", ".join(f"{pid} ({sim:.2f})" for pid, sim in matches)
    return [
        Signal(
            policy=rule.policy,
            detector=rule.name,
            weight=rule.weight,
            reason=(
                f"cover letter nearly identical to {len(matches)} of their recent proposals "
                f"to other jobs: {ids}"
            ),
            event_id=event.event_id,
            ts=event.ts,
            counters=(
                Counter("similar_recent_proposals", len(matches), 0, int(rule.param("min_matches"))),
            ),
        )
    ]
