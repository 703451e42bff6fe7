"""Cross-account link index: which accounts share a device, IP, payment instrument or phone.

A Redis hash per fingerprint, `fp:{kind}:{hash}`: account -> "first seen,day last seen,role,
event id" (the event id of the sighting that set first seen, so that both accounts of a link
can name the sighting that made it; entries written before ids were kept have three fields and
are read as having none), bounded to the `max_per_fingerprint` accounts seen on the latest days
(then the latest first seen), with a TTL renewed when written, merged in the server by a Lua
script. (Versions before this one also kept a hash per account, `acct:{id}`, for a walk over
linked accounts that is gone; they are no longer written and expire.)

A new link shows when an account is first seen with a fingerprint another account holds,
or, for weak fingerprints, which link only in twos (`scoring.link_plan.WEAK`), at any event
carrying two that others hold. A batch's sightings are written with one script call per shard
(one round trip), which answers for each whether it is the account's first with the
fingerprint (its time is the first seen stored) and whether others hold it, and for weak pairs
(probes) whether others hold them. Only then, and only when an event needs a view, is there a
second round trip: the fingerprints of the events that could show a link (a strong fingerprint
held by others, or two that may be) are read.
Not followed: an account back after more than the TTL without a fingerprint is not a first
sighting, so a link made meanwhile shows only from the other account's side, if at all. A view
shows, per fingerprint of the event, the accounts seen with it within the TTL before the event:
those first seen at or before the event's time (`shared`) and, apart (`later`), those first
seen after it and not first seen in this batch (such a sighting has its own view, which shows
this account). A sighting the index wrote before is written again only a week later
(`BaseLinkIndex`), after the views are built. Merges are min/max, so observing a batch again
changes nothing stored and gives the same views (`later` aside: it grows with what has been
read). `streams.adapters.link_index_memory.MemoryLinkIndex` runs the same merges over dicts.

Which sightings a batch makes, which events may show a link and the views are worked out
in `scoring.link_plan` (pure); this module stores and reads.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Protocol

from redis.asyncio import Redis

from scoring.link_plan import ALONE, SHARED, Plan, build_views, parse_members, revealing
from scoring.links import LinkView
from scoring.records import AccountEvent
from scoring.units import DAY_MS
from streams.adapters.redis_index import ShardedKeys, read_hashes, run_scripts

# Helpers of the script. Names and values travel as lines of tab-separated fields (ids and
# fingerprints hold no control characters): one argument instead of thousands keeps the
# client's command packing cheap. KEYS[1], the first key of a call, routes it: all its keys
# share that key's hash tag, hence its slot on Redis Cluster.
_LUA = """
local function entry(v)
  local first, last, role, id = string.match(v, '^(%d+),(%d+),([^,]*),?(.*)$')
  return tonumber(first), tonumber(last), role, id
end
local function newest_first(a, b)
  if a[2] ~= b[2] then return a[2] > b[2] end
  if a[3] ~= b[3] then return a[3] > b[3] end
  return a[1] < b[1]
end
"""
# ARGV: ttl (s), max accounts per fingerprint, sightings
# ("key\\taccount\\tts\\tday\\tprobe\\trole\\tevent id" lines). First seen merges by the smaller
# (ts, event id), byte order (an entry without an id takes the id of a sighting at its time).
# Returns a digit per sighting: ALONE / SHARED for a first sighting; AGAIN when the line probes
# (1) and others hold the fingerprint; else 0.
# Only the keys written have their TTL renewed.
WRITE = _LUA + """
local ttl, limit = ARGV[1], tonumber(ARGV[2])
local written, sightings, firsts, grown, known = {}, {}, {}, {}, {}
local n, fields = 0, '^([^\\t]+)\\t([^\\t]+)\\t(%d+)\\t(%d+)\\t([01])\\t([^\\t]*)\\t([^\\t]*)$'
for line in string.gmatch(ARGV[3], '[^\\n]+') do
  local k, account, ts, day, probe, role, id = string.match(line, fields)
  n = n + 1
  ts, day = tonumber(ts), tonumber(day)
  local first = ts
  if redis.call('HSETNX', k, account, string.format('%.0f,%.0f,', ts, day) .. role .. ',' .. id) == 1 then
    written[k], grown[k] = true, true
  else
    local v = redis.call('HGET', k, account)
    local old_first, last, r, old_id = entry(v)
    local first_id = old_id
    first = old_first
    if ts < old_first or (ts == old_first and (old_id == '' or id < old_id)) then first, first_id = ts, id end
    local new_last, new_role = last, r
    if day > last or (day == last and role > r) then new_last, new_role = day, role end
    if first ~= old_first or first_id ~= old_id or new_last ~= last or new_role ~= r then
      redis.call('HSET', k, account, string.format('%.0f,%.0f,', first, new_last) .. new_role .. ',' .. first_id)
      written[k] = true
    end
  end
  sightings[n] = {k, account, ts, probe == '1'}
  known[k .. '\\t' .. account] = first
  if first == ts then firsts[k] = true end
