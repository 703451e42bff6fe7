"""Latest risk profile per account in Redis, so support tooling on any worker can read it."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import orjson
from redis.asyncio import Redis

from scoring.escalation import Escalation
from scoring.records import Decision
from scoring.rules import rule_of
from streams.adapters import keys
from streams.adapters.later import KeepLater

# An account's list of escalations (the support lookup) keeps each one's first reasons only: the
# list holds the escalations of the profile TTL, and the full one is the escalations topic's.
SUMMARY_REASONS = 5
# At most this many escalations listed per account, its newest (by time, then id): an account
# escalated daily and never quiet for a whole TTL would otherwise grow its list without end.
MAX_LISTED = 100

# Trim an account's list (KEYS[1]) to its newest ARGV[1] entries, read from the summaries' own times
# (ties by id); run only for a list the batch's write found over the cap.
TRIM_LISTED = """
local over = redis.call('HLEN', KEYS[1]) - tonumber(ARGV[1])
if over <= 0 then return 0 end
local all = redis.call('HGETALL', KEYS[1])
local entries = {}
for i = 1, #all, 2 do
  local ok, summary = pcall(cjson.decode, all[i + 1])
  local ts = (ok and type(summary) == 'table' and tonumber(summary['ts'])) or 0
  entries[#entries + 1] = {ts, all[i]}
end
table.sort(entries, function(a, b) if a[1] ~= b[1] then return a[1] < b[1] end return a[2] < b[2] end)
for i = 1, over do redis.call('HDEL', KEYS[1], entries[i][2]) end
return over
"""


class ProfileStore:
    def __init__(self, redis: Redis, ttl_s: int, app_id: str) -> None:
        self.redis = redis
        self.ttl_s = ttl_s
        self.app_id = app_id
        self._later = KeepLater(redis)
        self._trim = redis.register_script(TRIM_LISTED)

    def key(self, template: str, id_: str) -> str:
        return keys.key(template, self.app_id, id_)

    async def write(self, profiles: dict[str, dict[str, Any]], escalations: list[Escalation]) -> None:
        """One pipelined round trip for the whole batch; one more per account list it leaves over
        the cap (`MAX_LISTED`), to trim it."""
        if not profiles and not escalations:
            return
        pipe = self.redis.pipeline(transaction=False)
        now_ms = int(time.time() * 1000)  # when published, as a reinstated rule is measured from (reviewer)
        lengths: dict[int, str] = {}  # the pipeline's reply index of each list's length -> its key
        for account, profile in profiles.items():
            key = self.key(keys.PROFILE, account)
            pipe.hset(key, mapping={k: orjson.dumps(v) for k, v in profile.items()})
            pipe.expire(key, self.ttl_s)
        for esc in escalations:
            key = self.key(keys.PROFILE, esc.account_id)
            pipe.hset(key, mapping={"last_escalation": orjson.dumps(esc.to_dict())})  # a withdrawal too
            pipe.expire(key, self.ttl_s)
            if esc.withdraws:  # no longer open for the support lookup; reviewers' decisions on it still count
                pipe.hdel(self.key(keys.ESCALATIONS, esc.account_id), esc.withdraws)
                continue
            # The record first, so that a lookup never finds the list entry without it; stored once
            # (an id names one content), so that it keeps when it was first published.
            record = {**reviewed(esc), "published_ms": now_ms}
            pipe.set(self.key(keys.ESCALATION, esc.escalation_id), orjson.dumps(record), ex=self.ttl_s, nx=True)
            listed = self.key(keys.ESCALATIONS, esc.account_id)
            pipe.hset(listed, esc.escalation_id, orjson.dumps(_summary(esc)))
            pipe.expire(listed, self.ttl_s)
            lengths[len(pipe.command_stack)] = listed
            pipe.hlen(listed)
        done = await pipe.execute()
        for key in sorted({key for at, key in lengths.items() if done[at] > MAX_LISTED}):
            await self._trim(keys=[key], args=[MAX_LISTED])

    async def escalations(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """What reviewers' decisions need of each known escalation (see `reviewed`)."""
        if not ids:
            return {}
        raw = await self.redis.mget([self.key(keys.ESCALATION, i) for i in ids])
        found = {i: orjson.loads(v) for i, v in zip(ids, raw, strict=True) if v is not None}
        missing = [i for i in ids if i not in found]
        if missing:
            legacy = await self.redis.mget([keys.key(keys.LEGACY_ESCALATION, "", i) for i in missing])
            found.update({i: orjson.loads(v) for i, v in zip(missing, legacy, strict=True) if v is not None})
        return found

    async def decided(self, verdicts: Iterable[tuple[Decision, dict[str, Any]]]) -> None:
        """Note reviewers' verdicts beside the account's escalations (the support lookup, and which
        verdict stands, `reviewer.standing`): per escalation, per policy decided ("*": the whole
        escalation); the later decided stands."""
        by_account: dict[str, list[tuple[str, bytes, int]]] = {}
        for decision, escalation in verdicts:
            field = f"{decision.escalation_id}:{decision.policy or '*'}"
            by_account.setdefault(escalation["account_id"], []).append((
                field,
                orjson.dumps({"decision": decision.decision, "reviewer": decision.reviewer, "ts": decision.ts}),
                decision.ts,
            ))
        if not by_account:
            return
        pipe = self.redis.pipeline(transaction=False)
        for account, items in by_account.items():
            key = self.key(keys.VERDICTS, account)
            await self._later.write(key, items, pipe)
            pipe.expire(key, self.ttl_s)
        await pipe.execute()

    async def verdicts_on(self, escalations: dict[str, str]) -> dict[str, dict[str, dict[str, Any]]]:
        """The verdicts stored on each escalation (id -> account): policy or "*" -> verdict."""
        accounts = sorted(set(escalations.values()))
        pipe = self.redis.pipeline(transaction=False)
        for account in accounts:
            pipe.hgetall(self.key(keys.VERDICTS, account))
        found: dict[str, dict[str, dict[str, Any]]] = {}
        for raw in await pipe.execute():
            found.update(_by_escalation(raw))
        return {i: found.get(i, {}) for i in escalations}

    async def read(self, account: str) -> dict[str, Any] | None:
        """The account's profile, with its escalations a decision still finds (within the profile
        TTL), each with its reviewers' verdicts (`verdicts`: policy, or "*" for all of them -> verdict)."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.hgetall(self.key(keys.PROFILE, account))
        pipe.hgetall(self.key(keys.ESCALATIONS, account))
        pipe.hgetall(self.key(keys.VERDICTS, account))
        raw, listed, decided = await pipe.execute()
        if not raw:
            return None
        profile = {_text(k): orjson.loads(v) for k, v in raw.items()}
        verdicts = {i: _standing(v) for i, v in _by_escalation(decided).items()}
        profile["escalations"] = sorted(
            ({**summary, "verdicts": verdicts.get(summary["escalation_id"], {})}
             for summary in map(orjson.loads, await self._decidable(account, listed))),
            key=lambda e: e["ts"], reverse=True,
        )
        return profile

    async def _decidable(self, account: str, listed: dict[bytes, bytes]) -> list[bytes]:
        """The listed escalations whose record a decision still finds; the others (past the
        profile TTL, which the list's own expiry, renewed by each new escalation, outlives) are
        taken off the list."""
        ids = [_text(k) for k in listed]
        known = await self.escalations(ids)
        gone = [i for i in ids if i not in known]
        if gone:
            await self.redis.hdel(self.key(keys.ESCALATIONS, account), *gone)
        return [v for k, v in listed.items() if _text(k) in known]


def _by_escalation(raw: dict[bytes, bytes]) -> dict[str, dict[str, dict[str, Any]]]:
    """An account's verdicts hash (`escalation id:policy or *` -> verdict) by escalation."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for field, value in raw.items():
        escalation_id, _, policy = _text(field).rpartition(":")
        out.setdefault(escalation_id, {})[policy] = orjson.loads(value)
    return out


def _standing(verdicts: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """An escalation's verdicts less those on one policy decided before one on the whole of it."""
    whole = verdicts.get("*")
    if whole is None:
        return verdicts
    return {p: v for p, v in verdicts.items() if p == "*" or v.get("ts", 0) > whole.get("ts", 0)}


def _text(key: bytes | str) -> str:
    return key.decode() if isinstance(key, bytes) else key


def _rule_policies(evidence: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    """Rule -> the policies its evidence in the escalation is for."""
    out: dict[str, set[str]] = {}
    for item in evidence:
        out.setdefault(rule_of(item["detector"]), set()).add(item["policy"])
    return {rule: sorted(policies) for rule, policies in sorted(out.items())}


def reviewed(esc: Escalation) -> dict[str, Any]:
    """The escalation as its reviewers' decision is applied: the account, the policies, when,
    the rules whose evidence it carried, the texts it read (which a verdict labels), and whether
    it was made from a finding scored apart (whose dismissal changes no score)."""
    out = {
        "account_id": esc.account_id,
        "policies": list(esc.policies),
        "ts": esc.ts,
        "rules": sorted({rule_of(item["detector"]) for item in esc.evidence}),
        "rule_policies": _rule_policies(esc.evidence),
        "texts": [
            {"policy": item["policy"], "event_id": item["event_id"], **item["text"]}
            for item in esc.evidence if "text" in item and not item["text"].get("with_earlier")
        ],
    }
    if esc.apart:
        out["apart"] = True
    return out


def _summary(esc: Escalation) -> dict[str, Any]:
    return {
        "escalation_id": esc.escalation_id,
        "policies": list(esc.policies),
        "severity": esc.severity,
        "score": esc.score,
        "reasons": list(esc.reasons[:SUMMARY_REASONS]),
        "ts": esc.ts,
        "rule_version": esc.rule_version,
        "model_version": esc.model_version,
    }
