"""Generated hostile input events: valid ones bent in every way a producer could bend them.

Deterministic for a seed, so a failure can be replayed. Shared by the unit fuzz test (decoders
and scoring in process) and the integration smoke (a real worker).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import orjson

T0 = 1_767_225_600_000
VALID: dict[str, dict[str, Any]] = {
    "messages": {"event_id": "e1", "ts": T0, "room_id": "r", "sender_id": "f1", "recipient_id": "c1",
                 "text": "hi, pay me on paypal", "contract_stage": "pre_contract"},
    "proposals": {"event_id": "e2", "ts": T0, "job_id": "j", "freelancer_id": "f1", "client_id": "c1",
                  "cover_letter": "Dear client", "bid": 120.5},
    "feedback": {"event_id": "e3", "ts": T0, "kind": "rating", "contract_id": "k", "from_id": "f1",
                 "to_id": "c1", "from_role": "client", "stars": 5, "comment": "great"},
    "accounts": {"event_id": "e4", "ts": T0, "type": "login", "account_id": "f1", "role": "freelancer",
                 "device_fp": "d1", "country": "US"},
    "contracts": {"event_id": "e5", "ts": T0, "type": "hire", "contract_id": "k", "job_id": "j",
                  "client_id": "c1", "freelancer_id": "f1", "actor_id": "f1"},
}
ACTOR = {"messages": "sender_id", "proposals": "freelancer_id", "feedback": "from_id",
         "accounts": "account_id", "contracts": "actor_id"}
ODD_CHARS = ["\x00", "\x1f", "\x7f", "\x85", "\u00ad", "\u200b", "\u200d", "\u202e", "\u2066", "\u2028",
             "\ufeff", "\ud7ff", "\ue000", "é", "\u0301", "😀", " ", "\\", '"', "%s", "{}", "'; DROP"]
ODD_VALUES: list[Any] = [None, True, False, 0, -1, 2**63, 2**64, 1e308, -0.0, 0.5, "", " ", "x" * 200,
                         "x" * 30_000, [], [1], {}, {"a": 1}, "NaN", "US", "us", "ZZ"]


def _odd_string(rng: random.Random) -> str:
    return "".join(rng.choice(ODD_CHARS) if rng.random() < 0.3 else rng.choice("abc-_.:9")
                   for _ in range(rng.choice([1, 3, 20, 127, 128, 129, 400])))


def _mutate(rng: random.Random, obj: dict[str, Any]) -> dict[str, Any]:
    obj = dict(obj)
    for _ in range(rng.randint(1, 3)):
        field = rng.choice([*obj, "extra"])
        roll = rng.random()
        if roll < 0.25:
            obj.pop(field, None)
        elif roll < 0.6:
            obj[field] = rng.choice(ODD_VALUES)
        else:
            obj[field] = _odd_string(rng)
    return obj


def _raw(rng: random.Random, kind: str) -> bytes:
    """Broken bytes: cut JSON, invalid UTF-8, deep nesting, non-objects, duplicated keys."""
    good = orjson.dumps(VALID[kind])
    return rng.choice([
        good[: rng.randint(0, len(good) - 1)],
        good.replace(b"hi", b"\xff\xfe") if kind == "messages" else b"\xc3\x28" + good,
        b"[" * rng.randint(100, 5000),
        b'{"a":' * 600 + b"1" + b"}" * 600,
        rng.choice([b"null", b"1", b'"x"', b"[]", b"true", b""]),
        good[:-1] + b', "event_id": "dup"}',
        bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 300))),
        good.replace(b'"ts":', b'"ts":NaN,"x":'),
    ])


def events(n: int, seed: int = 15) -> Iterator[tuple[str, bytes | None, bytes]]:
    """`n` (kind, key, value) events, most of them bad."""
    rng = random.Random(seed)
    kinds = sorted(VALID)
    for _ in range(n):
        kind = rng.choice(kinds)
        roll = rng.random()
        if roll < 0.2:
            yield kind, rng.choice([b"f1", None, b"", b"\xff"]), _raw(rng, kind)
            continue
        obj = _mutate(rng, VALID[kind])
        actor = obj.get(ACTOR[kind])
        key: bytes | None = actor.encode() if isinstance(actor, str) else b"f1"
        if roll < 0.3:
            key = rng.choice([None, b"", b"someone-else", key + b"\x00"])
        # The standard library writes what orjson refuses: integers past 64 bits, ASCII escapes.
        yield kind, key, json.dumps(obj, ensure_ascii=rng.random() < 0.5).encode()
