"""Partition numbers' floors shared between workers (`streams.worker.ordering`, `Reorder.gated`).

A number's floor is the earliest time a proposal of it not in the cover-letter index yet can have.
One hash per app holds a field per number. A worker writes the floors of the numbers it holds,
each kept only where it rises (a floor written before a restart stays true: what it covers stays
indexed), and reads every number's in the same script call.
"""

from __future__ import annotations

from collections.abc import Mapping

from redis.asyncio import Redis

# KEYS[1]: the hash; ARGV[1]: ttl; ARGV[2k], ARGV[2k+1]: a number and its floor.
EXCHANGE = """
for i = 2, #ARGV - 1, 2 do
  local old = redis.call('HGET', KEYS[1], ARGV[i])
  if not old or tonumber(ARGV[i + 1]) > tonumber(old) then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
if #ARGV > 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return redis.call('HGETALL', KEYS[1])
"""


class Floors:
    def __init__(self, redis: Redis, key: str, ttl_s: int) -> None:
        self.key = key
        self.ttl_s = ttl_s
        self._script = redis.register_script(EXCHANGE)

    async def exchange(self, own: Mapping[int, int]) -> dict[int, int]:
        """Write `own` (each where it rises) and read every number's floor."""
        args = [str(self.ttl_s), *(str(v) for n, floor in sorted(own.items()) for v in (n, floor))]
        flat = await self._script(keys=[self.key], args=args)
        return {int(flat[i]): int(flat[i + 1]) for i in range(0, len(flat), 2)}
