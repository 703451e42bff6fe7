"""Scoring in child processes gives what scoring in the worker gives, and survives a lost child."""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
import time
from collections.abc import Awaitable

import pytest

from scoring import sketch
from scoring.records import Proposal, SubjectEvent
from streams.adapters.letter_index import MemoryLetterIndex
from streams.adapters.link_index_memory import MemoryLinkIndex
from streams.batch import processes
from streams.batch.pipeline import BatchResult, Incoming, Processor
from streams.batch.processes import ChildPool, InlinePool, Pool, PoolTimeout
from streams.batch.rules_file import load_rules
from streams.commands.backtest import incoming
from streams.devtools.simulator import SimConfig, generate
from streams.worker.settings import DEFAULT_RULES

BATCH = 700


@pytest.fixture(scope="module")
def events() -> list[Incoming]:
    items = list(incoming(generate(SimConfig(accounts=80, days=3, seed=3)).events))
    # An event the scorer must reject, unkeyed so the worker decodes it before splitting.
    bad = Incoming("messages", "messages", 0, 10**6, None, b'{"not": "a message"}', 0)
    return [*items[:100], bad, *items[100:]]


def processor() -> Processor:
    return Processor(load_rules(DEFAULT_RULES), 65536, 20000)


async def from_scratch(scoring: Pool, batch: list[Incoming]) -> BatchResult:
    """The batch scored with no state yet for any of its accounts."""
    prepared = scoring.prepare(batch)
    return await scoring.score(batch, prepared, dict.fromkeys(prepared.accounts), {})


async def run(scoring: Pool, items: list[Incoming]) -> tuple[dict[str, bytes], list[BatchResult]]:
    """The items in batches, states kept between them as the table keeps them."""
    links, letters = MemoryLinkIndex(), MemoryLetterIndex()
    table: dict[str, bytes] = {}
    results = []
    for start in range(0, len(items), BATCH):
        batch = items[start:start + BATCH]
        prepared = scoring.prepare(batch)
        sketches = await scoring.sketches(prepared.proposals)
        views = {**links.observe_now(prepared.account_events), **letters.observe_now(prepared.proposals, sketches)}
        result = await scoring.score(batch, prepared, {a: table.get(a) for a in prepared.accounts}, views)
        table.update({account: state for account, (_, state) in result.states.items()})
        results.append(result)
    return table, results


def summary(results: list[BatchResult]) -> tuple:
    escalations = sorted(e.escalation_id for r in results for e in r.escalations)
    forwards = sorted(repr(f) for r in results for f in r.forwards)
    dead = sorted(v for r in results for _, v in r.dead_letters)
    outcomes = sum((r.outcomes for r in results), start=type(results[0].outcomes)())
    signals = sum((r.signals for r in results), start=type(results[0].signals)())
    return escalations, forwards, dead, outcomes, signals


def test_two_children_score_exactly_as_the_worker_itself(events):
    inline_table, inline = asyncio.run(run(InlinePool(processor()), events))
    scoring = ChildPool(processor(), 2)
    try:
        child_table, children = asyncio.run(run(scoring, events))
    finally:
        scoring.close()
    assert child_table == inline_table
    assert summary(children) == summary(inline)
    escalations, _, dead, _, _ = summary(children)
    assert escalations and any(b'"offset":1000000' in d for d in dead)


def test_the_children_sketch_the_cover_letters_they_will_score(events):
    scoring = ChildPool(processor(), 2)
    try:
        proposals = scoring.prepare(events[:BATCH]).proposals
        assert len(proposals) > 10
        found = asyncio.run(scoring.sketches(proposals))
        assert found == {p.event_id: sketch.sketch(p.cover_letter) for p in proposals}
        assert asyncio.run(scoring.sketches([])) == {}
    finally:
        scoring.close()


@pytest.mark.parametrize("pool", [InlinePool, lambda p: ChildPool(p, 2)], ids=["inline", "children"])
def test_records_decoded_as_read_are_taken_instead_of_decoded_again(events, pool):
    scoring = pool(processor())
    batch = events[:BATCH]
    read = {item.where: record for item, record in scoring.processor.decode_all(batch)
            if isinstance(record, Proposal)}
    given = {id(record) for record in read.values()}
    assert len(given) > 10
    prepared = scoring.prepare(batch, read)
    assert read == {}  # each taken out as used
    assert {id(p) for p in prepared.proposals} == given
    fresh = scoring.prepare(batch)
    assert prepared.proposals == fresh.proposals and prepared.accounts == fresh.accounts


def test_a_child_killed_mid_batch_fails_it_and_the_retry_starts_new_ones(events):
    scoring = ChildPool(processor(), 2)
    try:
        batch = events[:BATCH]

        async def killed_while_scoring() -> None:
            task = asyncio.create_task(from_scratch(scoring, batch))
            await asyncio.sleep(0)  # the requests are sent; the task waits for the replies
            os.kill(scoring._children[0].process.pid, signal.SIGKILL)
            await task

        first = asyncio.run(from_scratch(scoring, batch))
        pids = {c.process.pid for c in scoring._children}
        with pytest.raises(RuntimeError, match="scoring process lost"):
            asyncio.run(killed_while_scoring())
        again = asyncio.run(from_scratch(scoring, batch))
        assert not pids & {c.process.pid for c in scoring._children}
        assert again.states == first.states
    finally:
        scoring.close()


