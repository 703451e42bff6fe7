"""Cross-account link index: which accounts share a device, IP, payment instrument or phone.

One small JSON document per key, with a TTL:

- `fp:{kind}:{hash}`: account -> [first seen, last seen, role], bounded to the
  `max_per_fingerprint` most recently seen accounts and trimmed, in event time,
  to the TTL before the newest sighting;
- `acct:{id}`: latest role, country and device sightings ("c:FR" / "d:hash" ->
  event times) kept for a day (plus a day for replays), and the account's
  fingerprints with their last-seen time (for `cluster`).

A batch reads its keys (one script call per shard), merges them in Python and
writes them back with a compare-and-set (one call per shard): two round trips;
a key another worker changed meanwhile is read and merged again. Views are read
from the merged documents by event time: an event sees the accounts first seen
with its fingerprint at or before its own time. Merges are max/min/union, so
observing a batch again changes nothing and yields the same views.
`MemoryLinkIndex` runs the same merges over a dict.
"""

from __future__ import annotations

import bisect
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson
from redis.asyncio import Redis
from redis.exceptions import NoScriptError

from scoring.links import LinkedAccount, LinkView, SharedFingerprint
from scoring.records import AccountEvent

Doc = dict[str, Any]
DAY_MS = 86_400_000
REPLAY_MS = DAY_MS  # events replayed this much older than an account's batch still see their sightings
KINDS = (("device", "device_fp"), ("ip", "ip_fp"), ("payment", "payment_fp"), ("phone", "phone_fp"),
         ("family", "family_fp"))
FOLLOW = ("device", "payment", "phone")  # IPs link households and offices: not followed by default
MAX_SIGHTINGS = 32  # distinct countries and devices kept per account
MAX_TIMES = 16  # event times kept per country or device
MAX_ACCOUNT_FPS = 32  # fingerprints kept per account
MAX_RETRIES = 8

# Scripts take the names of a shard's keys as one newline-joined argument (one argument
# instead of thousands keeps the client's command packing cheap); KEYS[1], the first of
# them, routes the call: they all share its hash tag, hence its slot on Redis Cluster.
_SPLIT = """
local function split(s)
  local t, i = {}, 1
  while true do
    local j = string.find(s, '\\n', i, true)
    if not j then t[#t + 1] = string.sub(s, i) return t end
    t[#t + 1] = string.sub(s, i, j - 1)
    i = j + 1
  end
end
local function mget(keys)
  local out = {}
  for i = 1, #keys, 500 do
    local part = redis.call('MGET', unpack(keys, i, math.min(i + 499, #keys)))
    for j = 1, #part do out[#out + 1] = part[j] or '' end
  end
  return out
end
"""
# ARGV[1]: keys. Returns their values ('' when absent), one per line (orjson writes no raw newline).
READ = _SPLIT + "return table.concat(mget(split(ARGV[1])), '\\n')"
# ARGV: ttl, keys, their values as read, their new values. A key whose value changed since
# the read is left alone; returns the positions (1-based) of those.
CAS = _SPLIT + """
local keys, old, new, lost = split(ARGV[2]), split(ARGV[3]), split(ARGV[4]), {}
local now = mget(keys)
for i, k in ipairs(keys) do
  if now[i] == old[i] then redis.call('SET', k, new[i], 'EX', ARGV[1]) else lost[#lost + 1] = i end
end
return lost
"""


class LinkIndex(Protocol):
    async def observe(self, events: Sequence[AccountEvent]) -> dict[str, LinkView]: ...

    async def cluster(self, account_id: str, max_accounts: int = 50) -> dict[str, Any]: ...


def fingerprints(event: AccountEvent) -> list[tuple[str, str]]:
    """(kind, hashed value) of each fingerprint the event carries."""
    return [(kind, value) for kind, attr in KINDS if (value := getattr(event, attr))]


@dataclass(slots=True)
class AccountUpdate:
    roles: list[tuple[int, str]] = field(default_factory=list)
    sightings: list[tuple[str, int]] = field(default_factory=list)  # ("c:FR" | "d:hash", ts)
    fps: list[tuple[str, int]] = field(default_factory=list)  # ("kind:hash", ts)