end
local sizes, trimmed = {}, {}
for k in pairs(grown) do
  sizes[k] = redis.call('HLEN', k)
  if sizes[k] > limit then
    sizes[k], trimmed[k] = limit, true
    local all, entries, gone = redis.call('HGETALL', k), {}, {}
    for i = 1, #all, 2 do
      local first, last = entry(all[i + 1])
      entries[#entries + 1] = {all[i], last, first}
    end
    table.sort(entries, newest_first)
    for i = limit + 1, #entries do gone[#gone + 1] = entries[i][1] end
    for i = 1, #gone, 500 do redis.call('HDEL', k, unpack(gone, i, math.min(i + 499, #gone))) end
  end
end
local flags = {}
for n, s in ipairs(sightings) do
  local k, flag = s[1], '0'
  local first = known[k .. '\\t' .. s[2]]
  if trimmed[k] then
    local v = redis.call('HGET', k, s[2])
    first = v and entry(v)
  end
  if first == s[3] or (first and s[4]) then
    sizes[k] = sizes[k] or redis.call('HLEN', k)
    if first == s[3] then flag = sizes[k] > 1 and '2' or '1' elseif sizes[k] > 1 then flag = '3' end
  end
  flags[n] = flag
end
for k in pairs(written) do redis.call('EXPIRE', k, ttl) end
return table.concat(flags)
"""
class LinkIndex(Protocol):
    async def observe(self, events: Sequence[AccountEvent]) -> dict[str, LinkView]: ...

    async def flush(self) -> None: ...


class NoLinkIndex:
    """No link index (`RISKSCORER_LINKS_SHARDS=0`): no views, so no duplicate-account or
    friends-and-family link findings; logins spread over countries and devices still count."""

    async def observe(self, events: Sequence[AccountEvent]) -> dict[str, LinkView]:
        return {}

    async def flush(self) -> None:
        return None


class BaseLinkIndex:
    """Which sightings to write when, and the views; subclasses merge and read.

    A sighting this index wrote before (same account, fingerprint and role, at an earlier time)
    cannot be a first sighting: it could only move the day last seen forward. It is written
    again only `REFRESH_MS` of event time after (the day last seen lags by up to that), after
    the batch's views are read, while it is scored (`flush` waits for it; the memory twin
    writes it then too). A worker sees every event of its accounts, so most logins write
    nothing, and the others wait for Redis only when they may show a link. A sighting not written for
    nearly the TTL is written as new (its keys may have expired), and one written later but
    found new (Redis lost it) is recorded as a first sighting and empties the memory. What is
    skipped stays skipped when read again, so a replay changes nothing stored.
    """

    REFRESH_MS = 7 * DAY_MS
    MAX_WRITTEN = 200_000  # sightings remembered (~350 B each, ~70 MB in all); all forgotten when full

    def __init__(self, ttl_s: int, max_per_fingerprint: int) -> None:
        self.ttl_s = ttl_s
        self.max_per_fingerprint = max_per_fingerprint
        # (fp name, account, role) -> (a time at or after its first sighting, latest day written)
        self._written: dict[tuple[str, str, str], tuple[int, int]] = {}
        self._deferred: tuple[Plan, list[int]] | None = None

    async def _write(self, plan: Plan, send: list[int]) -> list[int]:
        """Merge the sightings at positions `send`; per sighting 0, ALONE, SHARED or AGAIN (0 if not sent)."""
        raise NotImplementedError

    async def _read(self, names: list[str]) -> list[dict[str, str]]:
        """The fingerprints' documents `names` as stored."""
        raise NotImplementedError

    def _write_later(self, plan: Plan, due: list[int]) -> None:
        """Leave the due refreshes to `flush` (the Redis index starts them at once)."""
        self._deferred = (plan, due)

    async def flush(self) -> None:
        """Write the refreshes `observe` left; before a batch's states are stored."""
        deferred, self._deferred = self._deferred, None
        if deferred is not None:
            await self._refresh(*deferred)

    async def _refresh(self, plan: Plan, due: list[int]) -> None:
        """Write due sightings. A sighting found new there (the index lost it: expired, flushed)
        empties the memory of what was written, no longer to be trusted."""
        flags = await self._write(plan, due)
        if any(flags[n] in (ALONE, SHARED) for n in due):
            self._written.clear()
        else:
            self._remember(plan, due)

    def _unwritten(self, plan: Plan) -> tuple[list[int], list[int]]:
        """Positions of the sightings to write now (they may show a link) and of those whose day
        last seen is due to be written again (they cannot)."""
        written, refresh, probes = self._written, self.REFRESH_MS, plan.probes
        expiring = max(refresh, self.ttl_s * 1000 - refresh)
        now, due = [], []
        for n, sighting in enumerate(plan.sightings):
            known = written.get(sighting[:3])
            ts = sighting[3]
            if known is None or probes[n] or ts <= known[0] or ts - known[1] >= expiring:
                now.append(n)
            elif ts - known[1] >= refresh:
                due.append(n)
        return now, due

    def _remember(self, plan: Plan, sent: list[int]) -> None:
        written = self._written
        if len(written) > self.MAX_WRITTEN:
            written.clear()
        for n in sent:
            sighting = plan.sightings[n]
            key, ts = sighting[:3], sighting[3]
            day = ts - ts % DAY_MS
            known = written.get(key)
            written[key] = (ts, day) if known is None else (min(known[0], ts), max(known[1], day))

    async def observe(self, events: Sequence[AccountEvent]) -> dict[str, LinkView]:
        """Views of the events that may show a link (others get none)."""
        await self.flush()
        if not events:
            return {}
        plan = Plan.of(events)
        now, due = self._unwritten(plan)
        flags = await self._write(plan, now) if now else [0] * len(plan.sightings)
        self._remember(plan, now)
        views: dict[str, LinkView] = {}
        if any(flags):
            shown = revealing(plan, flags)
            needed = sorted({name for i in shown for _, _, name in plan.named(i)})
            if needed:
                fields = await self._read(needed)
                entries = {name: parse_members(f) for name, f in zip(needed, fields, strict=True)}
                views = build_views(events, plan, flags, shown, entries, self.ttl_s * 1000)
        if due:
            self._write_later(plan, due)
        return views


