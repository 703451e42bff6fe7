"""The dead-letter record of an input event: why it was refused, where it came from,
and as much of the original as fits any broker's message limit.

Kafka refuses records over its `message.max.bytes` (1 MiB by default, also the
producer's own `max_request_size`). A dead letter that quoted a large event in
full would be refused too and its batch retried for ever; so the record keeps a
bounded prefix of the original value and key, with their full size and SHA-256
to recognise the original by.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any, Protocol

import orjson

# 64 KiB of value (87 KiB in base64) and 1 KiB of key keep a record far under 1 MiB
# whatever the input, and hold every event up to the default RISKSCORER_MAX_EVENT_BYTES whole.
VALUE_KEPT = 65536
KEY_KEPT = 1024
DETAIL_MAX = 1000  # characters: details quote at most an id or a parser message


class Source(Protocol):
    @property
    def topic(self) -> str: ...
    @property
    def partition(self) -> int: ...
    @property
    def offset(self) -> int: ...
    @property
    def timestamp_ms(self) -> int: ...
    @property
    def key(self) -> bytes | None: ...
    @property
    def value(self) -> bytes | None: ...


def _kept(name: str, data: bytes | None, limit: int) -> dict[str, Any]:
    if data is None:
        return {f"{name}_b64": None}
    return {
        f"{name}_b64": base64.b64encode(data[:limit]).decode(),
        f"{name}_bytes": len(data),
        f"{name}_sha256": hashlib.sha256(data).hexdigest(),
        f"{name}_truncated": len(data) > limit,
    }


def record(item: Source, reason: str, detail: str) -> bytes:
    """The dead-letter record (deadletter.schema.json) of `item`."""
    return orjson.dumps(
        {
            "reason": reason,
            "detail": detail[:DETAIL_MAX],
            "topic": item.topic,
            "partition": item.partition,
            "offset": item.offset,
            "timestamp_ms": item.timestamp_ms,
            **_kept("key", item.key, KEY_KEPT),
            **_kept("value", item.value, VALUE_KEPT),
        }
    )


def key(item: Source) -> bytes | None:
    """The dead letter's Kafka key: the original's, cut to what the record keeps of it."""
    return None if item.key is None else item.key[:KEY_KEPT]
