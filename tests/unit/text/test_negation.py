"""Quotation: a match inside quotation marks opened in its sentence is someone else's words."""

import pytest

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
