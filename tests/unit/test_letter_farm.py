"""One letter, many accounts: LSH bands, the in-memory cover-letter index and the farm detector."""

from __future__ import annotations

import random
from collections.abc import Mapping

import pytest

from scoring import sketch
from scoring.detector import At
from scoring.detectors import cover_letters
from scoring.letters import LetterMatch
from scoring.records import Proposal
from scoring.rules import DetectorRule
from scoring.state import AccountState
from streams.adapters import letter_index
from streams.adapters.letter_index import MemoryLetterIndex

RULE = DetectorRule("cover_letter_farm", "spam_scam", 1.0,
                    {"similarity": 0.9, "min_accounts": 3, "window_hours": 168})
HOUR = 3_600_000
DAY = 24 * HOUR
FARM = ("Dear Hiring Manager, I have read your job post carefully and I am the perfect fit for this job. "
        "I have more than 8 years of experience in all areas of web development and design, and I have "
        "completed over 500 projects with 100% client satisfaction. Please send me a message so we can "
        "discuss your project in detail. I am available 24/7 and can start right now. Thank you!")
WORDS = " ".join((
    "react node postgres migration invoice dashboard shopify store theme api webhook stripe checkout",
    "mobile flutter design figma logo brand copy blog seo audit speed cache docker deploy tests",
)).split(" ")


def tailored(seed: int) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(70))


def proposal(i: int, account: str, letter: str, ts: int = 0) -> Proposal:
    return Proposal(f"p{i}", ts + i, f"j{i}", account, f"c{i}", letter, 100.0)


def test_bands_skip_short_texts_and_partly_empty_bands():
    assert sketch.bands(sketch.sketch("Hi, can do it")) == []
    keys = sketch.bands(sketch.sketch(FARM))
    assert len(keys) >= sketch.BANDS // 2 and all(k.split(":")[0].isdigit() for k in keys)
    assert keys == sketch.bands(sketch.sketch(FARM))


def test_a_farm_letter_is_seen_by_the_later_accounts_of_the_batch():
    index = MemoryLetterIndex()
    views = index.observe_now([proposal(i, f"f{i}", FARM.replace("Dear", "Hello" if i % 2 else "Dear"))
                               for i in range(4)])
    assert views["p0"] == ()
    assert [m.account_id for m in views["p3"]] == ["f0", "f1", "f2"]
    assert all(m.similarity >= 0.9 for m in views["p3"])


def test_tailored_letters_of_other_accounts_do_not_match():
    index = MemoryLetterIndex()
    views = index.observe_now([proposal(i, f"f{i}", tailored(i)) for i in range(20)])
    assert all(m.similarity < 0.5 for v in views.values() for m in v)


def test_an_account_never_matches_itself_and_replays_change_nothing():
    index = MemoryLetterIndex()
    batch = [proposal(i, "f1", FARM) for i in range(3)]
    assert all(v == () for v in index.observe_now(batch).values())
    before = {k: dict(v) for k, v in index.bands.items()}
    index.observe_now(batch)
    assert index.bands == before


def test_a_band_keeps_at_most_its_cap_of_accounts_a_day():
    index = MemoryLetterIndex(max_per_band=3)
    index.observe_now([proposal(i, f"f{i}", FARM, ts=(i % 2) * DAY) for i in range(10)])
    for entries in index.bands.values():
        assert {a for a, v in entries.items() if int(v.split("|")[1]) < DAY} == {"f0", "f2", "f4"}
        assert {a for a, v in entries.items() if int(v.split("|")[1]) >= DAY} == {"f1", "f3", "f5"}


def matches(*pairs: tuple[str, float], ts: int = 0) -> tuple[LetterMatch, ...]:
    return tuple(LetterMatch(a, f"q-{a}", sim, ts) for a, sim in pairs)


def test_farm_needs_enough_other_accounts_above_the_floor_within_the_window():
    event = proposal(9, "f9", FARM, ts=10 * HOUR)
    near = matches(("f1", 0.97), ("f2", 0.95), ("f3", 0.93))
    found = cover_letters.detect_farm(AccountState(), event, RULE, At(view=near))
    assert len(found) == 1 and "3 other accounts" in found[0].reason and "f1 (q-f1, 0.97)" in found[0].reason
    assert found[0].accounts == ("f1", "f2", "f3")  # for a reviewer to open, closest first
    assert cover_letters.detect_farm(AccountState(), event, RULE, At(view=near[:2])) == []
    assert cover_letters.detect_farm(AccountState(), event, RULE, At(view=near[:2] + matches(("f4", 0.85)))) == []
    old = event.ts - 200 * HOUR
    assert cover_letters.detect_farm(AccountState(), event, RULE,
                                     At(view=matches(("f1", 1), ("f2", 1), ("f3", 1), ts=old))) == []
    assert cover_letters.detect_farm(AccountState(), event, None, At(view=near)) == []


