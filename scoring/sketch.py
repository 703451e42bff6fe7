"""Compact near-duplicate sketches of texts: one-permutation MinHash with b-bit values.

Each word 3-shingle is hashed once (BLAKE2b, stable across processes), placed
in one of `BINS` bins by its hash, and each bin keeps its minimum; only the low
8 bits of each minimum are stored, so a sketch is 32 bytes (64 hex chars).
Two sketches agree on a bin with probability J + (1 - J) / 256 for Jaccard
similarity J of their shingle sets, which `similarity` inverts.
"""

from __future__ import annotations

import hashlib
import re

BINS = 32
EMPTY = 0xFFFF  # marker for a bin no shingle fell into (short texts)
_WORD = re.compile(r"[a-z0-9']+")
_MASK64 = (1 << 64) - 1


def shingles(text: str, n: int = 3) -> set[str]:
    words = _WORD.findall(text.lower())
    if len(words) < n:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def _hash(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "little")


def sketch(text: str) -> str:
    """The text's sketch as 64 hex characters (`ff`.. pairs; `--` for an empty bin)."""
    mins = [_MASK64] * BINS
    for sh in shingles(text):
        h = _hash(sh)
        b = h % BINS
        v = h // BINS
        if v < mins[b]:
            mins[b] = v
    return "".join("--" if m == _MASK64 else f"{m & 0xFF:02x}" for m in mins)


def similarity(a: str, b: str) -> float:
    """Estimated Jaccard similarity of the texts behind two sketches (0..1)."""
    both = agree = 0
    for i in range(0, BINS * 2, 2):
        x, y = a[i : i + 2], b[i : i + 2]
        if x == "--" or y == "--":
            continue
        both += 1
        agree += x == y
    if both < BINS // 4:
        return 0.0
    observed = agree / both
    return max(0.0, (observed - 1 / 256) / (1 - 1 / 256))
