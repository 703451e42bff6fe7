"""Regexes compiled for two engines: stdlib ``re`` for short texts, RE2 for long ones.

Stdlib ``re`` has the lower call overhead on chat-sized texts; RE2 guarantees linear
time, so anything longer than ``LONG_TEXT`` goes to it. Patterns are therefore written in
the common subset (no look-around, no back-references); compiling both at import proves it.
Every scan is capped at ``MAX_MATCHES`` so a hostile megabyte cannot produce unbounded work.
To say only whether a pattern occurs (``Rx.test``) in printable text where the engines agree
(below), RE2 is called directly from ``DIRECT_TEST`` characters on: its automaton costs less
there than stdlib ``re`` trying every alternative at every position.

A pattern may carry stem groups: literals of which at least one per group must occur for
the pattern to match at all. One RE2 set match (``triggers``, a single automaton over all
stems) finds which groups are present, and ``scan`` skips patterns whose groups are missing,
so most texts run no regex at all. Each pattern with stem groups that can be is also in a
second set itself (`prefiltered`): ``scan`` then runs a pattern's stdlib ``re`` only on texts
where RE2 found a match of it, and only to get the spans. That second set runs only when the
stems found complete some such pattern's groups; otherwise none of them can match. On text
with word characters or blanks beyond ASCII, or ASCII blanks only stdlib ``re`` counts as
blanks, the two engines' word, word-boundary and blank classes can differ, so there every such
pattern counts as present; other non-ASCII characters (emoji, dashes, currency signs) are
neither to both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from typing import Any

import re2

LONG_TEXT = 4096
DIRECT_TEST = 16
MAX_MATCHES = 24
ALL = -1

_STEM_BITS: dict[str, int] = {}
_groups_made = 0
_stem_set: list[tuple[tuple[Any, list[int]], tuple[Any, list[int]] | None]] = []
_SELF_BITS = 0  # bits of the patterns registered as their own prefilter
_SELF_NEEDS: list[int] = []  # per such pattern, the stem groups it needs besides its own
_NEEDS_MASK = 0  # every bit in _SELF_NEEDS
_completes: dict[int, bool] = {}  # stems found (masked) -> whether some _SELF_NEEDS entry is complete
_COMPLETES_MAX = 1 << 14
_UNANCHORED = re2._re2.RE2.Anchor.UNANCHORED
# Beyond ASCII the engines' word, word-boundary and blank classes differ on word characters and
# blanks (Unicode to stdlib re, not to RE2); lone surrogates are not UTF-8 at all.
# Written as "a non-ASCII character that is one of those" so the search skips to non-ASCII ones.
_DIFFER_BEYOND_ASCII = re.compile(r"[^\x00-\x7f](?<=[\w\s\ud800-\udfff])")
_ANCHORS = re.compile(r"(?<!\\)[$^]|\\[AZz]")
_CLASSES = re.compile(r"\[\^?\]?(?:\\.|[^\]\\])*\]")  # [...] sets, whose ^ is not an anchor


def pattern_group(patterns: tuple[str, ...]) -> int:
    """Register a group of RE2 patterns (run in the same set match) and return its bit."""
    global _groups_made
    _stem_set.clear()  # a late registration just rebuilds the set on the next call
    bit = 1 << _groups_made
    _groups_made += 1
    for pattern in patterns:
        _STEM_BITS[pattern] = _STEM_BITS.get(pattern, 0) | bit
    return bit


def stem_group(stems: tuple[str, ...]) -> int:
    """Register a group of literal stems and return its bit (normally at import time)."""
    return pattern_group(tuple(re2.escape(stem) for stem in stems))


def prefiltered(pattern: str, groups: int = 0) -> int:
    """Register a whole pattern as its own stem group, when the set match can stand in for it.

    ``groups`` are the bits of the pattern's other stem groups: the whole-pattern set runs
    only on texts where, for some pattern, all of them are present.
    """
    global _SELF_BITS, _NEEDS_MASK
    if _ANCHORS.search(_CLASSES.sub("", pattern)):
        return 0  # the set searches the gate's joined text, where anchors mean something else
    bit = pattern_group((pattern,))
    _SELF_BITS |= bit
    _SELF_NEEDS.append(groups)
    _NEEDS_MASK |= groups
    _completes.clear()
    return bit


# Blanks to stdlib re, not to RE2; found by the stem set match itself rather than a second scan.
_ODD_SPACE = pattern_group((r"[\x0b\x1c-\x1f]",))


def _compile(patterns: list[str]) -> tuple[Any, list[int]]:
    options = re2.Options()
    options.max_mem = 64 << 20
    matcher = re2.Set.SearchSet(options)
    for pattern in patterns:
        matcher.Add(pattern)
    matcher.Compile()
    # The wrapper's Match adds a Python frame and a type check per call; on chat-sized texts
    # that is a third of the cost, so the compiled set is called directly with UTF-8 bytes.
    return matcher._set, [_STEM_BITS[p] for p in patterns]


def _build() -> tuple[tuple[Any, list[int]], tuple[Any, list[int]] | None]:
    """Two sets: the literal stems, and the whole patterns. One automaton over both is
    much larger than the two together and, measured in the pipeline, several times slower."""
    whole = sorted(p for p, bits in _STEM_BITS.items() if bits & _SELF_BITS)
    stems = sorted(p for p, bits in _STEM_BITS.items() if not bits & _SELF_BITS)
    return _compile(stems), (_compile(whole) if whole else None)


def _agree_beyond_ascii(text: str) -> bool:
    """Whether the engines read the same classes in a text's non-ASCII characters (emoji, dashes, signs)."""
    return text.isascii() or _DIFFER_BEYOND_ASCII.search(text) is None


