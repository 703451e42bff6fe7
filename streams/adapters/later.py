"""Reviewers' verdicts kept by decision time: of two on the same thing, the later decided stands,
whichever arrives last (a decision re-sent from a backlog, or delivered behind a newer one).

Each stored value is a JSON object with the decision's `ts` (epoch ms); one without counts as
decided at 0. Ties go to the one written last.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

# KEYS[1]: a hash. ARGV: field, value (JSON with "ts"), ts; repeated. Returns the fields written.
KEEP_LATER = """
local written = {}
for i = 1, #ARGV, 3 do
  local old = redis.call('HGET', KEYS[1], ARGV[i])
  local old_ts = 0
  if old then
    local ok, doc = pcall(cjson.decode, old)
    if ok and type(doc) == 'table' then old_ts = tonumber(doc['ts']) or 0 end
  end
  if not old or old_ts <= tonumber(ARGV[i + 2]) then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
    written[#written + 1] = ARGV[i]
  end
end
return written
"""


def latest(items: Iterable[tuple[str, bytes, int]]) -> list[tuple[str, bytes, int]]:
    """Per field, the item decided last (the last given on a tie): one batch's own order never counts."""
    kept: dict[str, tuple[str, bytes, int]] = {}
    for item in items:
        field, _, ts = item
        if field not in kept or kept[field][2] <= ts:
            kept[field] = item
    return list(kept.values())


class KeepLater:
    """Writes hash fields unless the stored value was decided later."""

    def __init__(self, redis: Redis) -> None:
        self._script = redis.register_script(KEEP_LATER)

    async def write(self, key: str, items: Iterable[tuple[str, bytes, int]], pipe: Pipeline | None = None) -> Any:
        """The fields written (in a pipeline: once it is executed, as its result)."""
        args: list[str | bytes | int] = []
        for field, value, ts in latest(items):
            args += [field, value, ts]
        if not args:
            return []
        return await self._script(keys=[key], args=args, client=pipe)


def written(result: Any) -> set[str]:
    """The field names a `KEEP_LATER` run returned."""
    return {f.decode() if isinstance(f, bytes) else str(f) for f in result or ()}
