"""Where a worker scores its batches: in its own process, or in child processes.

Faust's per-message path (fetch, conductor, channel, stream) and the scoring of a
batch each take a large share of a worker's CPU, and one Python process uses one
core. With child processes (`RISKSCORER_SCORING_PROCESSES`, two by default) the
worker's event loop gathers the next batch while the children score this one,
each its share of the accounts: 1.06-1.41 times the events per worker on two
cores (BENCHMARKS.md). A child is a pure function of what it is sent, the
events, the states of their accounts and the index views, and returns the
`BatchResult`; the table, Redis, the producer and the metrics stay in the
worker, so at-least-once and replay work exactly as inline.

Children are started with `spawn` (never a fork of a running event loop), read
requests from their end of a pipe and exit when the worker's end closes, also
when the worker was killed with SIGKILL. If a child dies the batch fails, is
retried by the agent, and the next attempt starts new children.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import pickle
import signal
import traceback
import zlib
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, Protocol

from scoring import sketch
from scoring.records import AccountEvent, Event, Proposal
from scoring.rules import Rules
from scoring.step import View
from streams.batch import heap
from streams.batch.pipeline import BatchResult, Incoming, Processor, Where, account_events, proposals
from streams.batch.schemas import Rejected

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Prepared:
    """What the worker needs before a batch is scored: whose states to load, and the records
    the link and cover-letter indexes observe."""

    accounts: set[str]
    account_events: list[AccountEvent]
    proposals: list[Proposal]
    decoded: list[tuple[Incoming, Event | Rejected]] | None = None  # the whole batch, when decoded
    owners: list[str] | None = None  # each event's account when not decoded ("" when rejected)
    sketches: dict[str, str] = field(default_factory=dict)  # proposals' sketches made already, by event id


class Pool(Protocol):
    """What scores a worker's batches: the worker's own process (`InlinePool`) or its children
    (`ChildPool`)."""

    processor: Processor

    def start(self) -> None: ...

    def prepare(self, batch: list[Incoming], read: dict[Where, Event] | None = None) -> Prepared:
        """What to load and index before `batch` is scored; `read`: records decoded before (taken
        out as used)."""

    async def sketches(self, proposals: list[Proposal]) -> dict[str, str]: ...

    async def score(self, batch: list[Incoming], prepared: Prepared, states: dict[str, bytes | None],
                    views: dict[str, View]) -> BatchResult: ...

    def close(self) -> None: ...


class InlinePool:
    """Scores in the worker's own process (`RISKSCORER_SCORING_PROCESSES=0`)."""

    def __init__(self, processor: Processor) -> None:
        self.processor = processor

    def start(self) -> None:
        pass

    def prepare(self, batch: list[Incoming], read: dict[Where, Event] | None = None) -> Prepared:
        decoded = self.processor.decode_all(batch, read)
        accounts = {record.actor for _, record in decoded if not isinstance(record, Rejected)}
        return Prepared(accounts, account_events(decoded), proposals(decoded), decoded)

    async def sketches(self, proposals: list[Proposal]) -> dict[str, str]:
        return {}  # the cover-letter index sketches them here, and the detector finds them cached

    async def score(self, batch: list[Incoming], prepared: Prepared, states: dict[str, bytes | None],
                    views: dict[str, View]) -> BatchResult:
        return self.processor.process(batch, states.__getitem__, views, prepared.decoded)

    def close(self) -> None:
        pass


INDEXED = frozenset({"accounts", "proposals"})
SCORE, SKETCH = "score", "sketch"  # the two requests a child answers
SLOW_S = 10.0


