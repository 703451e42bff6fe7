"""Normalised views of a text with a map back to original offsets.

Two views are built:
- ``norm``: NFKC, case-folded, accents and zero-width characters removed, homoglyphs
  (Cyrillic, Greek, full-width, curly quotes) mapped to ASCII. Word structure is kept,
  so phrase regexes run here.
- ``skel``: ``norm`` with leetspeak folded (``@``->a, ``0``->o, ``1``/``l``/``|``->i, ...)
  and everything but letters and digits dropped, so ``p.a.y p@l`` reads ``paypai``.
  Only distinctive keywords are searched here, each checked for word edges in the original.

Folding costs a dictionary look-up per character beyond ASCII, too slow for a hostile megabyte,
so only the first ``FOLD_LIMIT`` characters are folded; the rest is read as ASCII, one to one,
with any other character as ``?``. The limit is well above the largest text the stream accepts
(``max_text_chars``), so every text it scores is folded in full.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate, compress

from scoring.text.types import Span

# Look-alikes that NFKC leaves alone; a compact subset of Unicode confusables.
_CONFUSABLES = {
    "а": "a",
    "в": "b",
    "е": "e",
    "ё": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "ѕ": "s",
    "ԁ": "d",
    "һ": "h",
    "ӏ": "l",
    "ԛ": "q",
    "ԝ": "w",
    "ɡ": "g",
    "ı": "i",
    "ℓ": "l",
    "α": "a",
    "β": "b",
    "ε": "e",
    "η": "n",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "γ": "y",
    "ω": "w",
    "σ": "o",
    "ς": "s",
    "μ": "u",
    "\u2018": "'",
    "\u2019": "'",
    "\u02bc": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u00a0": " ",
    "\u3000": " ",
    "\u2022": " ",
    "\u00b7": ".",
}
_INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\ufeff\u00ad\u180e\u034f")

_LEET = {
    "@": "a",
    "4": "a",
    "3": "e",
    "€": "e",
    "0": "o",
    "1": "i",
    "!": "i",
    "|": "i",
    "l": "i",
    "5": "s",
    "$": "s",
    "7": "t",
    "9": "g",
    "8": "b",
}


def _fold_char(char: str) -> str:
    if char in _INVISIBLE:
        return ""
    decomposed = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = unicodedata.normalize("NFKC", stripped).casefold()
    return "".join(_CONFUSABLES.get(c, c) for c in folded)


class _FoldTable(dict[int, str]):
    """str.translate table that computes and caches the fold of any code point on first use."""

    def __missing__(self, code: int) -> str:
        value = _fold_char(chr(code))
        self[code] = value
        return value


class _UnevenTable(dict[int, str]):
    """str.translate table that keeps only the characters whose fold is not exactly one character."""

    def __missing__(self, code: int) -> str:
        value = "" if len(_FOLD[code]) == 1 else chr(code)
        self[code] = value
        return value


class _SkelTable(dict[int, str]):
    """Skeleton of one already-folded character: leet folded, non-alphanumerics dropped."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        value = _LEET.get(char, char if char.isalnum() else "")
        self[code] = value
        return value


FOLD_LIMIT = 1 << 16
_BLOCK = 4096
_FOLD = _FoldTable()
_UNEVEN = _UnevenTable()
_SKEL = _SkelTable()
_ASCII_SKEL = bytes(ord(_LEET[chr(i)]) if chr(i) in _LEET else i for i in range(256))
_ASCII_DROP = bytes(i for i in range(128) if not chr(i).isalnum() and chr(i) not in _LEET)
_ASCII_KEPT = bytes(0 if i in _ASCII_DROP else 1 for i in range(256))  # 1 where the skeleton keeps the byte


def fold(text: str) -> str:
    """The ``norm`` view of a text, without the offset map (keywords, patterns)."""
    return text.translate(_FOLD)