def test_farm_is_signalled_once_a_day():
    state, near = AccountState(), matches(("f1", 0.97), ("f2", 0.95), ("f3", 0.93))
    first = cover_letters.detect_farm(state, proposal(1, "f9", FARM, ts=0), RULE, At(view=near))
    again = cover_letters.detect_farm(state, proposal(2, "f9", FARM, ts=HOUR), RULE, At(view=near))
    later = cover_letters.detect_farm(state, proposal(3, "f9", FARM, ts=25 * HOUR), RULE, At(view=near))
    assert (len(first), len(again), len(later)) == (1, 0, 1)


def test_ids_with_bars_are_read_back_and_a_broken_entry_is_passed_over():
    index = MemoryLetterIndex()
    index.observe_now([Proposal("a|b", 0, "j0", "f0", "c0", FARM, 100.0)])
    key = next(iter(index.bands))
    index.bands[key]["f-broken"] = "no-bars-here"
    (match,) = index.observe_now([proposal(1, "f1", FARM)])["p1"]
    assert (match.account_id, match.proposal_id) == ("f0", "a|b")


def test_a_full_day_keeps_the_first_letters_and_a_new_farm_is_seen_the_next_day():
    index = MemoryLetterIndex(max_per_band=3)
    index.observe_now([proposal(i, f"old{i}", FARM, ts=0) for i in range(4)])
    views = index.observe_now([proposal(10 + i, f"new{i}", FARM, ts=100 * HOUR) for i in range(4)])
    assert {m.account_id for m in views["p13"]} == {"old0", "old1", "old2", "new0", "new1", "new2"}
    assert all(set(entries) == {"old0", "old1", "old2", "new0", "new1", "new2"} for entries in index.bands.values())


def test_a_proposal_read_behind_an_account_still_finds_the_letters_it_sent_before():
    index = MemoryLetterIndex()
    # f0's partition is read ahead: its letters of hours 1 and 10 are indexed before f1's of hour 5.
    index.observe_now([proposal(0, "f0", FARM, ts=HOUR), proposal(1, "f0", FARM, ts=10 * HOUR)])
    views = index.observe_now([proposal(2, "f1", FARM, ts=5 * HOUR)])
    assert [(m.account_id, m.proposal_id) for m in views["p2"]] == [("f0", "p0")]  # not the later p1


