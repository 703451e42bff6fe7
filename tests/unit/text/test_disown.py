"""Disowned words: a model-only flag on them (other than payment and contact) is dropped."""

from dataclasses import replace

import pytest

from scoring.text import TextContext, TextHit
from scoring.text.detect import _held_to, analyze
from scoring.text.disown import disowned, lowered
from scoring.text.model import packaged


@pytest.mark.parametrize(
    ("text", "word", "policy"),
    [
        ("i'm not going to leave you a bad review over one late file, relax", "bad review", "feedback_manipulation"),
        ("I\u2019m not going to give you a low rating, relax", "low rating", "feedback_manipulation"),
        ("im not going to leave you a bad review relax", "bad review", "feedback_manipulation"),
        ("we won't rate you yet, ping me if you need the assets", "rate", "feedback_manipulation"),
        ("i'm not going to leave you a bad review over a stupid typo", "bad review", "feedback_manipulation"),
        ("we won't rate you badly, it was our mistake", "rate", "feedback_manipulation"),
        ("thanks for the quick fix and i won't leave a bad review", "bad review", "feedback_manipulation"),
        ("i never told anyone you were a scammer", "scammer", "harassment"),  # a denial, insult and all
        ("I\u2019ve never called you a liar, please calm down", "liar", "harassment"),
        ("i didn't say your code was garbage, i said the build was broken", "garbage", "harassment"),
        ("don't listen to anyone who says you're a bad designer", "bad designer", "harassment"),
        ("they always write you are a fraud in the reviews, ignore it", "fraud", "harassment"),
        ("no, i will never change my review in exchange for a discount", "review", "feedback_manipulation"),
        ("thanks, but i'm not looking for an opportunity that needs an investment", "investment", "spam_scam"),
        ("i'm not sending money for a starter kit, sounds like a scam", "starter kit", "spam_scam"),
        ("if you need the files today, fine. i said no, i'm not leaving a bad review", "bad review",
         "feedback_manipulation"),  # a courtesy before, in another sentence
        ("the work was fine otherwise, i won't leave a bad review", "bad review", "feedback_manipulation"),
        ("until now everything went well, i won't leave a bad review", "bad review", "feedback_manipulation"),
        ("if you ask me, i'm not going to leave a bad review", "bad review", "feedback_manipulation"),
    ],
)
def test_the_speakers_own_negation_or_someone_elses_words(text: str, word: str, policy: str) -> None:
    start = text.index(word)
    assert disowned(lowered(text), start, start + len(word), policy)


@pytest.mark.parametrize(
    ("text", "word", "policy"),
    [
        ("i won't pay a useless idiot like you another cent", "idiot", "harassment"),  # an insult in the clause
        ("please do not leave less than 5 stars for this order", "5 stars", "feedback_manipulation"),  # an order
        ("nobody would miss a clown like you", "clown", "harassment"),
        ("i won't hand over the source files until you rate me", "rate", "feedback_manipulation"),  # a bargain
        ("i won't leave a bad review if you send me $100 back", "bad review", "feedback_manipulation"),
        ("give me my money back and i won't mention it in my review", "review", "feedback_manipulation"),
        ("i refuse to deliver the final files until the 5 star review is posted", "5 star", "feedback_manipulation"),
        ("you'd better pray we never meet in person", "meet", "harassment"),
        ("watch out, i know where your kids go to school", "kids", "harassment"),  # refusal words excuse no threat
        ("i'd like to partner with you on jobs i can't handle alone", "partner", "spam_scam"),  # before the negation
        ("the login stays with me, i don't give it out before you confirm the rating", "rating",
         "feedback_manipulation"),
        ("i didn't think you'd be such a useless idiot", "idiot", "harassment"),  # not a denial of saying it
        ("i wont lie i need that 5 star review from you today", "5 star", "feedback_manipulation"),
        ("my client wrote that your work is trash and he is right, what a brainless clown you are", "clown",
         "harassment"),  # the report is in another clause
        ("\u0130\u015e \u0130\u00c7\u0130N. I won't hurt your rating unless you pay", "rating",
         "feedback_manipulation"),
        ("i said no, if you do not accept my cancellation, i will leave a 1 star review", "1 star",
         "feedback_manipulation"),  # the condition in the clause before
    ],
)
def test_orders_bargains_insults_and_words_before_the_negation_are_the_speakers(text: str, word: str,
                                                                                 policy: str) -> None:
    start = text.index(word)
    assert not disowned(lowered(text), start, start + len(word), policy)


def test_lowered_keeps_offsets() -> None:
    text = "\u0130\u015e \u0130\u00c7\u0130N. I won\u2019t hurt your rating"
    low = lowered(text)
    assert len(low) == len(text)
    assert low[text.index("won"):text.index("won") + 5] == "won't"


