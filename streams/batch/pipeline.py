"""One batch of raw input events in; dead letters, escalations and new states out.

Independent of Faust so the worker, the benchmark and tests share it. Events
are grouped by account; each account's state is loaded once, the events
applied in order, and stored once. An event at or before the source position
already in the state is a replay and is skipped, so replays change nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scoring.escalation import Escalation
from scoring.records import AccountEvent, Event, Proposal, SubjectEvent, pickled_as_arguments
from scoring.rules import Rules, rule_of
from scoring.signals import Signal, Withdrawal
from scoring.state import AccountState
from scoring.step import View, step
from streams.batch import bounded, deadletter
from streams.batch.kept_states import KeptStates
from streams.batch.schemas import INPUT_SCHEMAS, Rejected
from streams.batch.statecodec import decode_state, encode_state

Where = tuple[str, int, int]  # a record's topic, partition and offset


@pickled_as_arguments
@dataclass(frozen=True, slots=True)
class Incoming:
    kind: str  # schema name of the source topic
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    timestamp_ms: int

    @property
    def position(self) -> str:
        return f"{self.topic}:{self.partition}"

    @property
    def where(self) -> Where:
        return (self.topic, self.partition, self.offset)


@dataclass(slots=True)
class BatchResult:
    dead_letters: list[tuple[bytes | None, bytes]] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)
    forwards: list[SubjectEvent] = field(default_factory=list)
    # (account, shadow signal, or the withdrawal of one published before)
    shadow: list[tuple[str, Signal | Withdrawal]] = field(default_factory=list)
    states: dict[str, tuple[int, bytes]] = field(default_factory=dict)  # account -> (partition, state)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    replayed: int = 0
    # What the worker counts in its metrics (`streams.worker.metrics.record_metrics`); kept here so
    # that a batch scored in another process brings its counts back with it.
    outcomes: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, outcome) -> events
    rejected: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, reason) -> events
    signals: Counter[str] = field(default_factory=Counter)  # policy -> signals
    exempt: Counter[str] = field(default_factory=Counter)  # rule -> signals of allow-listed accounts
    shadow_hits: Counter[str] = field(default_factory=Counter)  # rule -> signals in shadow mode
    shadow_withdrawn: Counter[str] = field(default_factory=Counter)  # rule -> shadow findings withdrawn

    @classmethod
    def merged(cls, parts: list[BatchResult]) -> BatchResult:
        """One result of a batch scored in parts, each holding other accounts."""
        out = cls()
        for part in parts:
            out.dead_letters += part.dead_letters
            out.escalations += part.escalations
            out.forwards += part.forwards
            out.shadow += part.shadow
            out.states.update(part.states)
            out.profiles.update(part.profiles)
            out.replayed += part.replayed
            out.outcomes.update(part.outcomes)
            out.rejected.update(part.rejected)
            out.signals.update(part.signals)
            out.exempt.update(part.exempt)
            out.shadow_hits.update(part.shadow_hits)
            out.shadow_withdrawn.update(part.shadow_withdrawn)
        return out


def account_events(decoded: list[tuple[Incoming, Event | Rejected]]) -> list[AccountEvent]:
    """The account events of a decoded batch: what the link index observes before scoring."""
    return [record for _, record in decoded if isinstance(record, AccountEvent)]


def proposals(decoded: list[tuple[Incoming, Event | Rejected]]) -> list[Proposal]:
    """The proposals of a decoded batch: what the cover-letter index observes before scoring."""
    return [record for _, record in decoded if isinstance(record, Proposal)]


def check_size(value: bytes, limit: int) -> None:
    """Raise `Rejected` (`too_large`) for an event value over `limit` bytes."""
    if len(value) > limit:
        raise Rejected("too_large", f"event is {len(value)} bytes, limit {limit}")


class Processor:
    def __init__(self, rules: Rules, max_event_bytes: int, max_text_chars: int):
        self.rules = rules
        self.max_event_bytes = max_event_bytes
        self.max_text_chars = max_text_chars
        self.kept = KeptStates()

    def decode(self, item: Incoming) -> Event:
        """Decode one raw event; raise `Rejected` when it is not a valid event of its topic."""
        if item.value is None:
            raise Rejected("bad_json", "empty value (tombstone)")
        check_size(item.value, self.max_event_bytes)
        record = INPUT_SCHEMAS[item.kind].decode(item.value, self.max_text_chars)
        if item.key is None:  # no key, no partition of its own: the account's state may be elsewhere
            raise Rejected("key_mismatch", f"no key: it must be the acting account {record.actor!r}")
        if item.key != record.actor.encode():
            raise Rejected("key_mismatch", f"key must be the acting account {record.actor!r}")
        return record

    def decode_once(self, item: Incoming, read: dict[Where, Event] | None) -> Event:
        """`decode`, or the record decoded before from the same place, taken out of `read`."""
        record = read.pop(item.where, None) if read else None
        return self.decode(item) if record is None else record

    def decode_all(
        self, batch: list[Incoming], read: dict[Where, Event] | None = None
    ) -> list[tuple[Incoming, Event | Rejected]]:
        """Each raw event with its record, or why it was rejected; `read`: records decoded before."""
        out: list[tuple[Incoming, Event | Rejected]] = []
        for item in batch:
            try:
                out.append((item, self.decode_once(item, read)))
            except Rejected as rej:
                out.append((item, rej))
        return out

    def process(
        self,
        batch: list[Incoming],
        load: Callable[[str], bytes | None],
        views: Mapping[str, View] | None = None,
        decoded: list[tuple[Incoming, Event | Rejected]] | None = None,
    ) -> BatchResult:
        """Apply a batch. `views` (by event id) is what the link index knows at each account
        event and the cover-letter index at each proposal; `decoded` is `decode_all(batch)` when
        the caller already needed the records."""
        result = BatchResult()
        by_account: dict[str, list[tuple[Incoming, Event]]] = {}
        for item, record in decoded if decoded is not None else self.decode_all(batch):
            if isinstance(record, Rejected):
                letter = deadletter.record(item, record.reason, record.detail)
                result.dead_letters.append((deadletter.key(item), letter))
                result.rejected[(item.kind, record.reason)] += 1
                result.outcomes[(item.kind, "dead_letter")] += 1
                continue
            by_account.setdefault(record.actor, []).append((item, record))
        for account, items in by_account.items():
            self._apply(account, items, load(account), result, views or {})
        return result

    def _apply(
        self,
        account: str,
        items: list[tuple[Incoming, Event]],
        raw_state: bytes | None,
        result: BatchResult,
        views: Mapping[str, View],
    ) -> None:
        state = self._state(account, raw_state)
        applied = 0
        scores_before = dict(state.scores)
        for item, record in items:
            position = item.position
            if item.offset <= state.applied.get(position, -1):
                result.replayed += 1
                result.outcomes[(item.kind, "replayed")] += 1
                continue
            view = views.get(record.event_id) if isinstance(record, AccountEvent | Proposal) else None
            outcome = step(state, record, self.rules, view)
            result.forwards += outcome.forwards
            for sig in outcome.signals:
                result.signals[sig.policy] += 1
            for sig in outcome.exempt:
                result.exempt[rule_of(sig.detector)] += 1
            for sig in outcome.shadow:
                result.shadow_hits[rule_of(sig.detector)] += 1
                result.shadow.append((account, sig))
            for gone in outcome.shadow_withdrawn:
                result.shadow_withdrawn[rule_of(gone.detector)] += 1
                result.shadow.append((account, gone))
            state.applied[position] = item.offset
            applied += 1
            result.outcomes[(item.kind, "scored")] += 1
            result.escalations += [bounded.escalation(e, self.rules) for e in outcome.escalations]
        if applied:
            raw_state = encode_state(state)
            result.states[account] = (items[-1][0].partition, raw_state)
            if state.scores != scores_before:
                result.profiles[account] = bounded.profile(state.scores, state.evidence)
        if raw_state is not None:  # as stored: encoded now, or as it came when every event was a replay
            self.kept.keep(account, raw_state, state)

    def _state(self, account: str, raw_state: bytes | None) -> AccountState:
        """The account's state as stored: new, kept from its last batch, or decoded."""
        if raw_state is None:
            return AccountState()
        kept = self.kept.take(account, raw_state)
        return kept if kept is not None else decode_state(raw_state)