@dataclass(slots=True)
class Plan:
    """A batch grouped by document name: each document is merged once."""

    fps: dict[str, list[tuple[str, int, str]]] = field(default_factory=dict)  # name -> sightings
    accounts: dict[str, AccountUpdate] = field(default_factory=dict)  # name -> update
    named: list[list[tuple[str, str, str]]] = field(default_factory=list)  # per event: (kind, hash, name)

    @classmethod
    def of(cls, events: Sequence[AccountEvent]) -> Plan:
        plan = cls()
        for ev in events:
            name = "acct:" + ev.account_id
            up = plan.accounts.get(name) or plan.accounts.setdefault(name, AccountUpdate())
            up.roles.append((ev.ts, ev.role))
            if ev.country:
                up.sightings.append(("c:" + ev.country, ev.ts))
            if ev.device_fp:
                up.sightings.append(("d:" + ev.device_fp, ev.ts))
            named = [(kind, value, f"fp:{kind}:{value}") for kind, value in fingerprints(ev)]
            for _, _, fp_name in named:
                plan.fps.setdefault(fp_name, []).append((ev.account_id, ev.ts, ev.role))
                up.fps.append((fp_name[3:], ev.ts))
            plan.named.append(named)
        return plan

    def merge(self, name: str, doc: Doc, limit: int, horizon_ms: int) -> Doc:
        if name in self.fps:
            return merge_fingerprint(doc, self.fps[name], limit, horizon_ms)
        return merge_account(doc, self.accounts[name])


def merge_fingerprint(doc: Doc, updates: list[tuple[str, int, str]], limit: int, horizon_ms: int) -> Doc:
    """Add sightings; drop accounts not seen within the horizon of the newest; keep the newest `limit`."""
    for account, ts, role in updates:
        entry = doc.get(account)
        if entry is None:
            doc[account] = [ts, ts, role]
            continue
        entry[0] = min(entry[0], ts)
        if (ts, role) > (entry[1], entry[2]):
            entry[1], entry[2] = ts, role
    floor = max(entry[1] for entry in doc.values()) - horizon_ms
    if any(entry[1] < floor for entry in doc.values()):
        doc = {a: e for a, e in doc.items() if e[1] >= floor}
    if len(doc) > limit:
        doc = {a: doc[a] for a in sorted(doc, key=lambda a: (-doc[a][1], a))[:limit]}
    return doc


def merge_account(doc: Doc, update: AccountUpdate) -> Doc:
    """Latest role; sightings after the cutoff (which only rises); the newest fingerprints."""
    latest = max([(doc.get("t", -1), doc.get("r", "")), *update.roles])
    cutoff = min(ts for ts, _ in update.roles) - DAY_MS - REPLAY_MS
    old_cutoff = doc.get("c", -1)
    times: dict[str, list[int]] = doc.get("s", {})
    if cutoff > old_cutoff:
        times = {k: kept for k, ts in times.items() if (kept := [t for t in ts if t > cutoff])}
    for key, ts in update.sightings:
        known = times.get(key)
        if known is None and ts > max(cutoff, old_cutoff):
            times[key] = [ts]
        elif known is not None and ts not in known and ts > max(cutoff, old_cutoff):
            known.append(ts)
            known.sort()
            del known[:-MAX_TIMES]
    fps: dict[str, int] = doc.get("f", {})
    for key, ts in update.fps:
        fps[key] = max(ts, fps.get(key, ts))
    return {"r": latest[1], "t": latest[0], "c": max(cutoff, old_cutoff),
            "s": _newest(times, MAX_SIGHTINGS, lambda ts: ts[-1]), "f": _newest(fps, MAX_ACCOUNT_FPS, int)}


def _newest(items: dict[str, Any], limit: int, ts: Any) -> dict[str, Any]:
    if len(items) <= limit:
        return items
    return {k: items[k] for k in sorted(items, key=lambda k: (-ts(items[k]), k))[:limit]}


class _Visible:
    """A fingerprint's accounts ordered by first sighting, for cutting at an event's time; and
    those of them not in the batch (`in_batch`), whose events were read before it."""

    def __init__(self, doc: Doc, known: dict[tuple[str, str], LinkedAccount], in_batch: set[str]) -> None:
        entries = sorted((e[0], a, e[2]) for a, e in doc.items())
        self.firsts = [first for first, _, _ in entries]
        self.accounts = [known.get((a, role)) or known.setdefault((a, role), LinkedAccount(a, role))
                         for _, a, role in entries]
        read = [(first, a) for first, a in zip(self.firsts, self.accounts, strict=True)
                if a.account_id not in in_batch]
        self.read_firsts = [first for first, _ in read]
        self.read_accounts = [a for _, a in read]

    def at(self, ts: int, me: str) -> tuple[LinkedAccount, ...]:
        cut = bisect.bisect_right(self.firsts, ts)
        return tuple(a for a in self.accounts[:cut] if a.account_id != me)

    def read_after(self, ts: int) -> tuple[LinkedAccount, ...]:
        """Accounts first seen after `ts` and read before the batch: they could not see an
        account of the batch first seen at `ts`."""
        return tuple(self.read_accounts[bisect.bisect_right(self.read_firsts, ts):])