@pytest.mark.parametrize(
    ("text", "policy"),
    [
        ("I won't waste another cent on a useless incompetent idiot like you.", "harassment"),
        ("Don't you dare give me less than five stars after all the revisions I did.", "feedback_manipulation"),
    ],
)
def test_negated_violations_stay_flagged(text: str, policy: str) -> None:
    assert policy in {h.policy for h in analyze(text).hits}


QUOTED_ABUSE = ("The last client called me 'a complete idiot and a scammer' and said he would ruin my reputation. "
                "I just want to move on and do good work for you.")


def test_abuse_quoted_from_someone_else_is_not_carried_by_the_speakers_other_words() -> None:
    """The quoted insult is disowned; "for you" in the next sentence cannot carry the flag alone."""
    assert "harassment" not in {h.policy for h in analyze(QUOTED_ABUSE).hits}


@pytest.mark.parametrize(
    ("text", "policy"),
    [
        (QUOTED_ABUSE.replace("I just want to move on and do good work for you.", "You are an idiot too."),
         "harassment"),  # the speaker's own insult after the quote
    ],
)
def test_words_the_speaker_does_not_disown_still_carry_the_flag(text: str, policy: str) -> None:
    assert policy in {h.policy for h in analyze(text).hits}


def test_a_word_disowned_beside_one_that_is_not_in_one_sentence_keeps_the_flag() -> None:
    """A model flag quoting "5 stars" (negated by the speaker) and "1 star review" (not) in one
    sentence stands; quoting only the negated words, it is dropped. Checked on the flag itself:
    whether the model flags a sentence is the model's business."""
    text = "I'm not going to give you 5 stars, I will leave a 1 star review."
    spans = tuple((text.index(w), text.index(w) + len(w)) for w in ("5 stars", "1 star review"))
    hit = TextHit("feedback_manipulation", "feedback_wording.model", 0.6, spans, "bargains over a rating")
    assert _held_to(text, hit, TextContext(), packaged())
    assert not _held_to(text, replace(hit, spans=spans[:1]), TextContext(), packaged())


def test_a_scam_reported_in_a_quotation_of_two_sentences_is_the_reporters_warning_not_a_scam() -> None:
    report = ("Heads up: another 'client' messaged me 'Our manager will interview you on Telegram: @hr_recruit. "
              "Please send your bank details so HR can set up your salary.' I reported him to support, be careful.")
    assert analyze(report).hits == ()
    scam = report[report.index("Our manager"):report.index("salary.") + 7]
    assert {h.policy for h in analyze(scam).hits} >= {"spam_scam"}  # the same words, sent


@pytest.mark.parametrize(
    ("text", "word", "framed"),
    [
        ("the client wrote 'you idiot. never again' and left", "idiot", True),
        ("'pay me on paypal, it is faster', he said", "paypal", True),
        ('" get lost you idiot "', "idiot", False),  # a message in quotation marks: nobody else's words
        ("'you idiot' lol what a day", "idiot", False),  # quoted to comment on: no one is said to say it
        # words received, whoever the subject: the speaker got them from someone else
        ('i received this after i said no: "you stupid cow, get lost"', "stupid", True),
        ("he answered my question with 'shut up, moron'", "moron", True),
        ('his exact words were "you useless idiot"', "idiot", True),
    ],
)
def test_reported_words_are_quoted_with_a_verb_of_saying(text: str, word: str, framed: bool) -> None:
    from scoring.text.negation import framed as is_framed

    at = text.index(word)
    assert is_framed(text, at, at + len(word)) is framed


@pytest.mark.parametrize(
    ("text", "policy"),
    [
        ("I told you 'you are a worthless idiot and I will ruin your life.' Now pay up.", "harassment"),
        ("As I said before: 'you are a worthless idiot and I will ruin your life.'", "harassment"),
        ("Like I said yesterday: 'leave me 5 stars and I will give you extra work for free.'",
         "feedback_manipulation"),
    ],
)
def test_the_speaker_quoting_their_own_words_holds_to_them(text: str, policy: str) -> None:
    assert policy in {h.policy for h in analyze(text).hits}


@pytest.mark.parametrize(
    "text",
    [
        "I was told 'you are a worthless idiot and I will ruin your life.' What should I do?",
        "Careful: I was sent 'Our manager will interview you on Telegram: @hr_recruit. Please send your bank "
        "details so HR can set up your salary.' I reported him to support.",
    ],
)
def test_words_said_to_the_speaker_are_someone_elses(text: str) -> None:
    assert analyze(text).hits == ()
