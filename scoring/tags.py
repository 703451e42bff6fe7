"""Hashed sets of account ids, in a few characters per account.

A set is a string of fixed-width tags, oldest first: each tag is 30 bits of a BLAKE2b hash of
the id, written as 5 characters of the URL-safe base64 alphabet. Membership is exact for the ids
added and wrong for another id with probability about n / 2**30 (one in four million for 256
tags), so a set of hundreds of accounts fits in state where their ids would not.
"""

from __future__ import annotations

import hashlib

WIDTH = 5  # characters per tag
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def tag(account: str) -> str:
    value = int.from_bytes(hashlib.blake2b(account.encode(), digest_size=4).digest(), "big") >> 2
    return "".join(_ALPHABET[(value >> shift) & 63] for shift in range(24, -1, -6))


def contains(tags: str, account: str) -> bool:
    return _index(tags, tag(account)) >= 0


def add(tags: str, account: str, limit: int) -> str:
    """`tags` with `account` as the newest, the oldest dropped over `limit` tags."""
    new = tag(account)
    at = _index(tags, new)
    if at >= 0:
        tags = tags[:at] + tags[at + WIDTH:]
    tags += new
    return tags[-limit * WIDTH:]


def _index(tags: str, wanted: str) -> int:
    at = tags.find(wanted)
    while at >= 0 and at % WIDTH:
        at = tags.find(wanted, at + 1)
    return at
