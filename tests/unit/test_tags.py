"""Hashed sets of account ids: exact for the ids added, bounded, aligned to whole tags."""

import pytest

from scoring import tags


@pytest.mark.parametrize("n", [1, 12, 40, 256])
def test_every_account_added_is_found_and_others_are_not(n):
    kept = ""
    for i in range(n):
        kept = tags.add(kept, f"c{i:05d}", 256)
    assert all(tags.contains(kept, f"c{i:05d}") for i in range(n))
    assert not any(tags.contains(kept, f"x{i:05d}") for i in range(1000))
    assert len(kept) == tags.WIDTH * n


def test_the_oldest_are_dropped_over_the_limit_and_a_repeat_is_the_newest():
    kept = ""
    for account in ("a", "b", "c", "a", "d"):
        kept = tags.add(kept, account, 3)
    assert [tags.contains(kept, x) for x in "abcd"] == [True, False, True, True]


def test_a_match_across_two_tags_is_not_a_member():
    kept = "X" + tags.tag("z") + "YYYY"  # two tags, "z"'s characters straddling them
    assert not tags.contains(kept, "z")
    assert tags.contains(kept + tags.tag("z"), "z")
