"""Quotation and negation: a match inside quotation marks opened in its sentence is someone else's words; a
refusal excuses a payment or contact flag, never abuse or rating pressure."""

import pytest

from scoring.text.detect import analyze
from scoring.text.negation import quoted
from scoring.text.normalize import normalize


@pytest.mark.parametrize(
    ("text", "word", "inside"),
    [
        ("A stranger wrote 'you have won a tablet, claim your prize here', so I blocked him.", "won", True),
        ("He sent 'claim your winnings today'.", "claim", True),
        ("You've won a tablet, claim your prize here.", "won", False),
        ("It's 'urgent' they said, and you have won a tablet.", "won", False),
        ("We wrote 'cause you have won a tablet.", "won", False),  # an apostrophe dropping letters opens nothing
        ("The students' work is done and you have won a tablet.", "won", False),
    ],
)
def test_single_quotes_quote(text: str, word: str, inside: bool) -> None:
    norm = normalize(text).norm
    start = norm.index(word)
    assert quoted(norm, start, start + len(word)) is inside


@pytest.mark.parametrize(
    ("text", "policy"),
    [
        ("I won't pay a useless idiot like you another cent.", "harassment"),
        ("Do not leave me less than five stars or I will dispute the payment.", "feedback_manipulation"),
    ],
)
def test_negation_in_abuse_or_rating_pressure_does_not_excuse_it(text: str, policy: str) -> None:
    # refusal and negation words excuse a payment or contact flag ("I don't accept PayPal"); in
    # abuse and rating pressure they are part of the act
    assert policy in {h.policy for h in analyze(text).hits}


@pytest.mark.parametrize(
    "text",
    [
        "No thanks, I don't accept payment outside the platform.",
        "they always write you are a fraud in the reviews, ignore it",
    ],
)
def test_a_refusal_or_someone_elses_words_excuse_the_flag(text: str) -> None:
    assert not analyze(text).hits
