"""Disowned words: a model-only flag on them (other than payment and contact) is dropped."""

import pytest

from scoring.text.detect import analyze
from scoring.text.disown import disowned


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("i'm not going to leave you a bad review over one late file, relax", "bad review"),
        ("we won't rate you badly, it was our mistake", "rate"),
        ("i never told anyone you were a scammer", "scammer"),  # a denial, insult and all
        ("i didn't say your code was garbage, i said the build was broken", "garbage"),
        ("don't listen to anyone who says you're a bad designer", "bad designer"),
        ("they always write you are a fraud in the reviews, ignore it", "fraud"),
        ("no, i will never change my review in exchange for a discount", "review"),
        ("thanks, but i'm not looking for an opportunity that needs an investment", "investment"),
    ],
)
def test_the_speakers_own_negation_or_someone_elses_words(text: str, word: str) -> None:
    start = text.index(word)
    assert disowned(text, start, start + len(word))


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("i won't pay a useless idiot like you another cent", "idiot"),  # an insult in the clause
        ("please do not leave less than 5 stars for this order", "5 stars"),  # an order, not the speaker's
        ("nobody would miss a clown like you", "clown"),
        ("i won't hand over the source files until you rate me", "rate"),  # a bargain
        ("give me my money back and i won't mention it in my review", "review"),
        ("you'd better pray we never meet in person", "meet"),
        ("i'd like to partner with you on jobs i can't handle alone", "partner"),  # before the negation
        ("the login stays with me, i don't give it out before you confirm the rating", "rating"),
    ],
)
def test_orders_bargains_insults_and_words_before_the_negation_are_the_speakers(text: str, word: str) -> None:
    start = text.index(word)
    assert not disowned(text, start, start + len(word))


@pytest.mark.parametrize(
    ("text", "policy"),
    [
        ("I won't waste another cent on a useless incompetent idiot like you.", "harassment"),
        ("Don't you dare give me less than five stars after all the revisions I did.", "feedback_manipulation"),
    ],
)
def test_negated_violations_stay_flagged(text: str, policy: str) -> None:
    assert policy in {h.policy for h in analyze(text).hits}
