"""A flagged policy names the family that carried it, points at the words, and says why."""

import pytest

from scoring.text.detect import analyze
from scoring.text.explain import MAX_QUOTE, quote
from scoring.text.families import (
    CONTACT_PAYMENT,
    DERIVED,
    FAMILIES,
    PATTERN_FAMILY,
    RULES,
    SCAM_CONTACT,
    WORDING_FAMILY,
)
from scoring.text.model import TextModel
from scoring.text.types import POLICIES, SPAM_SCAM, TextContext
from tests.unit.text.test_model import toy


def scam_toy() -> TextModel:
    """Spam weighs 'winner'; nothing else weighs anything, contact included."""
    zero = (0.0,) * len(POLICIES)
    row = tuple(4.0 if p == SPAM_SCAM else 0.0 for p in POLICIES)
    return TextModel("toy-scam", POLICIES, (-3.0,) * 5, (1.0,) * 5, zero, (0.5,) * 5, {"w:winner": row})


def test_a_pattern_that_weighed_names_the_family():
    text = "please pay me via p@yp@l"
    (hit,) = analyze(text, model=toy()).hits
    family, _, pattern = hit.detector.partition(".")
    assert PATTERN_FAMILY.get(pattern) == family == "provider_ask"
    assert any(text[s:e] == "p@yp@l" for s, e in hit.spans)
    assert "threshold" in hit.reason and "'pay me'" in hit.reason


def test_words_alone_name_the_wording_family():
    text = "I said pay me. paypal"  # no pattern fires
    (hit,) = analyze(text, model=toy()).hits
    assert hit.detector == WORDING_FAMILY["off_platform_payment"] + ".model"
    assert sorted(text[s:e] for s, e in hit.spans) == ["pay me", "paypal"]


def test_contact_is_not_flagged_once_allowed():
    text = "my email is bob@example.com"
    assert analyze(text, TextContext(contact_allowed=True)).hits == ()


def test_quotes_are_bounded():
    assert len(quote("x" * 1000, (0, 1000))) == MAX_QUOTE


def test_every_pattern_and_policy_has_a_family_rule():
    assert set(WORDING_FAMILY) == set(POLICIES)
    assert set(PATTERN_FAMILY.values()) | DERIVED | set(WORDING_FAMILY.values()) == set(FAMILIES)
    assert all(rule.startswith("text_") for rule in RULES)


def test_a_request_late_in_a_long_text_is_read_in_its_own_sentence():
    from scoring.text.detect import WINDOW

    filler = "Thanks for the update on the homepage layout, I reviewed the mockups and the colours look good. "
    text = filler * (2 * WINDOW // len(filler) + 2) + "please pay me via p@yp@l."
    (hit,) = analyze(text, model=toy()).hits
    assert hit.policy == "off_platform_payment"
    assert any(text[s:e] == "p@yp@l" for s, e in hit.spans)
    assert analyze(filler * 8, model=toy()).hits == ()


@pytest.mark.parametrize(
    ("text", "context", "contact"),
    [
        ("You are a winner! Text our agent on WhatsApp +1 415 555 0143 to claim.", TextContext(), "+1 415 555 0143"),
        ("winner of the draw, email me at claims.desk@gmail.com today", TextContext(), "claims.desk@gmail.com"),
        ("winner winner, add me on telegram @prize_desk", TextContext(), "telegram @prize_desk"),
        ("You are a winner! Reply here to claim.", TextContext(), None),
        ("You are a winner! Text our agent on WhatsApp +1 415 555 0143.", TextContext(contact_allowed=True), None),
        ("You are a winner! Text our agent on WhatsApp +1 415 555 0143.", TextContext(direct_contract=True), None),
    ],
)
def test_a_scam_giving_contact_off_the_platform_is_a_contact_move_too(text, context, contact):
    hits = {h.policy: h for h in analyze(text, context, scam_toy()).hits}
    assert SPAM_SCAM in hits
    move = hits.get("off_platform_contact")
    if contact is None:
        assert move is None
        return
    assert move is not None and move.detector.startswith(SCAM_CONTACT + ".")
    assert any(contact in text[s:e] for s, e in move.spans)
    assert "read as a scam" in move.reason and move.weight == hits[SPAM_SCAM].weight


def test_a_scam_read_without_contact_words_adds_no_contact_move():
    assert [h.policy for h in analyze("winner", model=scam_toy()).hits] == [SPAM_SCAM]


@pytest.mark.parametrize(
    ("text", "context", "promise"),
    [
        ("Message me on WhatsApp +1 415 555 0100, I'll pay you well for it.", TextContext(), "I'll pay"),
        ("send me your skype id, payment is no problem", TextContext(), "payment is no problem"),
        ("I'll pay you for the logo once it's approved here", TextContext(), None),  # no contact move
        ("My WhatsApp is +1 415 555 0100, please read the brief", TextContext(), None),  # no offer to pay
        ("Message me on WhatsApp +1 415 555 0100, I'll pay you well.", TextContext(contact_allowed=True), None),
        ("Message me on WhatsApp +1 415 555 0100 for calls, I'll pay you through Upwork.", TextContext(), None),
        ("How should I pay you for the extra hours? My email is jsmith84@gmail.com", TextContext(), None),
        ("We pay a 10% fee here. Email me at jsmith84@gmail.com", TextContext(), None),
        ("You might as well pay me there. whatsapp +1 415 555 0100", TextContext(), None),
        ("On Upwork, I'll pay you weekly. Whatsapp me at +1 415 555 0100", TextContext(), None),
    ],
)
def test_a_contact_move_offering_to_pay_offers_payment_outside(text, context, promise):
    hits = {h.policy: h for h in analyze(text, context).hits}
    paid = hits.get("off_platform_payment")
    if promise is None:
        assert paid is None or not paid.detector.startswith(CONTACT_PAYMENT)
        return
    assert paid is not None and paid.detector.startswith(CONTACT_PAYMENT + ".")
    assert promise in [text[s:e] for s, e in paid.spans]
    assert "offers to pay" in paid.reason and "off the platform" in paid.reason


@pytest.mark.parametrize(
    ("text", "detector"),
    [
        ("The final files go out as soon as you leave me 5 stars.", "feedback_withhold"),
    ],
)
def test_a_pattern_naming_the_whole_act_flags_alone(text, detector):
    """A model that weighs nothing still flags a pattern that names its act in full."""
    zero = (0.0,) * len(POLICIES)
    silent = TextModel("toy-silent", POLICIES, (-6.0,) * 5, (1.0,) * 5, zero, (0.5,) * 5, {})
    hits = analyze(text, model=silent).hits
    assert any(h.detector.endswith("." + detector) for h in hits), [h.detector for h in hits]


def test_the_words_that_weighed_most_pass_over_function_words_alone() -> None:
    from scoring.text.explain import _words

    text = "Our team will pay you on Zelle"
    parts = [(2.0, "w:our", (0, 3)), (1.5, "b:you on", (18, 24)), (1.2, "w:zelle", (25, 30)),
             (1.0, "b:will pay", (9, 17)), (0.8, "w:team", (4, 8)), (0.5, "w:pay", (14, 17))]
    assert [text[a:b] for a, b in _words(parts, text)] == ["Zelle", "will pay", "team"]