class Child:
    """One scoring process and our end of its pipe."""

    def __init__(self, processor: Processor) -> None:
        ctx = multiprocessing.get_context("spawn")
        ours, theirs = ctx.Pipe()
        self.process = ctx.Process(
            target=serve, args=(theirs, processor.max_event_bytes, processor.max_text_chars),
            name="riskscorer-scoring", daemon=True,
        )
        self.process.start()
        theirs.close()  # the child holds the only other end: it sees EOF when the worker goes
        self.conn: Connection = ours
        self.rules_sent: Rules | None = None
        self.seq = 0
        log.info("scoring process %s started", self.process.pid)

    def _request(self, kind: str, *args: Any) -> int:
        """Send a request; its sequence number identifies the reply."""
        self.seq += 1
        self.conn.send_bytes(pickle.dumps((self.seq, kind, *args), protocol=pickle.HIGHEST_PROTOCOL))
        return self.seq

    def send(self, rules: Rules, batch: list[Incoming], states: dict[str, bytes | None],
             views: dict[str, View], sketches: dict[str, str]) -> int:
        seq = self._request(SCORE, None if rules is self.rules_sent else rules, batch, states, views, sketches)
        self.rules_sent = rules
        return seq

    def send_letters(self, letters: list[tuple[str, str]]) -> int:
        """Ask for the sketches of (event id, cover letter) pairs."""
        return self._request(SKETCH, letters)

    async def reply(self, seq: int) -> Any:
        """The result of request `seq`; a reply to a request whose caller was cancelled is dropped."""
        conn, loop = self.conn, asyncio.get_running_loop()
        fd = conn.fileno()
        while True:
            while not conn.poll():
                readable: asyncio.Future[None] = loop.create_future()
                # A registration left on this descriptor number by a file closed without
                # removing it would make add_reader only swap callbacks on an unwatched entry.
                loop.remove_reader(fd)
                loop.add_reader(fd, _wake, readable)
                try:
                    await readable
                finally:
                    loop.remove_reader(fd)
                    if not conn.closed:  # closed when the wait was cancelled to kill the child
                        # The loop made the pipe non-blocking; sends and a whole reply's read block.
                        os.set_blocking(fd, True)
            got, ok, payload = pickle.loads(conn.recv_bytes())  # noqa: S301 - our child's pipe
            if got != seq:
                continue
            if not ok:
                raise RuntimeError(f"scoring process failed:\n{payload}")
            return payload

    def alive(self) -> bool:
        return self.process.is_alive() and not self.conn.closed

    def close(self, kill: bool = False) -> None:
        """Close our end: an idle child exits, a busy one after its batch (or at once: `kill`)."""
        self.conn.close()
        if kill:
            self.process.kill()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)


class PoolTimeout(RuntimeError):
    pass


