"""feedback_manipulation: begging, bargaining, withholding, reciprocal deals, repeats."""

import pytest

from scoring.text import TextContext
from tests.unit.text.conftest import detectors, patterns, policies

FEEDBACK = "feedback_manipulation"


@pytest.mark.parametrize(
    ("text", "detector"),
    [
        ("please leave me 5 stars", "feedback_rating_request"),
        ("5 stars and I'll do the revisions for free", "feedback_bargain"),
        ("I will give you a discount for a 5 star review", "feedback_bargain"),
        ("I'll send the final files after you leave the review", "feedback_withhold"),
        ("I'll give you 5 stars if you give me 5", "feedback_reciprocal"),
        ("if we star your plugin, could you star ours too?", "feedback_swap"),
        ("rate my app and I'll rate yours", "feedback_swap"),
        ("anyone up for a review swap this week?", "feedback_swap"),
        ("Star 4 star? my repo is in my bio", "feedback_swap"),
        ("review4review, dm me", "feedback_swap"),
        ("Hey everyone star 4 star, I always star back.", "feedback_swap"),
        ("Anyone star 4 star?", "feedback_swap"),
        ("Anyone review swap?", "feedback_swap"),
        ("Doing 5 review swaps today, who's in?", "feedback_swap"),
        ("review my gig and I'll review yours", "feedback_swap"),
        ("I can hire you for a quick $5 job so you can leave me a review", "feedback_fake_review"),
        ("I'll leave you a 1 star review unless you redo it for free", "feedback_threat"),
        ("Buy my gig today and I'll buy yours tomorrow, both with top marks.", "feedback_reciprocal"),
        ("We could order from each other's gigs to lift our scores.", "feedback_reciprocal"),
        ("Anybody up for an order swap this weekend?", "feedback_reciprocal"),
        ("A five star rating gets you a tip of $15 from me.", "feedback_bargain"),
        ("The layered files go out upon receipt of your glowing feedback.", "feedback_withhold"),
        ("You'll get the source once your review is posted.", "feedback_withhold"),
        ("Send my money back or I'm going to write a review everyone will read.", "feedback_threat"),
        ("If you don't refund me by tonight, the review I leave will say why.", "feedback_threat"),
        ("I'd hate to leave a negative review, so I'm asking for a partial refund first.", "feedback_veiled_threat"),
    ],
)
def test_fires(text: str, detector: str) -> None:
    assert detector in detectors(text)


@pytest.mark.parametrize(
    "text",
    [
        "if you're happy, feedback is appreciated",
        "could you tell me why you gave 3 stars?",
        "Thanks for the great review!",
        "Please review the attached mockups",
        "I'll do free revisions until you're happy with the logo",
        "5-star rated designer with 300+ reviews",
        "The client offered me a refund for a 5 star review, I refused.",
        "Is it against the rules to ask a client for a review?",
        "Ratings so far: 5 star 70%, 4 star 20%, the rest 3 star.",
        "Breakdown of my ratings: 5 star 4 star 3 star, mostly fives.",
        "I got 5 stars 4 stars and 5 stars from my last three clients.",
        "I have 12 reviews 4 reviews are from repeat clients.",
        "The filter lets you pick five star 4 star or 3 star sellers.",
        "Ratings so far: 4.5 star 4 star 3 star.",
        "Filter by 4+ star 4 star or above.",
        "When I star a repo I get notified of its new releases.",
        "Thanks for your review of my pull request, I'll review yours tomorrow.",
        "Review my PR and I'll review yours after lunch.",
        "If I review your pull request today, could you review mine on Monday?",
        "We could set up a code review exchange between the two teams.",
        "Thanks for the tip on writing better reviews.",
        "Once your review is posted the contract closes by itself.",
        "I'll order your gig for the banner too, it looks great.",
        "If you don't need a refund, I'll leave the review now.",
        "Could you fix the typo, or I'll wait with the review until Monday?",
        "I would never leave a bad review for a small delay.",
        "I'm not going to give you a low rating, and the refund already went through.",
    ],
)
def test_quiet(text: str) -> None:
    assert FEEDBACK not in policies(text)


@pytest.mark.parametrize(
    "text",
    [
        "For example, if you leave 5 stars I'll give you a 20% discount next time.",
        "Be careful: unless you leave me 5 stars I won't send the source files.",
        "Is it ok if I give you a bonus for a 5 star review?",
        "I know it's against the rules, but I'll refund $20 if you rate me 5 stars.",
    ],
)
def test_words_of_a_refusal_do_not_hide_the_deal(text: str) -> None:
    assert FEEDBACK in policies(text)


@pytest.mark.parametrize(
    "text",
    [
        "I refused when he wrote that unless I refund him he will leave a 1 star review.",
        "He said if you don't refund me I'll leave a bad review, and I reported him.",
        "I refused, but the buyer keeps pushing: change your review and get a full refund.",
        "I reported the client, he keeps insisting anything less than 5 stars gets me a bad review.",
        "Is it against the tos, unless the client pays, to leave a 1 star review?",
        "Be careful, I declined, unless you refund him he will leave a 1 star review.",
        "The client rejected my delivery, unless you redo it for free he'll post a bad review, I didn't budge.",
        "I refused, the client is threatening that unless you redo it for free he'll post a bad review.",
        "I said no, and he replied: unless you redo it for free I'll leave a bad review.",
        "I said no, if you don't redo it for free I'll leave a bad review, quote from the client",
    ],
)
def test_a_threat_the_speaker_refused_reported_or_asked_about_is_not_theirs(text: str) -> None:
    assert "feedback_threat" not in detectors(text)


def test_repeated_request_fires_only_with_history() -> None:
    text = "can you leave feedback now please"
    assert FEEDBACK not in policies(text)
    hits = patterns(text, TextContext(previous=("please leave feedback", "feedback please?")))
    assert [h.detector for h in hits] == ["feedback_repeat_request"]


def test_a_veiled_threat_flags_whatever_the_model_says() -> None:
    from dataclasses import replace

    from scoring.text.detect import detect_text
    from scoring.text.model import packaged

    model = packaged()
    deaf = replace(model, version="deaf", bias=tuple(-20.0 for _ in model.bias))  # reads nothing as anything
    text = "No intention of posting a bad review here, though I'd like a refund for the missing pages."
    assert [h.detector for h in detect_text(text, model=deaf)] == ["review_extortion.feedback_veiled_threat"]


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("I will give you 5 stars for sure, great job.", False),  # the rater's promise
        ("You deserve 5 stars, thank you!", False),  # the rater's praise
        ("Happy to give you 5 stars, you earned it!", False),
        ("Please give me 5 stars, it helps a lot", True),
        ("I deserve 5 stars for this", True),
    ],
)
def test_a_top_rating_given_to_the_other_party_is_no_ask(text: str, asks: bool) -> None:
    assert any(h.detector == "feedback_rating_request" for h in patterns(text)) is asks


def test_a_rating_offered_for_work_is_not_called_reciprocal() -> None:
    """"I'll leave you 5 stars if you add the page for free" trades a rating for work: the reason
    says a deal, not a rating swap."""
    [hit] = [h for h in patterns("I'll leave you 5 stars if you add the extra page for free.")
             if h.detector == "feedback_reciprocal"]
    assert "reciprocal" not in hit.reason and "something else in return" in hit.reason
