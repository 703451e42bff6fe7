"""The RE2 set match that stands in for each pattern never misses a match stdlib `re` finds, and where
`Rx.test` asks RE2 itself the two engines agree."""

from __future__ import annotations

import re

import pytest

from scoring.text import detect_text, rx
from scoring.text.gate import gate
from scoring.text.normalize import normalize
from tests.unit.text.corpus import CORPUS, load

TEXTS = [str(item["text"]) for name in ("text_dev.jsonl", *sorted(p.name for p in CORPUS.glob("*.jsonl")))
         for item in load(name)]
TEXTS += [
    "Ping me on WhatsApp\u00a0at +1 917 555 0134",  # no-break space: not plain ASCII
    "I\u2019ll leave you 5 stars if you add one more revision",
    "caf\u00e9 owner here, text me on telegram @bob_the_builder",
    "email me at john dot smith at gmail dot com\nor call",
    "Sounds good \U0001f44d \u2014 add me on telegram @bob_dev for the \u20ac50 fix, 5 stars please \u2b50",
    "na\u00efve caf\u00e9 \u65e5\u672c: whatsapp me \U0001f605 you idiot",
]


def test_the_corpus_is_there():
    assert len(TEXTS) > 300
    assert any(r.prefilter_bit for r in rx.REGISTRY)


@pytest.mark.parametrize("chunk", range(4))
def test_a_prefiltered_pattern_matching_a_text_has_its_bit_set(chunk):
    detect_text("warm up")  # import every detector module, registering its patterns
    patterns = [r for r in rx.REGISTRY if r.prefilter_bit]
    missed = []
    for text in TEXTS[chunk::4]:
        doc = normalize(text)
        gate(doc)
        for r in patterns:
            if not doc.triggers & r.prefilter_bit and r.test(doc.norm):
                missed.append((text[:60], r.pattern[:60]))
    assert not missed, missed[:5]


def test_anchored_patterns_are_not_prefiltered():
    assert rx.prefiltered(r"^hello") == 0
    assert rx.prefiltered(r"bye\Z") == 0
    assert rx.prefiltered(r"[^a-z]x") != 0  # a negated set is not an anchor


def test_text_where_the_engines_differ_counts_every_pattern_present():
    wide = rx.Rx(r"\bhola\s+\w+", ("hola",))  # RE2's \w is ASCII only; stdlib re's is not
    text = " hola \u00f1and\u00fa "
    assert wide.test(text)
    assert rx.triggers(text) & wide.prefilter_bit
    assert not rx.triggers(" hola ") & wide.prefilter_bit
    assert not rx.triggers(" hola \U0001f605 ") & wide.prefilter_bit  # an emoji is neither word nor blank to both
    assert rx.triggers(" hola amigo ") & wide.prefilter_bit


def test_a_pattern_without_stem_groups_is_searched_directly_not_prefiltered():
    plain = rx.Rx(r"\bciao\s+\w+")
    assert plain.prefilter_bit == 0
    assert plain.scan(" ciao amigo ", rx.triggers(" ciao amigo "))


@pytest.mark.parametrize("chunk", range(4))
def test_a_pattern_finds_what_stdlib_re_finds(chunk):
    detect_text("warm up")
    windows = []
    for text in TEXTS[chunk::4]:
        norm = normalize(text).norm
        windows += [norm[i : i + width] for width in (16, 40, 90) for i in range(0, len(norm), width // 2)]
    differ = [(r.pattern[:60], w) for r in rx.REGISTRY for w in windows if r.test(w) != bool(re.search(r.pattern, w))]
    assert not differ, differ[:5]
