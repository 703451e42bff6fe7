"""What the cross-account indexes in Redis (`streams.adapters.link_index`, `streams.adapters.letter_index`) share.

Keys sharded by a hash tag, so that on Redis Cluster one script call stays in one slot;
scripts run once per shard in one pipeline; the Lua helpers the scripts start with; reading
hashes with one script call per shard; and running an in-memory twin's `observe` for
synchronous callers (the backtest).
"""

from __future__ import annotations

import zlib
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from redis.asyncio import Redis
from redis.exceptions import NoScriptError

T = TypeVar("T")

# `split(s, sep)`: the fields of `s` between the plain separator `sep` (none for '').
LUA_SPLIT = """
local function split(s, sep)
  local t, i = {}, 1
  if s == '' then return t end
  while true do
    local j = string.find(s, sep, i, true)
    if not j then t[#t + 1] = string.sub(s, i) return t end
    t[#t + 1] = string.sub(s, i, j - 1)
    i = j + 1
  end
end
"""


@dataclass(frozen=True, slots=True)
class ShardedKeys:
    """Redis keys under `prefix` whose shard (a CRC-32 of the name) is their hash tag: the keys
    of one shard share a Redis Cluster slot, so one script call can touch them all."""

    prefix: str
    shards: int

    def shard(self, name: str) -> int:
        return zlib.crc32(name.encode()) % self.shards

    def key(self, name: str) -> str:
        return f"{self.prefix}{{{self.shard(name)}}}:{name}"

    def by_shard(self, names: list[str]) -> list[list[str]]:
        """The names grouped by shard, each group in the order given."""
        groups: dict[int, list[str]] = {}
        for name in names:
            groups.setdefault(self.shard(name), []).append(name)
        return list(groups.values())


# Separators of records and of their fields in the scripts' arguments and replies (RS, US):
# ids, fingerprints and sketches never hold these bytes.
REC, FIELD = "\x1e", "\x1f"
# ARGV[1]: keys joined by RS. Returns per key its fields and values joined by US, keys by RS.
READ_HASHES = LUA_SPLIT + """
local out = {}
for i, k in ipairs(split(ARGV[1], '\\30')) do
  out[i] = table.concat(redis.call('HGETALL', k), '\\31')
end
return table.concat(out, '\\30')
"""


async def read_hashes(redis: Redis, shas: dict[str, str], keys: ShardedKeys, names: list[str]) -> list[dict[str, str]]:
    """The hashes of `names`, in that order: one script call per shard, in one pipeline (a
    pipeline of one command per key costs the client far more than the server)."""
    groups = keys.by_shard(names)
    calls = [(keys.key(group[0]), [REC.join(keys.key(n) for n in group)]) for group in groups]
    replies = await run_scripts(redis, shas, READ_HASHES, calls)
    found: dict[str, dict[str, str]] = {}
    for group, reply in zip(groups, replies, strict=True):
        for name, flat in zip(group, text(reply).split(REC), strict=True):
            items = flat.split(FIELD) if flat else []
            found[name] = dict(zip(items[::2], items[1::2], strict=True))
    return [found[n] for n in names]


def text(value: bytes | str) -> str:
    """A script's reply as text."""
    return value.decode() if isinstance(value, bytes) else value


async def run_scripts(redis: Redis, shas: dict[str, str], script: str,
                      calls: Sequence[tuple[str, Sequence[Any]]]) -> list[Any]:
    """Run `script` once per (first key, args) in one pipeline, the key as KEYS[1] (the call's
    other keys share its hash tag and travel in the args); load it first if the server lacks it."""
    for attempt in range(2):
        if script not in shas or attempt:
            shas[script] = str(await redis.script_load(script))
        pipe = redis.pipeline(transaction=False)
        for key, args in calls:
            pipe.evalsha(shas[script], 1, key, *args)
        try:
            return list(await pipe.execute()) if calls else []
        except NoScriptError:  # a restarted or flushed server: load and run again
            continue
    raise RuntimeError("Redis does not keep the scripts loaded into it")


def run_now(step: Coroutine[Any, Any, T]) -> T:
    """The result of a coroutine that never waits (an in-memory index's `observe`), without an
    event loop: the backtest calls it from plain code."""
    try:
        step.send(None)
    except StopIteration as done:
        result: T = done.value
        return result
    step.close()
    raise RuntimeError(f"{step!r} suspended: an in-memory index waited")
