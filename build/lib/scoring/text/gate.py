"""Gating: which detector families and rules have something to read, and the names found.

One RE2 set match over the folded text and its skeleton yields the stem groups present;
only when a distinctive name occurs does an Aho-Corasick pass locate the names, stopping
after ``MAX_HITS`` so a text made of one repeated name stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick

from scoring.text.lexicon import FAM_DIGITWORDS, SKELETON_NAMES, STEMS
from scoring.text.normalize import Normalized, fold, skeleton
from scoring.text.rx import stem_group, triggers

MAX_HITS = 64


@dataclass(frozen=True, slots=True)
class NameHit:
    """A distinctive name found on the skeleton, located in the folded text."""

    kind: str
    name: str
    start: int  # norm offsets
    end: int
    obfuscated: bool


@dataclass(frozen=True, slots=True)
class Gate:
    families: int
    digit_words: int
    names: tuple[NameHit, ...]
    kinds: frozenset[str] = frozenset()  # the kinds of `names`

    def has(self, family: int) -> bool:
        return bool(self.families & family)

    def has_any(self, family: int, kinds: frozenset[str]) -> bool:
        """A family's stems, or a name of one of `kinds`."""
        return bool(self.families & family) or not kinds.isdisjoint(self.kinds)

    def names_of(self, kind: str) -> tuple[NameHit, ...]:
        return tuple(n for n in self.names if n.kind == kind)


def _build_names() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for key, (kind, name, plain) in SKELETON_NAMES.items():
        skel = skeleton(fold(key))
        auto.add_word(skel, (len(skel), kind, name, plain))
    auto.make_automaton()
    return auto


_NAMES = _build_names()
_FAMILY_BITS = {family: stem_group(stems) for family, stems in STEMS.items()}
# Skeleton names ride in the same set match (over "norm \0 skel"); a hit only says "look".
_NAME_BIT = stem_group(tuple({skeleton(fold(key)) for key in SKELETON_NAMES}))


def _is_letter(char: str) -> bool:
    return char.isalpha()


def _name_hit(doc: Normalized, end: int, value: tuple[int, str, str, tuple[str, ...]]) -> NameHit | None:
    length, kind, name, plain = value
    start, stop = doc.skel_to_norm(end - length + 1, end + 1)
    norm = doc.norm
    # Edges are checked in the folded text so "repaypalette" or "gazelle" do not count.
    if (start > 0 and _is_letter(norm[start - 1])) or (stop < len(norm) and _is_letter(norm[stop])):
        return None
    o_start, o_end = doc.orig_span(start, stop)
    surface = norm[start:stop]
    obfuscated = surface not in plain or doc.text[o_start:o_end].lower() != surface
    return NameHit(kind, name, start, stop, obfuscated)


def _names(doc: Normalized) -> tuple[NameHit, ...]:
    hits: list[NameHit] = []
    for count, (end, value) in enumerate(_NAMES.iter(doc.skel)):
        if count >= MAX_HITS:
            break
        hit = _name_hit(doc, end, value)
        if hit is not None:
            hits.append(hit)
    return tuple(hits)


_FAMILY_MASK = 0
for _bit in _FAMILY_BITS.values():
    _FAMILY_MASK |= _bit
_families_of: dict[int, int] = {}  # trigger bits of the families -> family flags (few combinations)


def _families(found: int) -> int:
    key = found & _FAMILY_MASK
    families = _families_of.get(key)
    if families is None:
        families = 0
        for family, bit in _FAMILY_BITS.items():
            if key & bit:
                families |= family
        _families_of[key] = families
    return families


def gate(doc: Normalized) -> Gate:
    """Which detector families have something to look at, and the names found."""
    found = triggers(f" {doc.norm} \0{doc.skel}")
    doc.triggers = found
    families = _families(found)
    digit_words = 1 if families & FAM_DIGITWORDS else 0
    if not found & _NAME_BIT:
        return Gate(families, digit_words, ())
    names = _names(doc)
    return Gate(families, digit_words, names, frozenset(n.kind for n in names))
