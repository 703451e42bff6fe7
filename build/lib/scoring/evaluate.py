"""Account-level precision and recall of escalations against ground truth."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def per_policy(
    escalated: Iterable[tuple[str, Iterable[str]]],
    truth: Mapping[str, Iterable[str]],
) -> dict[str, dict[str, float | int]]:
    """`escalated`: (account, policies) per escalation; `truth`: policy -> guilty accounts.

    An account counts once per policy however often it was escalated. A policy
    with no escalations has precision 0.0 (nothing found, not "all correct").
    """
    flagged: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for account, policies in escalated:
        for policy in policies:
            flagged.setdefault(policy, set()).add(account)
            counts[policy] = counts.get(policy, 0) + 1
    guilty = {policy: set(accounts) for policy, accounts in truth.items()}
    out: dict[str, dict[str, float | int]] = {}
    for policy in sorted(set(flagged) | set(guilty)):
        found, real = flagged.get(policy, set()), guilty.get(policy, set())
        hits = len(found & real)
        out[policy] = {
            "precision": round(hits / len(found), 4) if found else 0.0,
            "recall": round(hits / len(real), 4) if real else 0.0,
            "escalations": counts.get(policy, 0),
            "accounts_flagged": len(found),
            "accounts_guilty": len(real),
        }
    return out
