"""Hashed sets of account ids with a time each: exact for the ids added, bounded, aligned."""

import pytest

from scoring import tags

MINUTE = 29_500_000  # minutes since the epoch, late 2026


@pytest.mark.parametrize("n", [1, 12, 40, 256])
def test_every_account_added_is_found_with_its_time_and_others_are_not(n):
    kept = ""
    for i in range(n):
        kept = tags.add(kept, f"c{i:05d}", MINUTE + i, 256)
    assert [tags.first_time(kept, f"c{i:05d}") for i in range(n)] == [MINUTE + i for i in range(n)]
    assert not any(tags.first_time(kept, f"x{i:05d}") is not None for i in range(1000))
    assert len(kept) == tags.WIDTH * n


def test_the_oldest_are_dropped_over_the_limit_and_the_first_time_is_kept():
    kept = ""
    for i, account in enumerate("abcad"):
        kept = tags.add(kept, account, MINUTE + i, 3)
    assert [tags.first_time(kept, x) for x in "abcd"] == [MINUTE, None, MINUTE + 2, MINUTE + 4]  # a: the newest
    assert tags.first_time(tags.add(kept, "c", MINUTE - 5, 3), "c") == MINUTE - 5  # an earlier one read late


def test_a_match_across_two_records_is_not_a_member():
    kept = "X" + tags.tag("z") + "Y" * (2 * tags.WIDTH - tags.PART - 1)  # "z"'s hash straddling records
    assert tags.first_time(kept, "z") is None
    assert tags.first_time(tags.add(kept, "z", MINUTE, 8), "z") == MINUTE