class RedisLinkIndex(BaseLinkIndex):
    """The link index in Redis: per batch one script call per shard, in one pipeline; a second
    pipeline only when an event of the batch may show a link.

    Keys carry their shard as a hash tag, so on Redis Cluster each call stays in one
    slot; use several shards per cluster node there.
    """

    MAX_CACHED = 200_000  # names whose keys are remembered (their CRC and format are not free)

    def __init__(self, redis: Redis, ttl_s: int, max_per_fingerprint: int = 50,
                 prefix: str = "riskscorer:links:v2:", shards: int = 16) -> None:
        super().__init__(ttl_s, max_per_fingerprint)
        self.redis = redis
        self.keys = ShardedKeys(prefix, shards)
        self._shas: dict[str, str] = {}
        self._cache: dict[str, tuple[int, str]] = {}
        self._pending: asyncio.Future[None] | None = None

    def key(self, name: str) -> str:
        """The Redis key of a fingerprint's document (`fp:device:…`): its shard is its hash tag."""
        return self._located(name)[1]

    def _located(self, name: str) -> tuple[int, str]:
        found = self._cache.get(name)
        if found is None:
            if len(self._cache) >= self.MAX_CACHED:
                self._cache.clear()
            found = self._cache[name] = (self.keys.shard(name), self.keys.key(name))
        return found

    async def _write(self, plan: Plan, send: list[int]) -> list[int]:
        shards: dict[int, tuple[list[int], list[str]]] = {}  # shard -> its sightings, their lines
        located, sightings, probes = self._located, plan.sightings, plan.probes
        for n in send:
            name, account, role, ts = sightings[n]
            shard, key = located(name)
            group = shards.get(shard) or shards.setdefault(shard, ([], []))
            group[0].append(n)
            group[1].append(f"{key}\t{account}\t{ts}\t{ts - ts % DAY_MS}\t{int(probes[n])}\t{role}\t"
                            f"{plan.event_id(n)}")
        calls = [(lines[0].split("\t", 1)[0],
                  [self.ttl_s, self.max_per_fingerprint, "\n".join(lines)])
                 for _, lines in shards.values()]
        flags = [0] * len(plan.sightings)
        for (positions, _), reply in zip(shards.values(), await run_scripts(self.redis, self._shas, WRITE, calls),
                                         strict=True):
            for n, flag in zip(positions, reply, strict=True):
                flags[n] = flag - 48  # the digit's code
        return flags

    def _write_later(self, plan: Plan, due: list[int]) -> None:
        self._pending = asyncio.ensure_future(self._refresh(plan, due))

    async def flush(self) -> None:
        # Every caller waits for the same refreshes: a batch's write and the next batch's `observe`
        # can flush at once (`ScoreAgent.overlap`), and neither may go on before they are written.
        pending = self._pending
        if pending is None:
            return
        try:
            await asyncio.shield(pending)  # a caller cancelled does not cancel them for the other
        finally:
            if pending.done() and self._pending is pending:  # not replaced by a later batch's meanwhile
                self._pending = None

    async def _read(self, names: list[str]) -> list[dict[str, str]]:
        return await read_hashes(self.redis, self._shas, self.keys, names)