def test_a_failure_in_a_child_comes_back_with_its_traceback(events):
    scoring = ChildPool(processor(), 1)
    try:
        batch = events[:50]
        prepared = scoring.prepare(batch)
        missing = dict.fromkeys(sorted(prepared.accounts)[1:])  # one account's state not sent
        with pytest.raises(RuntimeError, match="(?s)scoring process failed.*KeyError"):
            asyncio.run(scoring.score(batch, prepared, missing, {}))
        child = scoring._children[0]
        assert child.alive()  # the child goes on with the next request
        assert asyncio.run(from_scratch(scoring, batch)).states
    finally:
        scoring.close()


def test_a_dead_child_is_replaced_before_the_next_batch(events):
    scoring = ChildPool(processor(), 2)
    try:
        batch = events[:BATCH]
        prepared = scoring.prepare(batch)
        asyncio.run(from_scratch(scoring, batch))
        dead = scoring._children[1].process
        os.kill(dead.pid, signal.SIGKILL)
        dead.join(5)
        result = asyncio.run(from_scratch(scoring, batch))
        assert dead not in [c.process for c in scoring._children] and len(scoring._children) == 2
        assert result.states.keys() == prepared.accounts
    finally:
        scoring.close()


def test_a_child_exits_when_the_worker_is_gone(events):
    scoring = ChildPool(processor(), 1)
    asyncio.run(from_scratch(scoring, events[:10]))
    child = scoring._children[0]
    child.conn.close()  # what the kernel does to the worker's end when the worker dies
    deadline = time.monotonic() + 10
    while child.process.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not child.process.is_alive()
    scoring.close()


def test_children_that_do_not_answer_in_time_are_killed_and_replaced(events):
    scoring = ChildPool(processor(), 1, timeout_s=0.5)
    try:
        batch = events[:20]
        asyncio.run(from_scratch(scoring, batch))
        stuck = scoring._children[0].process
        os.kill(stuck.pid, signal.SIGSTOP)  # alive, never answering
        with pytest.raises(PoolTimeout, match="no answer from the scoring processes in 0.5 s"):
            asyncio.run(from_scratch(scoring, batch))
        assert not stuck.is_alive() and scoring._children == []
        scoring.timeout_s = 30.0  # a new child's start-up (imports, model) may take longer than 0.5 s on a busy machine
        assert asyncio.run(from_scratch(scoring, batch)).states
    finally:
        scoring.close()


def test_a_slow_child_is_named_in_a_warning_and_its_answer_still_taken(events, monkeypatch, caplog):
    monkeypatch.setattr(processes, "SLOW_S", 0.2)
    scoring = ChildPool(processor(), 1)
    try:
        batch = events[:20]
        asyncio.run(from_scratch(scoring, batch))
        pid = scoring._children[0].process.pid

        async def paused() -> BatchResult:
            os.kill(pid, signal.SIGSTOP)
            asyncio.get_running_loop().call_later(0.6, os.kill, pid, signal.SIGCONT)
            return await from_scratch(scoring, batch)

        with caplog.at_level("WARNING", logger="streams.batch.processes"):
            result = asyncio.run(paused())
        assert result.states
        assert f"have not answered for 0 s: pid {pid} (alive, request 2)" in caplog.text
    finally:
        scoring.close()


def test_after_a_lost_child_the_new_pipes_are_watched_on_the_same_event_loop(events):
    """The worker's event loop lives on: the surviving child's reply must be taken off it before
    its pipe is closed, or the new pipe reusing the descriptor is never watched (a batch that
    hangs until the timeout)."""
    scoring = ChildPool(processor(), 2, timeout_s=15)  # a reply never noticed times out
    batch = events[:BATCH]

    def score() -> Awaitable[BatchResult]:
        return from_scratch(scoring, batch)

    async def scenario() -> list[str]:
        await score()
        outcomes = []
        for _ in range(3):
            task = asyncio.create_task(score())
            await asyncio.sleep(0)  # both requests sent; the replies are awaited
            os.kill(scoring._children[0].process.pid, signal.SIGKILL)
            try:
                await task
                outcomes.append("scored")
            except PoolTimeout:
                outcomes.append("timeout")
            except RuntimeError:
                outcomes.append("lost")
            assert (await score()).states  # new children, their replies noticed
            outcomes.append("retried")
        return outcomes

    try:
        assert asyncio.run(scenario()) == ["lost", "retried"] * 3
    finally:
        scoring.close()


def test_a_stale_registration_on_a_reused_descriptor_does_not_hide_the_replies(events):
    """Some other code closed a file still registered with the event loop; the pipe of a new
    scoring process gets its descriptor number."""
    batch = events[:50]

    async def scenario() -> bool:
        loop = asyncio.get_running_loop()
        read_end, write_end = os.pipe()
        loop.add_reader(read_end, lambda: None)
        os.close(read_end)  # without remove_reader
        os.close(write_end)
        scoring = ChildPool(processor(), 1, timeout_s=15)  # a reply never noticed times out
        try:
            scoring.start()
            reused = scoring._children[0].conn.fileno() == read_end
            assert (await from_scratch(scoring, batch)).states
            return reused
        finally:
            scoring.close()

    assert asyncio.run(scenario()), "the new pipe did not get the stale descriptor number"


def test_records_crossing_to_the_children_pickle_as_their_arguments():
    item = Incoming("messages", "t.messages", 3, 17, b"f001", b'{"x": 1}', 1_700_000_000_000)
    subject = SubjectEvent("e1", 5, "unanswered", "f002", "freelancer", "", "f001", count=4, days=2, since_ts=1)
    for record in (item, subject):
        copy = pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        assert copy == record and type(copy) is type(record)
        assert record.__reduce__()[1] == tuple(getattr(record, name) for name in type(record).__slots__)
