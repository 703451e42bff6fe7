"""The reviewer loop: verdicts on escalations measure each rule and act on what they measure.

Reviewers' decisions arrive on the decisions topic (`streams.batch.schemas.decisions`).
Each one is recorded, in Redis so that every worker sees the same figures,
against every rule whose evidence the escalation carried: one verdict per
escalation and rule, the one decided later replacing the other whichever arrives last,
so a decision re-delivered after a rebalance counts once. From those counts each worker
exports each rule's precision, and an active rule whose precision falls under
its floor over at least the configured number of verdicts is demoted to shadow
mode on every worker (`Reloader` applies the demotions) until an operator
reinstates it. A dismissal that stands (no verdict decided later covers its policy)
also travels to the account's own partition (a `dismissed` subject event per policy),
where the evidence up to the escalation stops counting in the account's score, unless
the escalation was made from a finding scored apart. A decision that comes before its
escalation is stored waits for it (`streams.adapters.waiting`). The texts the escalation read are stored with the
verdict as labelled examples (`streams.training.verdicts`), for `riskscorer train-text`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import faust
import orjson
from aiokafka import AIOKafkaProducer
from faust.types import EventT
from redis.asyncio import Redis

from scoring.records import Decision, SubjectEvent
from scoring.rules import Rules, below_floor, precision
from streams.adapters import keys
from streams.adapters.profiles import ProfileStore
from streams.adapters.waiting import Waiter, WaitingDecisions, admitted
from streams.batch import deadletter
from streams.batch.pipeline import Incoming, check_size
from streams.batch.schemas import DECISION_SCHEMA, Rejected, subjects
from streams.faust_fixes.acks import unacknowledged
from streams.training.verdicts import ExampleStore
from streams.worker import poison
from streams.worker.agents.score import incoming, reject_unprocessable
from streams.worker.health import REDIS, Health
from streams.worker.metrics import Metrics, count_sent
from streams.worker.topics import Topics

log = logging.getLogger(__name__)

# KEYS: the rule's verdicts (escalation id -> "decision ts") and its counts (decision -> n).
# ARGV: escalation id, decision, its time. A verdict decided before the one recorded is ignored
# (the later decided stands, whichever arrives last; a value without a time, as written before
# times were kept, counts as decided at 0). Counts change only when the decision does.
RECORD_VERDICT = """
local old = redis.call('HGET', KEYS[1], ARGV[1])
local was
if old then
  local decided, at = string.match(old, '^(%a+) ?(%d*)$')
  if tonumber(ARGV[3]) < (tonumber(at) or 0) then return 0 end
  was = decided
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ' ' .. ARGV[3])
if was == ARGV[2] then return 0 end
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
if was then redis.call('HINCRBY', KEYS[2], was, -1) end
return 1
"""


class VerdictStore:
    """Verdicts per rule, their counts, and the rules demoted by them, in Redis."""

    def __init__(self, redis: Redis, app_id: str) -> None:
        self.redis = redis
        self.prefix = keys.key(keys.REVIEWER, app_id)
        self._record = redis.register_script(RECORD_VERDICT)

    def _keys(self, rule: str) -> list[str]:
        # One hash tag per rule: both keys of a verdict live on one Redis Cluster slot.
        return [f"{self.prefix}{{{rule}}}:verdicts", f"{self.prefix}{{{rule}}}:counts"]

    @property
    def demoted_key(self) -> str:
        return f"{self.prefix}demoted"

    async def record(self, verdicts: Iterable[tuple[str, str, int, Iterable[str]]]) -> int:
        """Record (escalation id, decision, decision time, rules) verdicts; the number that changed a count."""
        pipe = self.redis.pipeline(transaction=False)
        n = 0
        for escalation_id, decision, ts, rules in verdicts:
            for rule in rules:
                await self._record(keys=self._keys(rule), args=[escalation_id, decision, ts], client=pipe)
                n += 1
        if not n:
            return 0
        return sum(int(changed) for changed in await pipe.execute())

    async def counts(self, rules: Iterable[str]) -> dict[str, tuple[int, int]]:
        """Rule -> (confirmed, dismissed)."""
        names = sorted(rules)
        pipe = self.redis.pipeline(transaction=False)
        for rule in names:
            pipe.hgetall(self._keys(rule)[1])
        out = {}
        for rule, raw in zip(names, await pipe.execute(), strict=True):
            got = {_text(k): int(v) for k, v in raw.items()}
            out[rule] = (got.get("confirmed", 0), got.get("dismissed", 0))
        return out

    async def demoted(self) -> dict[str, dict[str, Any]]:
        raw = await self.redis.hgetall(self.demoted_key)
        return {_text(k): orjson.loads(v) for k, v in raw.items()}

    async def demote(self, rule: str, why: dict[str, Any]) -> bool:
        """Demote `rule`; False when it already was (by this or another worker)."""
        return bool(await self.redis.hsetnx(self.demoted_key, rule, orjson.dumps(why)))

    @property
    def reinstated_key(self) -> str:
        return f"{self.prefix}reinstated"

    async def reinstate(self, rule: str) -> None:
        """Lift the demotion and forget the rule's verdicts: its precision is measured afresh, on
        the escalations published from now on (`counted`)."""
        pipe = self.redis.pipeline(transaction=False)  # keys of two hash tags: no MULTI on a cluster
        pipe.hset(self.reinstated_key, rule, int(time.time() * 1000))
        pipe.hdel(self.demoted_key, rule)
        pipe.delete(*self._keys(rule))
        await pipe.execute()

    async def reinstated(self) -> dict[str, int]:
        """Rule -> when it was last reinstated (epoch ms)."""
        raw = await self.redis.hgetall(self.reinstated_key)
        return {_text(k): int(v) for k, v in raw.items()}


def _text(key: bytes | str) -> str:
    return key.decode() if isinstance(key, bytes) else key


def stamped(decision: Decision, timestamp_ms: int) -> Decision:
    """A decision that gives no time of its own (`ts` absent or 0) is timed by its record's
    broker timestamp, so that of two verdicts on one text the later stands (`verdicts.to_examples`)."""
    return decision if decision.ts else replace(decision, ts=timestamp_ms)


def rules_decided(decision: Decision, escalation: dict[str, Any]) -> list[str]:
    """The rules a verdict counts for: those whose evidence is for a policy it decides (a
    verdict on one policy is refused on an escalation stored without its rules' policies)."""
    if not decision.policy:
        return list(escalation["rules"])
    by_rule = escalation["rule_policies"]
    return [rule for rule in escalation["rules"] if decision.policy in by_rule.get(rule, ())]


def counted(rules: list[str], escalation: dict[str, Any], reinstated: dict[str, int]) -> list[str]:
    """Of the rules a verdict is on, those it measures: a reinstated rule is measured afresh, on
    escalations published after it was reinstated (the reviewers' backlog of its old escalations,
    or an old decision re-sent, would demote it again on the figures that demoted it)."""
    published = int(escalation.get("published_ms", 0))
    return [rule for rule in rules if published >= reinstated.get(rule, 0)]


def standing(decision: Decision, stored: dict[str, dict[str, Any]], policy: str) -> bool:
    """Whether `decision` is the verdict that stands on `policy` of its escalation: the latest
    decided of those stored on that policy and on the whole escalation."""
    covering = [v for v in (stored.get("*"), stored.get(policy)) if v is not None]
    if not covering:
        return True
    latest = max(covering, key=lambda v: int(v.get("ts", 0)))
    return latest.get("decision") == decision.decision and int(latest.get("ts", 0)) == decision.ts


def dismissals(decision: Decision, escalation: dict[str, Any]) -> list[SubjectEvent]:
    """The subject events that take a dismissed escalation's evidence out of its account's score
    (the policies dismissed only). An escalation made from a finding scored apart has none there:
    dismissing it must not take the account's other evidence of its policy."""
    if decision.decision != "dismissed" or escalation.get("apart"):
        return []
    return [
        SubjectEvent(
            event_id=f"dismissal:{decision.escalation_id}:{policy}",
            ts=int(escalation["ts"]),
            kind="dismissed",
            subject_id=escalation["account_id"],
            subject_role="unknown",
            contract_id="",
            other_id=decision.reviewer,
            policy=policy,
        )
        for policy in escalation["policies"] if decision.covers(policy)
    ]


@dataclass(frozen=True, slots=True)
class RuleBoard:
    """Exports each rule's verdicts and precision, and demotes the rules under their floor."""

    store: VerdictStore
    metrics: Metrics
    rules: Callable[[], Rules]  # the rules in force (as published, before demotions)

    async def refresh(self) -> None:
        rules = self.rules()
        counts = await self.store.counts(rules.detectors)
        demoted = await self.store.demoted()
        m = self.metrics
        for rule, (confirmed, dismissed) in counts.items():
            m.rule_decisions.labels(rule, "confirmed").set(confirmed)
            m.rule_decisions.labels(rule, "dismissed").set(dismissed)
            m.rule_precision_floor.labels(rule).set(rules.precision_floor(rule))
            measured = precision(confirmed, dismissed)
            if measured is not None:
                m.rule_precision.labels(rule).set(measured)
            else:  # none yet, or reinstated (verdicts forgotten): no old figure to keep an alert firing
                m.rule_precision.remove(rule)
            m.rule_demoted.labels(rule).set(1 if rule in demoted else 0)
            m.rules_demoted.labels(rule)  # exported at 0 until a demotion
            if rules.detectors[rule].mode != "active" or rule in demoted:
                continue
            if below_floor(rules, rule, confirmed, dismissed):
                await self.demote(rule, rules, confirmed, dismissed)

    async def demote(self, rule: str, rules: Rules, confirmed: int, dismissed: int) -> None:
        why = {"precision": round(confirmed / (confirmed + dismissed), 4), "confirmed": confirmed,
               "dismissed": dismissed, "floor": rules.precision_floor(rule), "rules_version": rules.version,
               "ts": int(time.time() * 1000)}
        if await self.store.demote(rule, why):
            self.metrics.rules_demoted.labels(rule).inc()
            self.metrics.rule_demoted.labels(rule).set(1)
            log.warning("rule %s demoted to shadow mode: precision %.2f under its floor %.2f over %d verdicts",
                        rule, why["precision"], why["floor"], confirmed + dismissed)


@dataclass(frozen=True, slots=True)
class DecisionsAgent:
    topics: Topics
    profiles: ProfileStore
    store: VerdictStore
    board: RuleBoard
    examples: ExampleStore
    metrics: Metrics
    max_text_chars: int
    batch_max: int
    batch_window_s: float
    producer: Callable[[], AIOKafkaProducer]
    health: Health
    attempts: int  # tries of a batch failing otherwise than by an outage, before it is split
    stopping: Callable[[], bool] = lambda: False  # whether Faust is stopping this agent
    # decisions before their escalation wait there this long, then are dead-lettered (None: at once)
    waiting: WaitingDecisions | None = None
    wait_ms: int = 0
    wait_max: int = 100_000  # decisions waiting at most; past it one is dead-lettered at once
    max_event_bytes: int = 65_536  # a decision larger is dead-lettered (`too_large`)
    worker_id: str = ""

    async def run(self, stream: faust.StreamT[bytes]) -> AsyncIterator[None]:
        batches = stream.take_events(self.batch_max, within=self.batch_window_s)  # type: ignore[attr-defined]
        async for events in batches:
            batch = [self.incoming(e) for e in events]
            try:
                await self.retrier.settle(batch, self.handle, self.reject, self.attempts)
            except BaseException:
                unacknowledged(events)
                raise
            yield None

    def incoming(self, event: EventT[bytes]) -> Incoming:
        return incoming(event, "decisions")

    @property
    def retrier(self) -> poison.Retrier:
        return poison.Retrier(self.health, self.retrying, stopping=self.stopping)

    async def reject(self, item: Incoming, exc: Exception) -> None:
        await reject_unprocessable(item, exc, self.topics, self.producer, self.metrics, self.retrier)

    def retrying(self, exc: Exception, delay: float) -> None:
        self.metrics.batch_retries.inc()
        log.error("decisions batch failed, retrying in %.1f s: %r", delay, exc, exc_info=exc)

    async def handle(self, batch: list[Incoming]) -> None:
        still, count = await self._apply(batch, {})
        if self.waiting is not None:  # one delivered again after it waited: applied now, waits no more
            await self.waiting.forget(item for item in batch if item not in still)
        count()

    async def retry_waiting(self) -> None:
        """Try again a page of the decisions that came before their escalation
        (`streams.adapters.waiting`), one worker at a time: those it now finds are applied and
        those waited for too long dead-lettered (both then leave the hash); the others stay."""
        if self.waiting is None:
            return
        self.metrics.decisions_waiting.set(await self.waiting.count())
        if not await self.waiting.claim(self.worker_id):
            return
        try:
            page = await self.waiting.next_page()
            if not page:  # nothing tried: nothing shown about the broker (a success would say it is up)
                return
            since = {item.where: first for item, first in page}

            async def retried(part: list[Incoming]) -> None:
                still, count = await self._apply(part, since)
                await self.waiting.forget(item for item in part if item not in still)  # type: ignore[union-attr]
                count()

            # a retry that reads Redis alone shows only Redis reachable, not the broker
            retrier = replace(self.retrier, needs=(REDIS,))

            async def rejected(item: Incoming, exc: Exception) -> None:  # dead-lettered: waits no more
                await self.reject(item, exc)
                # through an outage too: left waiting, it would be dead-lettered (and counted) again
                await retrier.until_done(lambda: self.waiting.forget([item]))  # type: ignore[union-attr]

            await retrier.settle([item for item, _ in page], retried, rejected, self.attempts)
            self.metrics.decisions_waiting.set(await self.waiting.count())
        finally:
            await self.waiting.release(self.worker_id)

    async def _apply(self, batch: list[Incoming], waited: dict[tuple[str, int, int], int],
                     ) -> tuple[list[Incoming], Callable[[], None]]:
        """Apply a batch of decisions (`waited`: when those that waited before first did); the
        decisions left waiting for their escalation, and what counts the batch in the metrics
        (called once the whole batch is settled: a batch redone is counted once)."""
        rejected: list[tuple[Incoming, str, str]] = []
        decided: list[tuple[Incoming, Decision]] = []
        for item in batch:
            try:
                check_size(item.value or b"", self.max_event_bytes)  # never kept waiting, whatever its size
                record = DECISION_SCHEMA.decode(item.value or b"", self.max_text_chars)
            except Rejected as exc:
                rejected.append((item, exc.reason, exc.detail))
                continue
            assert isinstance(record, Decision)
            decided.append((item, stamped(record, item.timestamp_ms)))
        known = await self.profiles.escalations(list({d.escalation_id for _, d in decided}))
        applied, wait = [], []
        now_ms = int(time.time() * 1000)
        for item, d in decided:
            first = waited.get(item.where, now_ms)
            if d.escalation_id not in known and self.waiting is not None and now_ms - first < self.wait_ms:
                wait.append((item, first))
            elif d.escalation_id not in known:
                rejected.append((item, "unknown_escalation", f"no escalation {d.escalation_id} (or it expired)"))
            elif d.policy and d.policy not in known[d.escalation_id]["policies"]:
                rejected.append((item, "bad_value", f"escalation {d.escalation_id} is not about {d.policy}"))
            elif d.policy and "rule_policies" not in known[d.escalation_id]:
                rejected.append((item, "bad_value", f"escalation {d.escalation_id} was published before verdicts "
                                                    "on one policy: decide it whole"))
            else:
                applied.append(d)
        wait, full = await self._admitted(wait, waited)
        rejected += [(item, "unknown_escalation", f"no escalation yet, and {self.wait_max} decisions already wait "
                                                  "for theirs (RISKSCORER_DECISION_WAIT_MAX)") for item in full]
        reinstated = await self.store.reinstated() if applied else {}
        await self.store.record((d.escalation_id, d.decision, d.ts,
                                 counted(rules_decided(d, known[d.escalation_id]), known[d.escalation_id], reinstated))
                                for d in applied)
        await self.examples.record((d, known[d.escalation_id]) for d in applied)
        await self.profiles.decided((d, known[d.escalation_id]) for d in applied)
        out, t = self.producer(), self.topics
        sends = [
            await out.send(t.dead_letters.get_topic_name(), deadletter.record(item, reason, detail),
                           key=deadletter.key(item))
            for item, reason, detail in rejected
        ]
        # a dismissal decided before a verdict stored on its policy (or on the whole escalation)
        # takes nothing out of the score
        dismissed = {d.escalation_id: known[d.escalation_id]["account_id"]
                     for d in applied if d.decision == "dismissed"}
        stored = await self.profiles.verdicts_on(dismissed) if dismissed else {}
        notices = [f for d in applied for f in dismissals(d, known[d.escalation_id])
                   if standing(d, stored[d.escalation_id], f.policy)]
        sends += [await out.send(t.subjects.get_topic_name(), subjects.encode(f), key=f.subject_id.encode())
                  for f in notices]
        await asyncio.gather(*sends)
        count_sent(self.metrics, deadletter=len(rejected), subjects=len(notices))
        if wait and self.waiting is not None:
            await self.waiting.keep(wait)
        if applied:
            await self.board.refresh()
        return [item for item, _ in wait], partial(self._count, [reason for _, reason, _ in rejected], applied)

    async def _admitted(self, wait: list[Waiter], waited: dict[tuple[str, int, int], int],
                        ) -> tuple[list[Waiter], list[Incoming]]:
        """Of the decisions to wait, those that may, and those past `wait_max` waiting."""
        if self.waiting is None or all(item.where in waited for item, _ in wait):
            return wait, []
        return admitted(wait, waited, self.wait_max - await self.waiting.count())

    def _count(self, rejected: list[str], applied: list[Decision]) -> None:
        """A settled batch's decisions in the metrics: those dead-lettered, by reason, and those applied."""
        for reason in rejected:
            self.metrics.dead_letters.labels("decisions", reason).inc()
            self.metrics.events.labels("decisions", "dead_letter").inc()
        for d in applied:
            self.metrics.decisions.labels(d.decision).inc()
            self.metrics.events.labels("decisions", "applied").inc()
