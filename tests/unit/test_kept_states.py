"""A processor keeps the states it stored decoded, and takes one back only for the same bytes:
scoring with kept states gives exactly what scoring with states decoded every batch gives."""

from __future__ import annotations

import pytest

from scoring.state import AccountState
from streams.batch.kept_states import KeptStates
from streams.batch.pipeline import Incoming, Processor
from streams.batch.rules_file import load_rules
from streams.commands.backtest import incoming
from streams.devtools.simulator import SimConfig, generate
from streams.worker.settings import DEFAULT_RULES

BATCH = 500


def test_a_state_is_taken_back_only_for_the_bytes_it_was_kept_with():
    kept, state = KeptStates(), AccountState()
    kept.keep("a", b"v1", state)
    assert kept.take("a", b"v0") is None
    assert kept.take("a", b"v1") is None  # a miss takes it out as well
    kept.keep("a", b"v1", state)
    assert kept.take("a", b"v1") is state
    assert kept.take("a", b"v1") is None  # taken: the batch applied to it may still fail


def test_the_least_recently_kept_go_first():
    kept = KeptStates(size=2)
    for account in ("a", "b", "c"):
        kept.keep(account, b"x", AccountState())
    assert len(kept) == 2
    assert kept.take("a", b"x") is None
    assert kept.take("c", b"x") is not None


@pytest.fixture(scope="module")
def events() -> list[Incoming]:
    return list(incoming(generate(SimConfig(accounts=60, days=3, seed=5)).events))


def processor() -> Processor:
    return Processor(load_rules(DEFAULT_RULES), 65536, 20000)


def scored(events: list[Incoming], fresh_each_batch: bool) -> tuple[dict[str, bytes], list[dict]]:
    """States and escalations of the events in batches; with `fresh_each_batch` a new processor
    (nothing kept) scores each batch."""
    table: dict[str, bytes] = {}
    escalations: list[dict] = []
    scorer = processor()
    for start in range(0, len(events), BATCH):
        scorer = processor() if fresh_each_batch else scorer
        result = scorer.process(events[start:start + BATCH], table.get)
        table.update({account: state for account, (_, state) in result.states.items()})
        escalations += [e.to_dict() for e in result.escalations]
    return table, escalations


def test_kept_states_score_as_decoded_ones(events):
    kept = scored(events, fresh_each_batch=False)
    assert len(events) > 3 * BATCH and kept[1]  # several batches, escalations among them
    assert kept == scored(events, fresh_each_batch=True)


def test_a_replayed_batch_decodes_the_state_it_is_given(events):
    scorer, table = processor(), {}
    first, second = events[:BATCH], events[BATCH:2 * BATCH]
    for batch in (first, second):
        table.update({a: s for a, (_, s) in scorer.process(batch, table.get).states.items()})
    # The second batch again, as a worker retries it: with the states from before it.
    before = {a: s for a, (_, s) in processor().process(first, {}.get).states.items()}
    again = scorer.process(second, lambda account: before.get(account))
    assert {a: s for a, (_, s) in again.states.items()} == {
        a: s for a, (_, s) in processor().process(second, lambda account: before.get(account)).states.items()
    }
