"""A dead-letter record fits the broker's message limit whatever the input, and says so."""

from __future__ import annotations

import base64
import hashlib

import jsonschema
import orjson
import pytest

from streams.batch import deadletter
from streams.batch.pipeline import Incoming
from streams.batch.schemas.outputs import DEAD_LETTER_SCHEMA

KAFKA_DEFAULT_MAX = 1_048_576  # message.max.bytes and the producers' max_request_size


def item(key: bytes | None, value: bytes | None) -> Incoming:
    return Incoming("messages", "marketplace.messages", 3, 42, key, value, 1_767_225_600_000)


@pytest.mark.parametrize("size", [0, 100, deadletter.VALUE_KEPT, deadletter.VALUE_KEPT + 1, 800_000, 2_000_000,
                                  20_000_000])
def test_the_record_keeps_a_bounded_prefix_with_the_size_and_hash_of_the_whole(size):
    value = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    letter = orjson.loads(deadletter.record(item(b"acct", value), "too_large", "d" * 50_000))
    jsonschema.validate(letter, DEAD_LETTER_SCHEMA)
    kept = base64.b64decode(letter["value_b64"])
    assert kept == value[: deadletter.VALUE_KEPT]
    assert letter["value_bytes"] == size
    assert letter["value_sha256"] == hashlib.sha256(value).hexdigest()
    assert letter["value_truncated"] is (size > deadletter.VALUE_KEPT)
    assert len(letter["detail"]) == deadletter.DETAIL_MAX
    assert len(deadletter.record(item(b"acct", value), "too_large", "d" * 50_000)) < KAFKA_DEFAULT_MAX // 8


def test_a_huge_key_is_cut_in_the_record_and_as_the_dead_letters_own_key():
    key = b"k" * 3_000_000
    record = deadletter.record(item(key, b"{}"), "key_mismatch", "")
    letter = orjson.loads(record)
    assert base64.b64decode(letter["key_b64"]) == key[: deadletter.KEY_KEPT]
    assert letter["key_truncated"] is True and letter["key_bytes"] == len(key)
    assert deadletter.key(item(key, b"{}")) == key[: deadletter.KEY_KEPT]
    assert len(record) < KAFKA_DEFAULT_MAX // 8


def test_a_null_key_and_value_are_recorded_as_null():
    letter = orjson.loads(deadletter.record(item(None, None), "bad_json", "tombstone"))
    jsonschema.validate(letter, DEAD_LETTER_SCHEMA)
    assert letter["key_b64"] is None and letter["value_b64"] is None
    assert deadletter.key(item(None, None)) is None