def test_an_account_keeps_its_first_letter_of_each_day_within_the_retention_whatever_the_order_read():
    days = letter_index.RETAIN_DAYS + 3
    sent = [proposal(10 * d + i, "f0", FARM, ts=d * DAY + i * HOUR) for d in range(days) for i in range(3)]
    firsts = {f"p{10 * d}" for d in range(2, days)}  # the first of each day, those within the retention
    for order in (sent, sent[::-1]):
        index = MemoryLetterIndex(max_per_band=1)  # full from its first account: read for the retention
        index.observe_now(order)
        index.observe_now(order[:4])  # read again
        kept = {v.split("|")[0] for entries in index.bands.values()
                for v in entries["f0"].split(letter_index.LETTER_SEP)}
        assert kept == firsts
    late = index.observe_now([proposal(999, "f1", FARM, ts=(days - 1) * DAY + 30 * 60_000)])["p999"]
    assert [m.ts // HOUR for m in late] == [24 * d for d in range(2, days)]  # sent before it, oldest first


def test_farm_names_the_latest_of_equally_close_letters():
    event = proposal(9, "f9", FARM, ts=10 * HOUR)
    near = (LetterMatch("f1", "q-early", 0.95, HOUR), LetterMatch("f1", "q-late", 0.95, 5 * HOUR),
            *matches(("f2", 0.95), ("f3", 0.93)))
    (found,) = cover_letters.detect_farm(AccountState(), event, RULE, At(view=near))
    assert "f1 (q-late, 0.95)" in found.reason


def test_a_full_band_keeps_the_same_accounts_whatever_order_letters_are_read_in():
    letters = [proposal(i, f"f{i}", FARM, ts=(i % 3) * DAY) for i in range(12)]
    in_order, reversed_ = MemoryLetterIndex(max_per_band=3), MemoryLetterIndex(max_per_band=3)
    for p in letters:
        in_order.observe_now([p])
    for p in reversed(letters):
        reversed_.observe_now([p])
    assert in_order.bands == reversed_.bands
    assert all(set(band) == {f"f{i}" for i in range(9)} for band in in_order.bands.values())


def test_letters_read_ahead_past_a_full_day_give_each_proposal_the_view_it_has_in_time_order():
    # 12 accounts, 3 a day kept: what a day keeps must not depend on letters read ahead of a proposal.
    letters = [proposal(i, f"f{i % 12}", FARM, ts=(i // 5) * 7 * HOUR + (i * 7919) % 3_600_000) for i in range(80)]
    letters.sort(key=lambda p: p.ts)
    in_order = MemoryLetterIndex(max_per_band=3)
    expected = {}
    for p in letters:
        expected.update(in_order.observe_now([p]))
    sketches = {p.event_id: sketch.sketch(p.cover_letter) for p in letters}
    for ahead in (letters[::-1], letters[40:] + letters[:40]):
        read_ahead = MemoryLetterIndex(max_per_band=3)
        letter_index.run_now(read_ahead.index(ahead, sketches))
        assert letter_index.run_now(read_ahead.view(letters, sketches)) == expected
    assert sum(map(len, expected.values())) > 100


def test_letters_indexed_as_read_give_each_proposal_the_view_it_has_in_time_order():
    letters = [proposal(i, f"f{i % 12}", FARM if i % 12 < 5 else tailored(i), ts=i * 1_000) for i in range(60)]
    in_order = MemoryLetterIndex(max_per_band=5)
    expected = {}
    for p in letters:
        expected.update(in_order.observe_now([p]))
    read_ahead = MemoryLetterIndex(max_per_band=5)
    sketches = {p.event_id: sketch.sketch(p.cover_letter) for p in letters}
    letter_index.run_now(read_ahead.index(list(reversed(letters)), sketches))
    assert letter_index.run_now(read_ahead.view(letters, sketches)) == expected
    assert any(expected.values())


def test_a_letter_sent_before_the_retention_neither_goes_in_nor_pushes_one_out():
    index = MemoryLetterIndex(max_per_band=1)
    newest = (letter_index.RETAIN_DAYS + 1) * DAY
    index.observe_now([proposal(0, "f0", FARM, ts=newest), proposal(1, "f1", FARM), proposal(2, "f2", FARM)])
    before = {k: dict(v) for k, v in index.bands.items()}
    assert all(set(entries) == {"f0"} for entries in before.values())
    index.observe_now([proposal(3, "f3", FARM, ts=0)])
    assert index.bands == before


def test_what_a_band_keeps_past_its_cap_and_retention_is_the_same_in_any_order():
    rng = random.Random(5)
    days = letter_index.RETAIN_DAYS + 6
    letters = [proposal(i, f"f{rng.randrange(10)}", FARM, ts=rng.randrange(days * DAY)) for i in range(150)]
    kept = []
    for _ in range(4):
        index = MemoryLetterIndex(max_per_band=3)
        order = rng.sample(letters, len(letters))
        for start in range(0, len(order), 7):
            index.observe_now(order[start:start + 7])
        kept.append(index.bands)
    assert all(bands == kept[0] for bands in kept)
    sent = [int(v.split("|")[1]) for entries in kept[0].values() for value in entries.values()
            for v in value.split(letter_index.LETTER_SEP)]
    newest = max(p.ts for p in letters) // DAY
    assert min(sent) // DAY == newest - letter_index.RETAIN_DAYS and len(sent) > 40


class Refusing(MemoryLetterIndex):
    """An index whose first `refusals` writes are refused, as when another worker wrote the bands
    after they were read; counts the bands read."""

    def __init__(self, refusals: int, max_per_band: int = 3) -> None:
        super().__init__(max_per_band=max_per_band)
        self.refusals, self.reads = refusals, 0

    async def _read(self, keys: list[str]) -> list[letter_index.Band]:
        self.reads += len(keys)
        return await super()._read(keys)

    async def _write(self, writes: dict[str, letter_index.Entries], versions: Mapping[str, int]) -> list[str]:
        if self.refusals:
            self.refusals -= 1
            return sorted(writes)
        return await super()._write(writes, versions)


def test_bands_refused_are_read_again_and_the_batch_put_in_them_anew():
    letters = [proposal(i, f"f{i % 4}", FARM, ts=i * DAY // 3) for i in range(12)]
    plain, refusing = MemoryLetterIndex(max_per_band=3), Refusing(2)
    assert refusing.observe_now(letters) == plain.observe_now(letters)  # views from the first read
    assert refusing.bands == plain.bands
    assert refusing.reads == 3 * len(plain.bands)


def test_a_batch_whose_bands_keep_being_written_by_others_fails_and_writes_nothing():
    refusing = Refusing(letter_index.MAX_REREADS)
    with pytest.raises(letter_index.LetterIndexContended):
        refusing.observe_now([proposal(0, "f0", FARM)])
    assert refusing.bands == {}
