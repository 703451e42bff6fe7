"""Score and decide: decayed per-policy scores, thresholds and cooldowns."""

from __future__ import annotations

from collections.abc import Iterable

from scoring.rules import Rules
from scoring.signals import Signal
from scoring.state import AccountState


def decayed(value: float, since_ms: int, half_life_ms: int) -> float:
    if since_ms <= 0:
        return value
    return float(value * 0.5 ** (since_ms / half_life_ms))


def score(state: AccountState, signals: Iterable[Signal], rules: Rules) -> dict[str, float]:
    """Add the signals to the account's decayed policy scores; return the touched policies."""
    touched: dict[str, float] = {}
    for sig in signals:
        value, last_ts = state.scores.get(sig.policy, (0.0, sig.ts))
        if sig.ts >= last_ts:
            new = decayed(value, sig.ts - int(last_ts), rules.half_life_ms) + sig.weight
        else:  # a signal from before the score's time (from another partition, told late): decayed to it,
            # so the score is the same sum whatever order its signals come in
            new = value + decayed(sig.weight, int(last_ts) - sig.ts, rules.half_life_ms)
        state.scores[sig.policy] = [round(new, 6), max(sig.ts, int(last_ts))]
        touched[sig.policy] = new
        state.add_evidence(sig.policy, sig.to_dict())
    return touched


def decide(state: AccountState, touched: dict[str, float], ts: int, rules: Rules) -> list[str]:
    """Policies over their threshold and not yet escalated in this cooldown period, or escalated
    already but now in a higher severity band: much stronger evidence gets a follow-up."""
    bucket = ts // rules.cooldown_ms
    due = []
    for policy, value in sorted(touched.items()):
        threshold = rules.thresholds.get(policy)
        if threshold is None or value < threshold:
            continue
        band = rules.band_of(value)
        if state.escalated.get(policy) == bucket:
            # A state from before bands were kept has none: no follow-up for it.
            last, follow_ups = state.bands.get(policy, [len(rules.severity), 0])
            if band <= last:
                continue
            state.bands[policy] = [band, follow_ups + 1]
        else:
            state.escalated[policy] = bucket
            state.bands[policy] = [band, 0]
        due.append(policy)
    return due


def follow_up(state: AccountState, policy: str) -> int:
    """0 for a policy's first escalation in its cooldown period, then 1, 2, ... for follow-ups."""
    return state.bands.get(policy, [0, 0])[1]


def dismiss(state: AccountState, policy: str, until_ts: int, rules: Rules) -> None:
    """Reviewers dismissed an escalation of `policy` made at `until_ts`: the evidence up to then
    stops counting. The policy's score becomes what its later evidence adds (decayed to the
    score's time, from the evidence kept: the newest few per policy); the cooldown stays. `step`
    applies a dismissal once: a copy re-delivered after newer signals would drop their older
    ones."""
    kept = [item for item in state.evidence.get(policy, []) if item["ts"] > until_ts]
    if policy in state.evidence:
        state.evidence[policy] = kept
    if policy not in state.scores:
        return
    last_ts = int(state.scores[policy][1])
    value = sum(decayed(item["weight"], last_ts - item["ts"], rules.half_life_ms) for item in kept)
    state.scores[policy] = [round(value, 6), last_ts]
