"""Reviewers' verdicts as labelled text: the texts an escalation read, labelled by its verdict.

A confirmed escalation's texts show its policies; a dismissed one's do not. They are kept in
Redis, one field per (escalation, event, policy), so a verdict re-delivered or changed later
replaces the earlier one: the one decided later (`ts`) stands, whichever arrives last
(`streams.adapters.later`). An event's text is labelled by the verdict on the first escalation
that carried it, the one it was news in: a follow-up escalation carries its account's earlier
evidence too, and its verdict is on the new events, not a second verdict on the old ones. Texts
flagged only with the room's earlier messages are not stored (`scoring.signals.TextRef`).

`riskscorer train-text` reads them (or a JSONL export of them) as training examples that
outweigh every other source (`streams.training.fit.SOURCE_WEIGHT`). Reviewers decide at human
pace, so the store grows by a few thousand entries a day at most; it has no expiry, since the
verdicts are the team's own labelled data.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from redis.asyncio import Redis

from scoring.records import DECISIONS, Decision
from scoring.text.types import KINDS, POLICIES
from streams.adapters import keys
from streams.adapters.later import KeepLater, written
from streams.training.examples import Example

SCAN_PAGE = 500  # store entries read per Redis command


def examples_key(app_id: str) -> str:
    return keys.key(keys.TEXT_EXAMPLES, app_id)


def entries(decision: Decision, escalation: dict[str, Any]) -> dict[str, bytes]:
    """The store's fields for one verdict on one escalation (see `streams.adapters.profiles.reviewed`)."""
    out: dict[str, bytes] = {}
    for text in escalation.get("texts", ()):
        if not decision.covers(text["policy"]):
            continue
        field = f"{decision.escalation_id}:{text['event_id']}:{text['policy']}"
        out[field] = orjson.dumps({
            "text": text["body"], "kind": text["kind"], "policy": text["policy"],
            "decision": decision.decision, "reviewer": decision.reviewer,
            "escalation_id": decision.escalation_id, "escalation_ts": escalation["ts"],
            "event_id": text["event_id"], "model_version": text["model_version"], "ts": decision.ts,
        })
    return out


class ExampleStore:
    def __init__(self, redis: Redis, app_id: str) -> None:
        self.redis = redis
        self.key = examples_key(app_id)
        self._later = KeepLater(redis)

    async def record(self, verdicts: Iterable[tuple[Decision, dict[str, Any]]]) -> int:
        """Store the texts of decided escalations, unless a verdict decided later is stored; the
        number of fields written."""
        items = [(field, value, decision.ts) for decision, escalation in verdicts
                 for field, value in entries(decision, escalation).items()]
        return len(written(await self._later.write(self.key, items)))

    async def read(self) -> list[dict[str, Any]]:
        """Every stored entry, in field order (stable across reads). Read in pages (HSCAN), so
        that a large store never holds up the Redis the workers share."""
        raw = {k: v async for k, v in self.redis.hscan_iter(self.key, count=SCAN_PAGE)}
        return [orjson.loads(raw[k]) for k in sorted(raw)]


class VerdictError(ValueError):
    """A stored or exported verdict that cannot be read as one."""


_CHOICES = {"decision": DECISIONS, "kind": KINDS, "policy": POLICIES}


def _checked(rec: Any) -> dict[str, Any]:
    """A stored or exported verdict as `to_examples` reads it; `VerdictError` says what is wrong."""
    if not isinstance(rec, dict):
        raise VerdictError(f"a verdict must be a JSON object, not {type(rec).__name__}")
    which = f"verdict on escalation {str(rec.get('escalation_id'))[:128]!r}"
    missing = [k for k in ("text", "kind", "policy", "decision") if not isinstance(rec.get(k), str)]
    if missing:
        raise VerdictError(f"{which} lacks {', '.join(missing)}")
    for key, choices in _CHOICES.items():
        if rec[key] not in choices:
            raise VerdictError(f"{which}: {key} {rec[key][:40]!r} is not one of {', '.join(choices)}")
    wrong = [k for k in ("escalation_id", "event_id") if k in rec and not isinstance(rec[k], str)]
    wrong += [k for k in ("ts", "escalation_ts") if rec.get(k) is not None and type(rec[k]) is not int]
    if wrong:
        raise VerdictError(f"{which}: {', '.join(wrong)} of the wrong type")
    return rec


def _order(rec: dict[str, Any]) -> tuple[int, str]:
    """When a verdict was decided; the escalation breaks ties, so an export's line order never counts."""
    return int(rec.get("ts") or 0), str(rec.get("escalation_id", ""))


def _carried_at(rec: dict[str, Any]) -> tuple[int, str]:
    return int(rec["escalation_ts"]), str(rec.get("escalation_id", ""))


def first_carried(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per event and policy, only the verdict on the earliest escalation that carried the event
    (by the escalation's time, then id). Records without the event (stored before it was kept)
    all stand."""
    first: dict[tuple[str, str], dict[str, Any]] = {}
    rest = []
    for rec in records:
        if rec.get("event_id") is None or rec.get("escalation_ts") is None:
            rest.append(rec)
            continue
        key = (rec["event_id"], rec["policy"])
        kept = first.get(key)
        if kept is None or _carried_at(rec) < _carried_at(kept):
            first[key] = rec
    return [*rest, *first.values()]


def to_examples(records: Iterable[dict[str, Any]]) -> list[Example]:
    """One example per distinct (text, kind): positive for the policies its latest verdict
    confirmed, negative for those it dismissed, unknown for the rest. An event's text counts
    once, by the verdict on the first escalation that carried it (`first_carried`); the same
    text in several events: the latest decision (by its time, then escalation id) stands."""
    latest: dict[tuple[str, str, str], str] = {}
    for rec in sorted(first_carried(map(_checked, records)), key=_order):
        latest[(rec["text"], rec["kind"], rec["policy"])] = rec["decision"]
    found: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for (text, kind, policy), decision in latest.items():
        positive, negative = found.setdefault((text, kind), (set(), set()))
        (positive if decision == "confirmed" else negative).add(policy)
    return [
        Example(text, kind, frozenset(pos), frozenset(neg), "verdict")
        for (text, kind), (pos, neg) in sorted(found.items())
    ]
