"""Repeated cover letters: a proposal nearly identical to several of the sender's recent ones,
or to letters several other accounts sent (a farm: one letter, many accounts)."""

from __future__ import annotations

from scoring import sketch
from scoring.detector import NOWHERE, At, Detector, DetectorRule, Param
from scoring.letters import LetterMatch
from scoring.records import Proposal
from scoring.signals import Counter, Signal
from scoring.state import AccountState
from scoring.units import DAY_MS, HOUR_MS


def detect(state: AccountState, event: Proposal, rule: DetectorRule | None, at: At = NOWHERE) -> list[Signal]:
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


def detect_farm(state: AccountState, event: Proposal, rule: DetectorRule | None, at: At) -> list[Signal]:
    """Other accounts sent nearly the same letter within the window (`at.letters`, the
    cover-letter index's matches); signalled at most once a day."""
    matches = at.letters
    if rule is None or matches is None:
        return []
    floor, window = rule.param("similarity"), rule.param("window_hours") * HOUR_MS
    best: dict[str, LetterMatch] = {}
    for m in matches:
        relevant = m.account_id != event.freelancer_id and m.similarity >= floor and 0 <= event.ts - m.ts <= window
        if relevant and (m.account_id not in best or (m.similarity, m.ts) > (best[m.account_id].similarity,
                                                                              best[m.account_id].ts)):
            best[m.account_id] = m  # the closest letter, the latest of equals (as a live run has it)
    minimum = int(rule.param("min_accounts"))
    if len(best) < minimum or not state.due_again("letter_farm", event.ts, DAY_MS):
        return []
    closest = sorted(best.values(), key=lambda m: (-m.similarity, m.account_id))
    shown = ", ".join(f"{m.account_id} ({m.proposal_id}, {m.similarity:.2f})" for m in closest[:10])
    return [
        Signal(
            policy=rule.policy,
            detector=rule.name,
            weight=rule.weight,
            reason=f"cover letter nearly identical to letters {len(best)} other accounts sent: {shown}",
            event_id=event.event_id,
            ts=event.ts,
            counters=(Counter("other_accounts_same_letter", len(best), int(window // 1000), minimum),),
            accounts=tuple(m.account_id for m in closest),
        )
    ]


DETECTORS = (
    Detector("repeated_cover_letter", "spam_scam", rank=30,
             params=(Param("similarity", at_most=1.0), Param("min_matches")),
             state=("proposals",), finds={"proposal": detect}),
    Detector("cover_letter_farm", "spam_scam", rank=50,
             params=(Param("similarity", at_most=1.0), Param("min_accounts"), Param("window_hours")),
             finds={"proposal": detect_farm}),
)
