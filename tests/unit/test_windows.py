import pytest

from scoring import windows

MIN = 60_000


def test_counts_within_window_and_expires_old_buckets():
    b: list[list[int]] = []
    for i in range(5):
        windows.add(b, i * MIN, MIN, 3 * MIN)
    assert windows.total(b, 4 * MIN, MIN, 2 * MIN) == 2
    assert [x[0] for x in b] == [2, 3, 4]


def test_late_event_is_counted_in_its_bucket():
    b: list[list[int]] = []
    windows.add(b, 5 * MIN, MIN, 60 * MIN)
    windows.add(b, 3 * MIN, MIN, 60 * MIN)
    windows.add(b, 3 * MIN + 10, MIN, 60 * MIN)
    assert b == [[3, 2], [5, 1]]


@pytest.mark.parametrize(("window", "expected"), [(MIN, 1), (2 * MIN, 2), (10 * MIN, 2), (11 * MIN, 3)])
def test_total_by_window(window, expected):
    b: list[list[int]] = []
    for t in (0, 9 * MIN, 10 * MIN):
        windows.add(b, t, MIN, 60 * MIN)
    assert windows.total(b, 10 * MIN, MIN, window) == expected


@pytest.mark.parametrize(
    ("times", "counts"),
    [
        ([0, 1000, 2000], [(0, 1), (1, 2), (2, 3)]),
        ([0, 59_999, 60_000], [(0, 1), (1, 2), (1, 2)]),  # (ts - 60 s, ts]: the first has left
        # read out of order: the fullest window holding each event, which may end at a later one
        ([5000, 1000, 3000], [(0, 1), (1, 2), (2, 3)]),
        ([5000, 200_000, 1000], [(0, 1), (0, 1), (0, 1)]),  # 1000 is a window before the newest: left out
        ([0, 1, 2, 3, 4, 5], [(0, 1), (1, 2), (2, 3), (3, 3), (3, 3), (3, 3)]),  # saturates at `keep`
    ],
)
def test_slide_counts_the_sliding_window_before_and_after_each_event(times, counts):
    kept: list[int] = []
    assert [windows.slide(kept, ts, 60_000, 3) for ts in times] == counts
    assert len(kept) <= 3


def test_slide_forgets_times_a_window_before_the_newest():
    kept: list[int] = []
    for ts in (0, 1000, 500_000):
        windows.slide(kept, ts, 60_000, 16)
    assert kept == [500_000]


def test_an_event_read_late_can_take_a_later_window_over():
    """Counts sent back by other partitions arrive in any order: the first message's count, read
    last, completes the hour that began with it."""
    b: list[list[int]] = []
    crossings = []
    for minute in [*range(3, 39, 3), 0]:  # 13 in 36 minutes, the earliest read last
        windows.add(b, minute * MIN, MIN, 24 * 60 * MIN)
        crossings.append(windows.first_over(b, minute * MIN, MIN, 60 * MIN, 12))
    assert crossings == [None] * 12 + [13]


def test_no_second_crossing_while_a_window_holding_the_event_is_over():
    b: list[list[int]] = []
    for minute in range(14):
        windows.add(b, minute * MIN, MIN, 24 * 60 * MIN)
    assert windows.first_over(b, 13 * MIN, MIN, 60 * MIN, 12) is None  # 14 in the hour: over before
