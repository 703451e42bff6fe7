"""A flagged policy names the family that carried it, points at the words, and says why."""

from scoring.text.detect import analyze
from scoring.text.explain import MAX_QUOTE, quote
from scoring.text.families import FAMILIES, PATTERN_FAMILY, RULES, WORDING_FAMILY
from scoring.text.types import POLICIES, TextContext
from tests.unit.text.test_model import toy


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
    assert set(PATTERN_FAMILY.values()) | set(WORDING_FAMILY.values()) == set(FAMILIES)
    assert all(rule.startswith("text_") for rule in RULES)


def test_a_request_late_in_a_long_text_is_read_in_its_own_sentence():
    from scoring.text.detect import WINDOW

    filler = "Thanks for the update on the homepage layout, I reviewed the mockups and the colours look good. "
    text = filler * (2 * WINDOW // len(filler) + 2) + "please pay me via p@yp@l."
    (hit,) = analyze(text, model=toy()).hits
    assert hit.policy == "off_platform_payment"
    assert any(text[s:e] == "p@yp@l" for s, e in hit.spans)
    assert analyze(filler * 8, model=toy()).hits == ()
