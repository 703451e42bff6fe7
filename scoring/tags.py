"""Hashed sets of account ids with a time each, in a few characters per account.

A set is a string of fixed-width records, oldest first: 30 bits of a BLAKE2b hash of the id,
then a time in minutes (30 bits: two thousand years), each written as 5 characters of the
URL-safe base64 alphabet. Membership is exact for the ids added and wrong for another id with
probability about n / 2**30 (one in four million for 256 records), so a set of hundreds of
accounts fits in state where their ids would not.
"""

from __future__ import annotations

import hashlib

PART = 5  # characters of the hash, and of the time
WIDTH = 2 * PART  # characters per record
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_VALUE = {c: i for i, c in enumerate(_ALPHABET)}


def tag(account: str) -> str:
    return _encode(int.from_bytes(hashlib.blake2b(account.encode(), digest_size=4).digest(), "big") >> 2)


def first_time(records: str, account: str) -> int | None:
    """The time kept with `account` (its first), or None when it is not in the set."""
    at = _index(records, tag(account))
    return None if at < 0 else _decode(records[at + PART: at + WIDTH])


def add(records: str, account: str, minute: int, limit: int) -> str:
    """`records` with `account` as the newest, at `minute` or at the earlier time it already has;
    the oldest records dropped over `limit`."""
    key = tag(account)
    at = _index(records, key)
    if at >= 0:
        minute = min(minute, _decode(records[at + PART: at + WIDTH]))
        records = records[:at] + records[at + WIDTH:]
    records += key + _encode(minute)
    return records[-limit * WIDTH:]


def _encode(value: int) -> str:
    return "".join(_ALPHABET[(value >> shift) & 63] for shift in range(24, -1, -6))


def _decode(chars: str) -> int:
    value = 0
    for c in chars:
        value = value << 6 | _VALUE[c]
    return value


def _index(records: str, key: str) -> int:
    at = records.find(key)
    while at >= 0 and at % WIDTH:
        at = records.find(key, at + 1)
    return at
