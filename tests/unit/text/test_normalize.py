"""Normalisation: folded and skeleton views, offsets back to the original."""

import pytest

from scoring.text.normalize import normalize


@pytest.mark.parametrize(
    ("text", "skel"),
    [
        ("p a y p a l", "paypai"),
        ("p.a.y.p.a.l", "paypai"),
        ("pay-pal", "paypai"),
        ("p@yp@l", "paypai"),
        ("PAYPA1", "paypai"),
        ("ｐａｙｐａｌ", "paypai"),
        ("раураl", "paypai"),  # Cyrillic look-alikes
        ("pay\u200bpal", "paypai"),
        ("Pàypàl", "paypai"),
        ("wh@ts@pp", "whatsapp"),
    ],
)
def test_skeleton_folds_obfuscation(text: str, skel: str) -> None:
    assert normalize(text).skel == skel


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("say hi to pay\u200bpal now", "paypal"),
        ("\u200b\u200b ＰＡＹＰＡＬ", "paypal"),
        ("ﬁne ﬁne paypal", "paypal"),  # ligature expands to two folded characters
    ],
)
def test_offsets_map_back_to_original(text: str, needle: str) -> None:
    doc = normalize(text)
    start = doc.norm.index(needle)
    s, e = doc.orig_span(start, start + len(needle))
    assert normalize(text[s:e]).norm == needle


def test_ascii_text_needs_no_map() -> None:
    doc = normalize("Plain ASCII text")
    assert doc.nmap is None
    assert doc.norm == "plain ascii text"