def _recent(times: dict[str, list[int]], ts: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Countries and devices of the account's sightings in the day up to `ts` (times are sorted)."""
    found = []
    for key, seen in times.items():
        last = seen[-1] if seen[-1] <= ts else seen[bisect.bisect_right(seen, ts) - 1]
        if ts - DAY_MS < last <= ts:
            found.append(key)
    found.sort()
    return tuple(k[2:] for k in found if k[0] == "c"), tuple(k[2:] for k in found if k[0] == "d")


def build_views(events: Sequence[AccountEvent], plan: Plan, docs: dict[str, Doc]) -> dict[str, LinkView]:
    visible: dict[str, _Visible] = {}
    known: dict[tuple[str, str], LinkedAccount] = {}
    views = {}
    for ev, named in zip(events, plan.named, strict=True):
        shared, later = [], []
        for kind, value, name in named:
            doc = docs[name]
            if len(doc) == 1 and ev.account_id in doc:
                continue
            seen = visible.get(name) or visible.setdefault(
                name, _Visible(doc, known, {account for account, _, _ in plan.fps[name]}))
            linked = seen.at(ev.ts, ev.account_id)
            if linked:
                shared.append(SharedFingerprint(kind, value, linked))
            # Accounts of this batch first seen later see this one in their own views.
            if after := seen.read_after(ev.ts):
                later.append(SharedFingerprint(kind, value, after))
        countries, devices = _recent(docs["acct:" + ev.account_id]["s"], ev.ts)
        views[ev.event_id] = LinkView(ev.account_id, ev.role, tuple(shared), countries, devices, tuple(later))
    return views


class _Index:
    """Planning, merging, views and the cluster walk; subclasses read and write documents."""

    def __init__(self, ttl_s: int, max_per_fingerprint: int) -> None:
        self.ttl_s = ttl_s
        self.max_per_fingerprint = max_per_fingerprint

    async def _read(self, names: list[str]) -> list[bytes | None]:
        raise NotImplementedError

    async def _write(self, changes: list[tuple[str, bytes | None, bytes]]) -> list[str]:
        """Store (name, value read, new value) where the value is still the one read; return the others."""
        raise NotImplementedError

    async def observe(self, events: Sequence[AccountEvent]) -> dict[str, LinkView]:
        if not events:
            return {}
        plan = Plan.of(events)
        names = [*plan.fps, *plan.accounts]
        docs: dict[str, Doc] = {}
        for _ in range(MAX_RETRIES):
            read = dict(zip(names, await self._read(names), strict=True))
            merged = {n: plan.merge(n, orjson.loads(raw) if raw else {}, self.max_per_fingerprint,
                                    self.ttl_s * 1000) for n, raw in read.items()}
            docs |= merged
            written = {n: orjson.dumps(doc) for n, doc in merged.items()}
            names = await self._write([(n, read[n], v) for n, v in written.items() if v != read[n]])
            if not names:
                return build_views(events, plan, docs)
        raise RuntimeError(f"link index: {len(names)} keys kept changing under {MAX_RETRIES} merges")

    async def cluster(
        self, account_id: str, max_accounts: int = 50, follow: Sequence[str] = FOLLOW
    ) -> dict[str, Any]:
        """Accounts reachable from `account_id` over shared fingerprints of the `follow` kinds,
        breadth first, at most `max_accounts`; with the fingerprints they share."""
        roles: dict[str, str] = {}
        depth = {account_id: 0}
        members: dict[str, list[str]] = {}  # "kind:hash" -> accounts of the cluster seen with it
        frontier, truncated = [account_id], False
        while frontier:
            source: dict[str, int] = {}  # fingerprint -> depth of the account it was reached from
            for account, doc in zip(frontier, await self._docs([f"acct:{a}" for a in frontier]), strict=True):
                roles[account] = doc.get("r", "")
                for key in sorted(doc.get("f", {})):
                    if key.split(":", 1)[0] in follow and key not in members:
                        source.setdefault(key, depth[account])
            keys, frontier = sorted(source), []
            for key, entries in zip(keys, await self._docs([f"fp:{k}" for k in keys]), strict=True):
                members[key] = []
                for account, _ in sorted(entries.items(), key=lambda kv: (kv[1][0], kv[0])):
                    if account not in depth and len(depth) >= max_accounts:
                        truncated = True
                        continue
                    if account not in depth:
                        depth[account] = source[key] + 1
                        frontier.append(account)
                    members[key].append(account)
        return _cluster_dict(account_id, depth, roles, members, truncated)

    async def _docs(self, names: list[str]) -> list[Doc]:
        return [orjson.loads(raw) if raw else {} for raw in await self._read(names)]


def _cluster_dict(account_id: str, depth: dict[str, int], roles: dict[str, str],
                  members: dict[str, list[str]], truncated: bool) -> dict[str, Any]:
    shared = [
        {"kind": k.split(":", 1)[0], "fingerprint": k.split(":", 1)[1], "accounts": sorted(accts)}
        for k, accts in sorted(members.items()) if len(accts) > 1
    ]
    accounts = [{"account_id": a, "role": roles.get(a, ""), "depth": d} for a, d in depth.items()]
    return {"account_id": account_id, "accounts": accounts, "shared": shared, "truncated": truncated}


class MemoryLinkIndex(_Index):
    """In-memory twin of `RedisLinkIndex` (same documents, merges and views); nothing expires."""

    def __init__(self, ttl_s: int = 30 * 86_400, max_per_fingerprint: int = 50) -> None:
        super().__init__(ttl_s, max_per_fingerprint)
        self.docs: dict[str, bytes] = {}

    def observe_now(self, events: Sequence[AccountEvent]) -> dict[str, LinkView]:
        """`observe` for synchronous callers (the backtest): this index never waits."""
        step = self.observe(events)
        try:
            step.send(None)
        except StopIteration as done:
            views: dict[str, LinkView] = done.value
            return views
        step.close()
        raise RuntimeError("MemoryLinkIndex.observe suspended")

    async def _read(self, names: list[str]) -> list[bytes | None]:
        return [self.docs.get(n) for n in names]

    async def _write(self, changes: list[tuple[str, bytes | None, bytes]]) -> list[str]:
        self.docs.update((name, new) for name, _, new in changes)
        return []


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


class RedisLinkIndex(_Index):
    """The link index in Redis: per batch one read and one compare-and-set script call per shard.

    Keys carry their shard as a hash tag, so on Redis Cluster each call stays in one
    slot; use several shards per cluster node there.
    """

    def __init__(self, redis: Redis, ttl_s: int, max_per_fingerprint: int = 50,
                 prefix: str = "riskscorer:links:", shards: int = 16) -> None:
        super().__init__(ttl_s, max_per_fingerprint)
        self.redis = redis
        self.keys = ShardedKeys(prefix, shards)
        self._shas: dict[str, str] = {}

    def key(self, name: str) -> str:
        """The Redis key of a document (`fp:device:…`, `acct:…`): its shard is its hash tag."""
        return self.keys.key(name)

    async def _read(self, names: list[str]) -> list[bytes | None]:
        by_shard = self.keys.by_shard(names)
        replies = await self._scripts(READ, [(keys, [b"\n".join(keys)]) for keys in self._keys(by_shard)])
        found = {n: value for group, reply in zip(by_shard, replies, strict=True)
                 for n, value in zip(group, reply.split(b"\n"), strict=True)}
        return [found[n] or None for n in names]

    async def _write(self, changes: list[tuple[str, bytes | None, bytes]]) -> list[str]:
        old = {name: (before or b"", after) for name, before, after in changes}
        by_shard = self.keys.by_shard(list(old))
        calls = [(keys, [self.ttl_s, b"\n".join(keys), b"\n".join(old[n][0] for n in group),
                         b"\n".join(old[n][1] for n in group)])
                 for keys, group in zip(self._keys(by_shard), by_shard, strict=True)]
        lost = await self._scripts(CAS, calls)
        return [group[i - 1] for group, positions in zip(by_shard, lost, strict=True) for i in positions]

    def _keys(self, by_shard: list[list[str]]) -> list[list[bytes]]:
        return [[self.key(n).encode() for n in group] for group in by_shard]

    async def _scripts(self, script: str, calls: list[tuple[list[bytes], list[Any]]]) -> list[Any]:
        return await run_scripts(self.redis, self._shas, script, calls)


async def run_scripts(redis: Redis, shas: dict[str, str], script: str,
                      calls: list[tuple[list[bytes], list[Any]]]) -> list[Any]:
    """Run `script` once per (keys, args) in one pipeline, its first key as KEYS[1] (the others
    share its hash tag and travel in the args); load it first if the server lacks it."""
    for attempt in range(2):
        if script not in shas or attempt:
            shas[script] = str(await redis.script_load(script))
        pipe = redis.pipeline(transaction=False)
        for keys, args in calls:
            pipe.evalsha(shas[script], 1, keys[0], *args)
        try:
            return list(await pipe.execute()) if calls else []
        except NoScriptError:  # a restarted or flushed server: load and run again
            continue
    raise RuntimeError("Redis does not keep the scripts loaded into it")
