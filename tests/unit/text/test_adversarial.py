"""Hostile megabyte inputs finish with a bounded, correct result (timing lives in bench/text_bench.py)."""

import pytest

from scoring.text.normalize import FOLD_LIMIT, normalize
from scoring.text.rx import MAX_MATCHES
from tests.unit.text.conftest import patterns

CASES = {
    "spaced_pay": "p a y " * 200000,
    "at_signs": "a@" * 500000,
    "digits": "1 2-3." * 200000,
    "paypal_repeat": "paypal " * 150000,
    "you_idiot": "you idiot " * 100000,
    "number_words": "one two " * 130000,
    "cyrillic_lookalikes": "рау ра1 " * 125000,
    "emoji": "😀" * 1_000_000,
    "ligatures": "ﬁ" * 1_000_000,
    "zero_width": "p\u200ba\u200by " * 166666,
    "full_width": "ｐａｙ ｐａｌ " * 125000,
    "mixed_scripts": "pаy ｐａｌ ﬁ ß 😀 \u200b é " * 50000,
}
# Folds to none, one and several characters, so offsets shift all the way.
_UNEVEN_PAD = "ﬁne 😀 \u200bstraße ｏｋ "


@pytest.mark.parametrize("name", sorted(CASES))
def test_bounded(name: str) -> None:
    hits = patterns(CASES[name])
    assert len(hits) <= 10 * MAX_MATCHES
    for hit in hits:
        for s, e in hit.spans:
            assert 0 <= s <= e <= len(CASES[name])


def test_spaced_pay_alone_is_innocent() -> None:
    assert patterns(CASES["spaced_pay"]) == []


def test_repeated_insult_still_detected() -> None:
    assert {h.policy for h in patterns(CASES["you_idiot"])} == {"harassment"}


def test_detail_at_end_of_long_text_found() -> None:
    text = "lorem ipsum dolor " * 20000 + " email me at jane.roe77@gmail.com"
    hits = [h for h in patterns(text) if h.detector == "contact_email"]
    assert hits and text[slice(*hits[0].spans[0])] == "jane.roe77@gmail.com"


def test_folding_stops_at_the_limit() -> None:
    """Past FOLD_LIMIT a character costs one C pass, not a look-up: it reads as ASCII or '?'."""
    doc = normalize("ﬁ" * FOLD_LIMIT + "ﬁX😀")
    assert doc.norm == "fi" * FOLD_LIMIT + "?x?"


def test_obfuscated_detail_before_the_limit_found() -> None:
    padding = (_UNEVEN_PAD * (FOLD_LIMIT // len(_UNEVEN_PAD)))[: FOLD_LIMIT - 100]
    text = padding + " email me at jаne.rое77@gmаil.cоm"  # Cyrillic а and о
    hits = [h for h in patterns(text) if h.detector == "contact_email"]
    assert hits and text[slice(*hits[0].spans[0])] == "jаne.rое77@gmаil.cоm"


@pytest.mark.parametrize("pad", ["😀 ", _UNEVEN_PAD])
def test_detail_after_megabyte_of_non_ascii_found(pad: str) -> None:
    text = pad * (1_000_000 // len(pad)) + " email me at jane.roe77@gmail.com"
    hits = [h for h in patterns(text) if h.detector == "contact_email"]
    assert hits and text[slice(*hits[0].spans[0])] == "jane.roe77@gmail.com"
