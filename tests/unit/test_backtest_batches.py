"""The backtest's batches: at most BATCH events, and less than a minute of event time, each."""

import pytest

from streams.batch.pipeline import Incoming
from streams.commands import backtest

MIN = 60_000


def item(offset: int, ts: int) -> Incoming:
    return Incoming("messages", "messages", 0, offset, b"f1", b"{}", ts)


@pytest.mark.parametrize(
    ("times", "sizes"),
    [
        ([0, 30_000, 59_999], [3]),  # within a minute
        ([0, 30_000, MIN, 90_000], [2, 2]),  # a minute after the first: a new batch
        ([0, 60 * MIN, 120 * MIN], [1, 1, 1]),  # quiet hours apart
        ([0] * (backtest.BATCH + 1), [backtest.BATCH, 1]),  # a busy second
        ([], []),
    ],
)
def test_batches_hold_at_most_a_minute_and_batch_events(times, sizes):
    batches = list(backtest.batches(item(i, ts) for i, ts in enumerate(times)))
    assert [len(b) for b in batches] == sizes
    assert [i.offset for b in batches for i in b] == list(range(len(times)))