def skeleton(folded: str) -> str:
    """The ``skel`` view of an already folded text."""
    if folded.isascii():
        return folded.encode("ascii").translate(_ASCII_SKEL, _ASCII_DROP).decode("ascii")
    return folded.translate(_SKEL)


@dataclass(slots=True)
class Normalized:
    """A text with its normalised views; offsets map back to ``text``."""

    text: str
    norm: str
    # norm index -> text index; None when the two align one to one. Past FOLD_LIMIT the map stops
    # and the rest of ``norm`` aligns one to one with the end of ``text``.
    nmap: list[int] | None
    skel: str
    triggers: int = -1  # stem groups present (see rx.triggers); -1 = unknown, run everything
    _skel_map: list[int] | None = field(default=None, repr=False)
    _skel_blocks: list[int] | None = field(default=None, repr=False)
    _block_maps: dict[int, list[int]] | None = field(default=None, repr=False)  # block -> its part of the map

    def orig_span(self, start: int, end: int) -> Span:
        """Original [start, end) of the norm range [start, end)."""
        nmap = self.nmap
        if nmap is None or end <= start:
            return (start, end)
        if end > len(nmap):
            shift = len(self.text) - len(self.norm)
            return (nmap[start] if start < len(nmap) else start + shift, end + shift)
        return (nmap[start], nmap[end - 1] + 1)

    def skel_to_norm(self, start: int, end: int) -> Span:
        """Norm [start, end) of the skeleton range [start, end)."""
        return (self._skel_index(start), self._skel_index(end - 1) + 1)

    def _skel_index(self, k: int) -> int:
        # Short texts get a full map; long ones count kept characters per block in C and
        # map only the blocks asked about, so a match late in a megabyte stays cheap.
        if len(self.norm) <= _BLOCK:
            if self._skel_map is None:
                self._skel_map = _kept_indices(self.norm, 0)
            return self._skel_map[k]
        blocks = self._skel_blocks
        if blocks is None:
            blocks = self._skel_blocks = list(
                accumulate(len(skeleton(self.norm[i : i + _BLOCK])) for i in range(0, len(self.norm), _BLOCK))
            )
        block = bisect_right(blocks, k)
        seen = blocks[block - 1] if block else 0
        maps = self._block_maps
        if maps is None:
            maps = self._block_maps = {}
        if block not in maps:
            base = block * _BLOCK
            maps[block] = _kept_indices(self.norm[base : base + _BLOCK], base)
        return maps[block][k - seen]


def _kept_indices(chunk: str, base: int) -> list[int]:
    """Index (from ``base``) of each character of a folded chunk that its skeleton keeps."""
    if chunk.isascii():
        kept: Iterable[object] = chunk.encode("ascii").translate(_ASCII_KEPT)
    else:
        kept = map(_SKEL.__getitem__, map(ord, chunk))
    return list(compress(range(base, base + len(chunk)), kept))


def normalize(text: str) -> Normalized:
    """Build the views; per-character Python only for an offset map, when a character folds to none or several."""
    if text.isascii():
        norm = text.lower()
        return Normalized(text, norm, None, skeleton(norm))
    if len(text) > FOLD_LIMIT:
        return _normalize_long(text)
    if not text.translate(_UNEVEN):
        norm = text.translate(_FOLD)
        return Normalized(text, norm, None, skeleton(norm))
    pieces = [_FOLD[ord(c)] for c in text]
    norm = "".join(pieces)
    nmap = [i for i, p in enumerate(pieces) for _ in p]
    return Normalized(text, norm, nmap, skeleton(norm))


def _normalize_long(text: str) -> Normalized:
    """The head folded exactly, the rest as ASCII: one C pass over it whatever its characters."""
    head = normalize(text[:FOLD_LIMIT])
    rest = text[FOLD_LIMIT:].encode("ascii", "replace").decode("ascii").lower()
    return Normalized(text, head.norm + rest, head.nmap, head.skel + skeleton(rest))
