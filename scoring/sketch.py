"""Compact near-duplicate sketches of texts: one-permutation MinHash with b-bit values.

Each word 3-shingle is hashed with CRC-32 (stable across processes), placed in one of
`BINS` bins by its hash, and each bin keeps its minimum; only the low
8 bits of each minimum are stored, so a sketch is 32 bytes: 43 base64 characters, or 48
with a 4-byte mask of empty bins (texts of few words). Sketches stored before were 64 hex
characters (`--` for an empty bin); they are still read.
Two sketches agree on a bin with probability J + (1 - J) / 256 for Jaccard
similarity J of their shingle sets, which `similarity` inverts.
"""

from __future__ import annotations

import base64
import re
import zlib
from functools import lru_cache

BINS = 32
# Words are ASCII: a lowered text's UTF-8 bytes hold the same ones, and shingles of bytes need no encoding.
_WORD = re.compile(rb"[a-z0-9']+")
_EMPTY_MIN = 1 << 32  # above any 27-bit bin value
_LOW7 = int.from_bytes(b"\x7f" * BINS, "big")
_ALL = (1 << (8 * BINS)) - 1
_EMPTIES = str.maketrans({**{c: "0" for c in "0123456789abcdef"}, "-": "f"})  # empty bin -> 0xff


def _shingle_hashes(text: str) -> set[int]:
    """32-bit hashes of the text's word 3-shingles (a text shorter than that is one)."""
    words = _WORD.findall(text.lower().encode("utf-8", "surrogatepass"))
    if len(words) < 3:
        return {zlib.crc32(b" ".join(words))} if words else set()
    # One CRC-32 of each joined shingle measured faster than mixing per-word hashes in Python.
    return set(map(zlib.crc32, map(b" ".join, zip(words, words[1:], words[2:], strict=False))))


_given: dict[str, str] = {}  # sketches made elsewhere, by text (`given`)


def given(sketches: dict[str, str]) -> None:
    """Sketches another process made of these texts (the worker, of the letters it read): `sketch`
    answers them without making them again, until the next call."""
    global _given  # noqa: PLW0603 - one table per process, replaced whole
    _given = sketches


def sketch(text: str) -> str:
    """The text's sketch: base64 of the bins' low bytes, then of a bitmask of empty bins if any."""
    return _given.get(text) or make(text)


@lru_cache(maxsize=16384)  # the letter index and the detector sketch the same letter (read ahead: up to
# ~50,000 events held, a third of them proposals, split between the scoring processes; ~0.5 KB each)
def make(text: str) -> str:
    """`sketch`, made."""
    mins = [_EMPTY_MIN] * BINS
    for h in _shingle_hashes(text):
        b = h & (BINS - 1)
        v = h >> 5
        if v < mins[b]:
            mins[b] = v
    bins = bytes(0 if m == _EMPTY_MIN else m & 0xFF for m in mins)
    empty = sum(1 << i for i, m in enumerate(mins) if m == _EMPTY_MIN)
    raw = bins + empty.to_bytes(BINS // 8, "big") if empty else bins
    return base64.b64encode(raw).decode().rstrip("=")


@lru_cache(maxsize=8192)
def _value_and_empties(sk: str) -> tuple[int, int]:
    """The sketch's bins as one integer (a byte per bin), and 0xff bytes where a bin is empty."""
    if len(sk) == 2 * BINS:  # stored before: hex pairs, `--` for an empty bin
        value = int.from_bytes(bytes.fromhex(sk.replace("--", "00")), "big")
        if "--" not in sk:
            return value, 0
        return value, int.from_bytes(bytes.fromhex(sk.translate(_EMPTIES)), "big")
    raw = base64.b64decode(sk + "=" * (-len(sk) % 4))
    value = int.from_bytes(raw[:BINS], "big")
    if len(raw) == BINS:
        return value, 0
    empty = int.from_bytes(raw[BINS:], "big")
    mask = bytes(0xFF if empty >> i & 1 else 0 for i in range(BINS))
    return value, int.from_bytes(mask, "big")


def _zero_bytes(x: int) -> int:
    """How many of the BINS bytes of `x` are zero (bitwise, no loop)."""
    y = ((x & _LOW7) + _LOW7) | x | _LOW7
    return (~y & _ALL).bit_count()


def similarity(a: str, b: str) -> float:
    """Estimated Jaccard similarity of the texts behind two sketches (0..1)."""
    va, ea = _value_and_empties(a)
    vb, eb = _value_and_empties(b)
    skip = ea | eb
    both = BINS - skip.bit_count() // 8
    agree = _zero_bytes((va ^ vb) | skip)
    if both < BINS // 4:
        return 0.0
    observed = agree / both
    return max(0.0, (observed - 1 / 256) / (1 - 1 / 256))


BANDS = 8  # LSH bands of BINS // BANDS bins: letters with Jaccard 0.7 share one with p ~0.89, 0.3 ~0.06


def bands(sk: str) -> list[str]:
    """The sketch's LSH band keys ("<band>:<hex>") of the bands with no empty bin; none when
    fewer than half the bands are full (a text of a few words: too short to tell a farm from
    a coincidence)."""
    value, empties = _value_and_empties(sk)
    raw, empty = value.to_bytes(BINS, "big"), empties.to_bytes(BINS, "big")
    width = BINS // BANDS
    keys = [f"{i}:{raw[i * width:(i + 1) * width].hex()}" for i in range(BANDS)
            if not any(empty[i * width:(i + 1) * width])]
    return keys if len(keys) >= BANDS // 2 else []