class ChildPool:
    """Scores in child processes, each batch split between them by account.

    The worker decodes only what it needs first. An event's key names its
    account (a key that is not the acting account is rejected when scored, so
    loading that key's state as well is harmless); an event without a key, and
    every account event and proposal, is decoded here. All of an account's
    events go to the same child, in their order.
    """

    def __init__(self, processor: Processor, processes: int, timeout_s: float = 30.0) -> None:
        self.processor = processor  # its rules are current (the Reloader swaps them)
        self.processes = processes
        self.timeout_s = timeout_s  # a child that takes longer is killed and the batch retried
        self._children: list[Child] = []

    def prepare(self, batch: list[Incoming], read: dict[Where, Event] | None = None) -> Prepared:
        owners: list[str] = []
        linked: list[AccountEvent] = []
        letters: list[Proposal] = []
        for item in batch:
            if item.key is not None and item.kind not in INDEXED:
                owners.append(item.key.decode("utf-8", "replace"))
                continue
            try:
                record = self.processor.decode_once(item, read)
            except Rejected:
                owners.append("")  # scored as a dead letter, by the first child
                continue
            owners.append(record.actor)
            if isinstance(record, AccountEvent):
                linked.append(record)
            elif isinstance(record, Proposal):
                letters.append(record)
        return Prepared(set(owners) - {""}, linked, letters, owners=owners)

    def start(self) -> None:
        """Children for the next batch: the ones running, or new ones if any is gone."""
        if len(self._children) != self.processes or not all(c.alive() for c in self._children):
            self.close(kill=True)
            self._children = [Child(self.processor) for _ in range(self.processes)]

    def _part(self, account: str) -> int:
        return zlib.crc32(account.encode()) % len(self._children)

    async def sketches(self, proposals: list[Proposal]) -> dict[str, str]:
        """The proposals' cover-letter sketches, computed by the children that will score them
        (each keeps them cached for its detector) while the worker updates the link index."""
        if not proposals:
            return {}
        self.start()
        parts: list[list[tuple[str, str]]] = [[] for _ in self._children]
        for p in proposals:
            parts[self._part(p.actor)].append((p.event_id, p.cover_letter))
        pending = [(child, child.send_letters(part)) for child, part in zip(self._children, parts, strict=True)
                   if part]
        found: dict[str, str] = {}
        for part in await self._guarded(pending):
            found.update(part)
        return found

    async def score(self, batch: list[Incoming], prepared: Prepared, states: dict[str, bytes | None],
                    views: dict[str, View]) -> BatchResult:
        self.start()
        n = len(self._children)
        part_of = {account: self._part(account) for account in prepared.accounts}
        batches: list[list[Incoming]] = [[] for _ in range(n)]
        for item, owner in zip(batch, prepared.owners or (), strict=True):
            batches[part_of.get(owner, 0)].append(item)
        parts_states: list[dict[str, bytes | None]] = [{} for _ in range(n)]
        for account, state in states.items():
            parts_states[part_of[account]][account] = state
        parts_views: list[dict[str, View]] = [{} for _ in range(n)]
        indexed: list[AccountEvent | Proposal] = [*prepared.account_events, *prepared.proposals]
        for record in indexed:
            if record.event_id in views:
                parts_views[part_of[record.actor]][record.event_id] = views[record.event_id]
        parts_sketches: list[dict[str, str]] = [{} for _ in range(n)]
        for p in prepared.proposals:
            if p.event_id in prepared.sketches:
                parts_sketches[part_of[p.actor]][p.cover_letter] = prepared.sketches[p.event_id]
        rules = self.processor.rules
        pending = [(child, child.send(rules, b, st, v, sk)) for child, b, st, v, sk
                   in zip(self._children, batches, parts_states, parts_views, parts_sketches, strict=True) if b]
        return BatchResult.merged(await self._guarded(pending))

    async def _guarded(self, pending: list[tuple[Child, int]]) -> list[Any]:
        """The replies to requests already sent; a lost or stuck child fails the batch."""
        try:
            return await asyncio.wait_for(self._replies(pending), self.timeout_s)
        except TimeoutError:  # before OSError, of which it is a subclass
            self.close(kill=True)
            raise PoolTimeout(f"no answer from the scoring processes in {self.timeout_s:g} s: "
                                 "killed; the batch is retried with new ones") from None
        except (EOFError, OSError) as exc:
            self.close(kill=True)
            raise RuntimeError(f"scoring process lost: {exc!r}") from exc

    async def _replies(self, pending: list[tuple[Child, int]]) -> list[Any]:
        """The children's results, in order; a warning names the children still busy after
        `SLOW_S` (a batch normally takes well under a second)."""
        tasks = [asyncio.ensure_future(child.reply(seq)) for child, seq in pending]
        try:
            done, _ = await asyncio.wait(tasks, timeout=SLOW_S)
            if len(done) < len(tasks):
                busy = [f"pid {c.process.pid} ({'alive' if c.process.is_alive() else 'gone'}, request {seq})"
                        for (c, seq), t in zip(pending, tasks, strict=True) if not t.done()]
                log.warning("scoring processes have not answered for %.0f s: %s", SLOW_S, ", ".join(busy))
            return list(await asyncio.gather(*tasks))
        finally:
            # After a failure, a timeout or a cancellation other replies may still wait: each
            # must take its pipe off the event loop before the pipes are closed. Left there, a
            # new pipe given the same descriptor number would be registered without being
            # watched, and its replies never noticed.
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    def close(self, kill: bool = False) -> None:
        for child in self._children:
            child.close(kill)
        self._children = []


def _wake(readable: asyncio.Future[None]) -> None:
    if not readable.done():
        readable.set_result(None)


def serve(conn: Connection, max_event_bytes: int, max_text_chars: int) -> None:
    """The child: score each request until the worker's end of the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's Ctrl-C reaches the worker, which stops us
    processor: Processor | None = None
    while True:
        try:
            request = conn.recv_bytes()
        except (EOFError, OSError):
            return
        seq, kind, *args = pickle.loads(request)  # noqa: S301 - the worker's pipe
        try:
            if kind == SKETCH:
                reply: tuple[int, bool, Any] = (seq, True, {i: sketch.sketch(text) for i, text in args[0]})
            else:
                rules, batch, states, views, sketches = args
                sketch.given(sketches)  # the worker's, of the letters it read: not made again
                if rules is not None:
                    processor = Processor(rules, max_event_bytes, max_text_chars)
                    heap.settle()  # the rules and text model, kept until the next rules come
                assert processor is not None, "first request without rules"
                reply = (seq, True, processor.process(batch, states.__getitem__, views))
        except Exception:  # noqa: BLE001 - the worker logs it and retries the batch
            reply = (seq, False, traceback.format_exc())
        try:
            conn.send_bytes(pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
        except (EOFError, OSError):
            return


def create(processor: Processor, processes: int, timeout_s: float) -> Pool:
    return ChildPool(processor, processes, timeout_s) if processes else InlinePool(processor)
