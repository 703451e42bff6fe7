"""Backtest: the worker's decoding, detectors and scoring over recorded events, no broker.

Recorded events (`streams.batch.recorded`, the format the simulator writes) are processed in
batches through the same `Processor` the worker uses, with states in memory; subject events the batch
derives are fed back as the next batch's first events, as the re-keyed topic
would deliver them. A batch spans at most a minute of event time: a live worker's
batches span a second or so (its batch window), so a re-keyed notice (a proposal
telling the client, a rating the freelancer) reaches its account before that
account's next moves; a batch of quiet hours would hold them back for hours.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from scoring.escalation import Escalation
from scoring.evaluate import per_policy
from scoring.rules import Rules
from scoring.step import View
from streams.adapters.letter_index import MemoryLetterIndex
from streams.adapters.link_index_memory import MemoryLinkIndex
from streams.batch.pipeline import Incoming, Processor, account_events, proposals
from streams.batch.recorded import RecordedEvent
from streams.batch.schemas import subjects

BATCH = 2000
BATCH_SPAN_MS = 60_000  # event time a batch may span


@dataclass
class Backtest:
    escalations: list[Escalation] = field(default_factory=list)  # in force: those withdrawn left out
    withdrawn: int = 0
    dead_letters: int = 0
    events: int = 0
    seconds: float = 0.0

    def add(self, escalations: list[Escalation]) -> None:
        """A batch's escalations; a withdrawal takes the one it names out (it always follows it)."""
        gone = {e.withdraws for e in escalations if e.withdraws}
        every = self.escalations + [e for e in escalations if not e.withdraws]
        self.escalations = [e for e in every if e.escalation_id not in gone]
        self.withdrawn += len(every) - len(self.escalations)

    def flagged(self) -> set[tuple[str, str]]:
        return {(e.account_id, p) for e in self.escalations for p in e.policies}


def incoming(events: Iterable[RecordedEvent]) -> Iterator[Incoming]:
    """Recorded events as the worker takes them in: one partition per topic, offsets in order."""
    offsets: dict[str, int] = {}
    for ev in events:
        offset = offsets[ev.kind] = offsets.get(ev.kind, -1) + 1
        yield Incoming(ev.kind, ev.kind, 0, offset, ev.key.encode(), ev.payload(), ev.ts)


def batches(items: Iterable[Incoming]) -> Iterator[list[Incoming]]:
    """Batches of at most BATCH events spanning less than BATCH_SPAN_MS of event time each."""
    batch: list[Incoming] = []
    for item in items:
        if batch and (len(batch) == BATCH or item.timestamp_ms - batch[0].timestamp_ms >= BATCH_SPAN_MS):
            yield batch
            batch = []
        batch.append(item)
    if batch:
        yield batch


def run(
    events: Iterable[RecordedEvent],
    rules: Rules,
    max_event_bytes: int = 65536,
    max_text_chars: int = 20000,
    progress: Callable[[int], None] | None = None,
    states: dict[str, bytes] | None = None,
) -> Backtest:
    """Process `events`; `states` (account -> state bytes) is filled in when given."""
    processor = Processor(rules, max_event_bytes, max_text_chars)
    indexes = (MemoryLinkIndex(), MemoryLetterIndex())
    states = {} if states is None else states
    out, started = Backtest(), time.perf_counter()
    pending: list[Incoming] = []
    subject_offset = -1
    reported = 0
    for batch in batches(incoming(events)):
        pending, subject_offset = _process(processor, indexes, pending + batch, states, out, subject_offset)
        if progress and out.events - reported >= BATCH:
            reported = out.events
            progress(out.events)
    while pending:
        pending, subject_offset = _process(processor, indexes, pending, states, out, subject_offset)
    out.seconds = time.perf_counter() - started
    return out


def _process(
    processor: Processor, indexes: tuple[MemoryLinkIndex, MemoryLetterIndex], batch: list[Incoming],
    states: dict[str, bytes], out: Backtest, offset: int,
) -> tuple[list[Incoming], int]:
    decoded = processor.decode_all(batch)
    links, letters = indexes
    views: dict[str, View] = {**links.observe_now(account_events(decoded)), **letters.observe_now(proposals(decoded))}
    result = processor.process(batch, states.get, views, decoded)
    for account, (_, state) in result.states.items():
        states[account] = state
    out.add(result.escalations)
    out.dead_letters += len(result.dead_letters)
    out.events += sum(1 for item in batch if item.kind != "subjects")
    forwards = []
    for fwd in result.forwards:
        offset += 1
        value = subjects.encode(fwd)
        forwards.append(
            Incoming("subjects", "subjects", 0, offset, fwd.subject_id.encode(), value, fwd.ts)
        )
    return forwards, offset


def report(result: Backtest, truth: dict[str, Any] | None) -> dict[str, Any]:
    per_rule: dict[str, int] = {}
    for esc in result.escalations:
        for item in esc.evidence:
            per_rule[item["detector"]] = per_rule.get(item["detector"], 0) + 1
    summary: dict[str, Any] = {
        "events": result.events,
        "escalations": len(result.escalations),
        "withdrawn": result.withdrawn,
        "dead_letters": result.dead_letters,
        "events_per_second": round(result.events / result.seconds) if result.seconds else 0,
        "evidence_by_detector": dict(sorted(per_rule.items())),
        "text_model_versions": sorted({e.model_version for e in result.escalations}),
    }
    if truth is not None:
        summary["per_policy"] = per_policy(
            ((e.account_id, e.policies) for e in result.escalations), truth["policies"]
        )
    return summary


def compare(new: Backtest, old: Backtest) -> dict[str, list[list[str]]]:
    """(account, policy) pairs the new rules (or text model) escalate that the old did not, and
    the reverse; and the same for the texts in the escalations' evidence, as (event, policy)."""
    added, dropped = new.flagged() - old.flagged(), old.flagged() - new.flagged()
    texts_new, texts_old = _texts(new), _texts(old)
    return {
        "added": sorted(map(list, added)),
        "dropped": sorted(map(list, dropped)),
        "texts_added": sorted(map(list, texts_new - texts_old)),
        "texts_dropped": sorted(map(list, texts_old - texts_new)),
    }


def side(result: Backtest, rules: Rules) -> dict[str, Any]:
    """What one side of a comparison ran, and what it escalated."""
    return {"rules_version": rules.version, "text_model": rules.text_model.version,
            "escalations": len(result.escalations)}


def _texts(result: Backtest) -> set[tuple[str, str]]:
    return {(item["event_id"], item["policy"]) for e in result.escalations for item in e.evidence if "text" in item}


def print_progress(count: int) -> None:
    print(f"  {count} events", file=sys.stderr, flush=True)  # noqa: T201
