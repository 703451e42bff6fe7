"""Hostile megabyte inputs finish with a bounded, correct result (timing lives in bench/text_bench.py)."""

import pytest

from scoring.text import detect_text
from scoring.text.rx import MAX_MATCHES

CASES = {
    "spaced_pay": "p a y " * 200000,
    "at_signs": "a@" * 500000,
    "digits": "1 2-3." * 200000,
    "paypal_repeat": "paypal " * 150000,
    "you_idiot": "you idiot " * 100000,
    "number_words": "one two " * 130000,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bounded(name: str) -> None:
    hits = detect_text(CASES[name])
    assert len(hits) <= 10 * MAX_MATCHES
    for hit in hits:
        for s, e in hit.spans:
            assert 0 <= s <= e <= len(CASES[name])


def test_spaced_pay_alone_is_innocent() -> None:
    assert detect_text(CASES["spaced_pay"]) == ()


def test_repeated_insult_still_detected() -> None:
    assert {h.policy for h in detect_text(CASES["you_idiot"])} == {"harassment"}


def test_detail_at_end_of_long_text_found() -> None:
    text = "lorem ipsum dolor " * 20000 + " email me at jane.roe77@gmail.com"
    hits = [h for h in detect_text(text) if h.detector == "contact_email"]
    assert hits and text[slice(*hits[0].spans[0])] == "jane.roe77@gmail.com"
