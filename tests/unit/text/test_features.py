"""Features keep their spans in the original text; digits are kept as shapes."""

import pytest

from scoring.text.features import _ASCII_WORD, _WORD, features, names, shaped, words
from scoring.text.gate import gate
from scoring.text.normalize import normalize
from scoring.text.types import TextHit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call 9175550123 now", ["call", "<number>", "now"]),
        ("5star review for $50", ["0star", "review", "for", "0"]),
        ("mail bob@example.com", ["mail", "<email>"]),
        ("f**k off", ["f**k", "off"]),
        ("x" * 40, ["<long>"]),
    ],
)
def test_shapes(text, expected):
    assert shaped(normalize(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "don't f**k it up, mail bob.smith@gmail.com or j_doe@x.io; 5star.. a'b' c*** d'' 'e",
        "snake_case __init__ a.b.c a..b a@@b ***x x*y** 3.14 v2.0-beta it's o'neil",
        "\t tabs\nnew lines ~!#$%^&()-+=[]{}|\\:;\"<>,?/` 007 0x1F",
    ],
)
def test_ascii_texts_have_the_same_words_either_way(text):
    assert text.isascii()
    assert [m.span() for m in _ASCII_WORD.finditer(text)] == [m.span() for m in _WORD.finditer(text)]


def test_spans_point_at_the_original_through_look_alikes():
    text = "ok ＰＡＹＰＡＬ me"  # full-width letters fold to ASCII
    doc = normalize(text)
    spans = {w: text[s:e] for w, (s, e) in words(doc)}
    assert spans["paypal"] == "ＰＡＹＰＡＬ"


def test_names_and_features_agree():
    text = "send it to my p@yp@l pay me today"
    doc = normalize(text)
    found = gate(doc)
    hit = TextHit("off_platform_payment", "payment_provider_obfuscated", 0.9, ((14, 20),), "why")
    named = names(shaped(doc), found.names, [hit])
    spanned = features(doc, words(doc), found.names, [hit])
    assert named == {name for name, _ in spanned}
    assert {"b:pay me", "r:payment_provider_obfuscated", "n:pay", "n:obfuscated"} <= named
    assert dict(spanned)["r:payment_provider_obfuscated"] == (14, 20)


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("I only accept payment through the platform", "q:refusal"),
        ("sorry, that is against the terms of service", "q:refusal"),
        ("the client asked me to pay him on paypal", "q:reported"),
        ("the checkout SDK rejects sandbox accounts", "q:devtalk"),
        ("please add support for crypto in the payment gateway", "q:devtalk"),
    ],
)
def test_whole_text_cues_are_features(text, cue):
    from scoring.text.detect import read

    assert cue in read(text)[1]
    assert not any(n.startswith("q:") for n in read("pay me on paypal")[1])


def test_the_kind_of_text_is_a_feature():
    from scoring.text.detect import read
    from scoring.text.types import TextContext

    assert "k:proposal" in read("I can start today", TextContext(kind="proposal"))[1]
    assert "k:message" in read("I can start today")[1]


@pytest.mark.parametrize(
    ("text", "word", "runs"),
    [
        ("pay me through it", "through", {"c:hrou", "c:ough"}),
        ("ＦＵＣＫＩＮＧ ok", "ＦＵＣＫＩＮＧ", {"c:ucki", "c:king"}),
        ("short words only", None, set()),
    ],
)
def test_letter_runs_of_long_words_point_at_their_word(text, word, runs):
    doc = normalize(text)
    spanned = [(name, text[s:e]) for name, (s, e) in features(doc, words(doc), (), ()) if name.startswith("c:")]
    assert {name for name, _ in spanned} == runs
    assert all(quoted == word for _, quoted in spanned)
