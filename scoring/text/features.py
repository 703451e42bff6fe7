"""Features of one text for the learned stage: words, their stems and letter runs, word pairs,
names found, pattern hits and whole-text cues (a refusal, a report of someone else's words).

Each feature keeps the span of the text that carried it, so a score built from features can
always point at the words behind it. Digits are kept as shapes ("0", a long number), so
the model learns "a phone-length number" rather than particular numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain, islice

from scoring.text.gate import NameHit
from scoring.text.normalize import Normalized
from scoring.text.types import Span, TextHit

# A word: letters or digits, with inner apostrophes, masking stars ("f**k") or dots ("gmail.com").
_WORD = re.compile(r"[^\W_]+(?:(?:['’.@]|\*+)[^\W_]+)*\**")
# The same words in a text of ASCII characters only (most texts), whose letters and digits are
# these: matched a quarter faster than by Unicode classes.
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:(?:['.@]|\*+)[A-Za-z0-9]+)*\**")
_DIGITS = re.compile(r"\d+")
_LONG_NUMBER = 6  # digits in a word from which it reads as a phone, account or order number
STEM = 5  # a long word also counts by its first letters: "reviews", "reviewed" -> "revie"
GRAM = 4  # a long word also counts by letter runs inside it: "fuckin", "fucking" share "ucki"
MAX_WORDS = 400  # a long text is read up to here: its opening carries the intent
SHAPES_KEPT = 1 << 16  # words whose shapes are kept at hand

Feature = tuple[str, Span]  # (name, span in the original text)


def _shape_of(word: str) -> str:
    """A word as the model knows it."""
    if len(word) > 30:
        return "<long>"
    if "@" in word and "." in word:
        return "<email>"
    if word.isalpha():
        return word
    if sum(c.isdigit() for c in word) >= _LONG_NUMBER:
        return "<number>"
    return _DIGITS.sub("0", word)


class _Shapes(dict[str, str]):
    """Words' shapes, looked up at C speed (`__getitem__`; chat repeats its words); when full it starts over."""

    def __missing__(self, word: str) -> str:
        if len(self) >= SHAPES_KEPT:
            self.clear()
        shape = self[word] = _shape_of(word)
        return shape


_shape = _Shapes().__getitem__


def _words_of(text: str) -> re.Pattern[str]:
    return _ASCII_WORD if text.isascii() else _WORD


# ASCII bytes that can be in a word; every other one is turned into a space.
_IN_WORDS = bytes(b if chr(b).isascii() and (chr(b).isalnum() or chr(b) in "'.@*") else 32 for b in range(256))


def _ascii_words(text: str) -> list[str]:
    """`_ASCII_WORD.findall` of an ASCII text, by pieces: a match never spans a character that
    no word holds, and a piece of letters and digits alone is one word (most are)."""
    out: list[str] = []
    for piece in text.encode("ascii").translate(_IN_WORDS).decode("ascii").split():
        if piece.isalnum():
            out.append(piece)
        else:
            out += _ASCII_WORD.findall(piece)
    return out


def shaped(doc: Normalized) -> list[str]:
    """The text's words, shaped (no spans: what a score needs)."""
    norm = doc.norm
    found = _ascii_words(norm) if norm.isascii() else _WORD.findall(norm)
    return list(map(_shape, found[:MAX_WORDS]))


def words(doc: Normalized) -> list[tuple[str, Span]]:
    """The text's words, shaped, with their spans in the original text (what explains a score)."""
    matches = list(islice(_words_of(doc.norm).finditer(doc.norm), MAX_WORDS))
    shaped = [_shape(m.group()) for m in matches]
    if doc.nmap is None:  # the folded text aligns with the original one to one
        return list(zip(shaped, [m.span() for m in matches], strict=True))
    return [(w, doc.orig_span(*m.span())) for w, m in zip(shaped, matches, strict=True)]


Token = tuple[str, Span]


def _grams(word: str) -> list[str]:
    """Letter runs inside a long word, every other one past its first letter (half of them carry
    most of what all of them would, at half the model's look-ups)."""
    return [word[i:i + GRAM] for i in range(1, len(word) - GRAM + 1, 2)]


@lru_cache(maxsize=1 << 16)
def word_names(word: str) -> tuple[str, ...]:
    """The feature names one word gives: itself, and when long its stem and letter runs (cached:
    chat repeats its words)."""
    if len(word) <= STEM:
        return ("w:" + word,)
    return ("w:" + word, "s:" + word[:STEM], *["c:" + g for g in _grams(word)])


Cue = tuple[str, Span]  # (name, span in the folded text)


def pair_name(first: str, second: str) -> str:
    """The name of a word pair (words hold no spaces: two pairs never share a name)."""
    return f"b:{first} {second}"


def pairs(tokens: list[str]) -> list[str]:
    """The names of the text's word pairs."""
    return [pair_name(a, b) for a, b in zip(tokens, tokens[1:], strict=False)]


def context_names(
    found: Iterable[NameHit], hits: Iterable[TextHit], cues: Iterable[Cue] = (), kind: str = ""
) -> set[str]:
    """The names a text's words alone do not give: its kind, the names found, pattern hits, cues."""
    out = {"k:" + kind} if kind else set()
    for n in found:
        out.add("n:" + n.kind)
        if n.obfuscated:
            out.add("n:obfuscated")
    out.update(["r:" + h.detector for h in hits])
    out.update(["q:" + name for name, _ in cues])
    return out


def names(
    tokens: list[str], found: Iterable[NameHit], hits: Iterable[TextHit], cues: Iterable[Cue] = (), kind: str = ""
) -> set[str]:
    """The distinct feature names of a text: all a model reads (`kind`: message, proposal...)."""
    out = set(chain.from_iterable(map(word_names, tokens)))
    out.update(pairs(tokens))
    return out | context_names(found, hits, cues, kind)


def features(
    doc: Normalized, tokens: list[Token], found: Iterable[NameHit], hits: Iterable[TextHit], cues: Iterable[Cue] = (),
    kind: str = "",
) -> list[Feature]:
    """Every feature of a text with the span that carried it (a name may repeat): what explains
    a score. The kind has no span: it is the text's own."""
    out: list[Feature] = [(name, span) for w, span in tokens for name in word_names(w)]
    if kind:
        out.append(("k:" + kind, (0, 0)))
    out += [(f"b:{a} {b}", (sa[0], sb[1])) for (a, sa), (b, sb) in zip(tokens, tokens[1:], strict=False)]
    for n in found:
        out.append(("n:" + n.kind, doc.orig_span(n.start, n.end)))
        if n.obfuscated:
            out.append(("n:obfuscated", doc.orig_span(n.start, n.end)))
    out += [("r:" + h.detector, h.spans[0] if h.spans else (0, 0)) for h in hits]
    out += [("q:" + name, doc.orig_span(*span)) for name, span in cues]
    return out