def _completes_some(found: int) -> bool:
    """Whether the stem groups found include all those of some pattern in the whole-pattern set."""
    key = found & _NEEDS_MASK
    complete = _completes.get(key)
    if complete is None:
        complete = any(key & need == need for need in _SELF_NEEDS)
        if len(_completes) < _COMPLETES_MAX:
            _completes[key] = complete
    return complete


def triggers(text: str) -> int:
    """Bits of the stem groups present in a text: linear-time RE2 set matches.

    The whole-pattern set only runs on chat-sized texts: on long ones it would cost more
    than the RE2 scans it saves, so there every prefiltered pattern counts as present.
    """
    if not _stem_set:
        _stem_set.append(_build())
    (matcher, bits), whole = _stem_set[0]
    raw = text.encode("utf-8", "surrogatepass")
    found = 0
    for index in matcher.Match(raw):
        found |= bits[index]
    if whole is None:
        return found
    if len(raw) > 2 * LONG_TEXT or found & _ODD_SPACE or not _agree_beyond_ascii(text):
        return found | _SELF_BITS
    if not _completes_some(found):
        return found
    matcher, bits = whole
    for index in matcher.Match(raw):
        found |= bits[index]
    return found


REGISTRY: list[Rx] = []  # every pattern made, for the prefilter's tests


@dataclass(frozen=True, slots=True)
class Found:
    """One match: its span in the searched text and its groups."""

    start: int
    end: int
    groups: tuple[str | None, ...]


class Rx:
    """A pattern usable on texts of any length."""

    __slots__ = ("_long", "_match", "_need", "_short", "pattern", "prefilter_bit")

    _need: int

    def __init__(self, pattern: str, *groups: tuple[str, ...]) -> None:
        self.pattern = pattern
        self._short = re.compile(pattern)
        self._long = re2.compile(pattern)
        self._match = self._long._regexp.Match  # the compiled RE2 itself, as in ``_compile``
        self._need = 0
        for group in groups:
            self._need |= stem_group(group)
        # Without stem groups the pattern is only searched directly (``test``, ``finditer``), never gated.
        self.prefilter_bit = prefiltered(pattern, self._need) if self._need else 0
        self._need |= self.prefilter_bit
        REGISTRY.append(self)

    def gated(self, found: int) -> bool:
        """Whether every stem group of the pattern occurs, given ``triggers`` of the text."""
        return found & self._need == self._need

    def scan(self, norm: str, found: int = ALL) -> list[Found]:
        """``finditer`` over a whole text, skipped when its stem groups are absent."""
        return self.finditer(norm) if found & self._need == self._need else []

    def search(self, text: str) -> Found | None:
        match = (self._long if len(text) > LONG_TEXT else self._short).search(text)
        return None if match is None else Found(match.start(), match.end(), tuple(match.groups()))

    def finditer(self, text: str, limit: int = MAX_MATCHES) -> list[Found]:
        if len(text) > LONG_TEXT:
            engine = self._long
        else:
            # Most texts a pattern is run on hold no match: RE2's scan says so several times faster
            # than the stdlib engine's search, which alone gives the groups of a match.
            if (direct := self._direct(text)) is not None and not direct:
                return []
            engine = self._short
        return [Found(m.start(), m.end(), tuple(m.groups())) for m in islice(engine.finditer(text), limit)]

    def test(self, text: str) -> bool:
        """Whether the pattern occurs in a text."""
        if len(text) > LONG_TEXT:
            return self._long.search(text) is not None
        direct = self._direct(text)
        return self._short.search(text) is not None if direct is None else direct

    def _direct(self, text: str) -> bool | None:
        """Whether the pattern occurs in a text of at most LONG_TEXT characters, by the compiled RE2
        on its UTF-8 bytes; None when the engines could read the text differently (printable
        ASCII has no line break, so ``$`` means the end in both) or it is too short to pay."""
        if len(text) >= DIRECT_TEST and text.isprintable() and _agree_beyond_ascii(text):
            raw = text.encode()
            start: int = self._match(_UNANCHORED, raw, 0, len(raw))[0][0]
            return start >= 0
        return None


def words(*alternatives: str) -> str:
    """A non-capturing alternation of phrases, spaces in them matching any run of blanks."""
    return "(?:" + "|".join(a.replace(" ", r"\s+") for a in alternatives) + ")"
