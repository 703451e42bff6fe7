"""Cross-account cover-letter index: one letter sent by many accounts is a farm.

Each proposal's sketch (`scoring.sketch`, 32 one-byte MinHash bins) is cut into
8 LSH bands of 4 bins. A band key holds, per account, the first letter it sent
in that band on each day: proposal id, time and sketch each. A proposal is
compared only with letters sent no later than itself, so one whose partition is
read behind another's (a backlog, a restart) still finds the earlier letters of
accounts read ahead of it. A batch reads the band keys of its proposals in one
pipelined round trip, estimates the similarity of every letter found there from
the two sketches, and writes its own letters back (one more round trip). Letters
of the same batch see the earlier ones of the batch. Short letters (sketches
with empty bins) are not indexed.

What a proposal finds in a band does not depend on the order letters are read
in: it sees what it would in time order, however far (up to eight days) other
partitions were read ahead of its own. A band keeps:
- of each day, the letters of the `max_per_band` accounts that sent one first
  that day (a farm's letter fills a day; more accounts add nothing a reviewer
  needs). Keeping the newest instead would let letters read ahead push out the
  earlier ones a proposal read behind them must find;
- letters sent up to `RETAIN_DAYS` before the newest letter in it: the farm's
  window of a week, and eight days more for partitions read behind the others.
  A band of fewer accounts than `max_per_band` (no day can be full) is not read
  for it: there each account's letters go `RETAIN_DAYS` after its own newest,
  the others' once the band fills or its key expires. What the band stores then
  depends on the order, never within the week a proposal reads.
Keys expire after the window. Re-observing a proposal writes the same values:
replays change nothing.

Workers share the bands, and a batch's writes to a band are worked out from
what it read there: dropping an account's letter for a full day, or the letters
past the retention, writes other accounts' entries. A band therefore counts its
writes (`VERSION`), and a batch's writes to it are refused, all of them, when
the band was written after the batch read it (another worker's batch, or a
write of an attempt given up: a frozen Redis runs what was sent to it once it
wakes). A refused band is read again and the batch's letters put in anew.
"""

from __future__ import annotations

import binascii
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from itertools import chain

from redis.asyncio import Redis

from scoring import sketch
from scoring.letters import LetterMatch
from scoring.records import Proposal
from scoring.units import DAY_MS
from streams.adapters.redis_index import FIELD, LUA_SPLIT, REC, ShardedKeys, read_hashes, run_now, run_scripts, text

Entries = dict[str, str]  # account -> its letters, each "proposal id|ts|sketch", joined by LETTER_SEP

LETTER_SEP = "\x1d"  # between an account's letters (ids with control characters are dead-lettered)
# Days a band keeps letters for before the newest letter in it: the farm's window of a week, and
# eight days more, so that a letter a proposal read behind other partitions must find is still
# there however far (up to eight days) they were read ahead of it.
RETAIN_DAYS = 15

# A letter is compared only with letters sharing at least two of its bands: a near copy
# (Jaccard 0.9) shares about five of eight, a letter from the same popular template (~0.5)
# rarely more than one, and comparing it with every one of those cost most of the index's time.
MIN_SHARED_BANDS = 2

# A band's field counting the writes made to it (ids with control characters are dead-lettered:
# no account is named so).
VERSION = "\x01"
# Times a batch reads a band again after its writes were refused, before it gives up (the
# batch is then retried): each refusal means another write landed in the moment between.
MAX_REREADS = 20

Band = tuple[Entries, int]  # a band's entries as read, and its count of writes then


class LetterIndexContended(RuntimeError):
    """A batch's writes to a band were refused `MAX_REREADS` times in a row."""


def _entry(event: Proposal, sk: str) -> str:
    return f"{event.event_id}|{event.ts}|{sk}"


def _sent(letter: str) -> int:
    """When a letter was sent (0 for one that does not parse: it goes first)."""
    try:
        return int(letter.rsplit("|", 2)[1])
    except (ValueError, IndexError):
        return 0


def _with(value: str | None, letter: str, since: int) -> str:
    """An account's letters in a band with `letter` in: the first it sent on each day (by time,
    then id) from day `since` on, oldest first. Which letters are kept depends on which were
    sent, not on the order they are read in; re-reading one changes nothing."""
    first: dict[int, tuple[int, str]] = {}
    for kept in [*(value.split(LETTER_SEP) if value else ()), letter]:
        key = (_sent(kept), kept)
        day = key[0] // DAY_MS
        if day >= since and (day not in first or key < first[day]):
            first[day] = key
    return LETTER_SEP.join(first[day][1] for day in sorted(first))


class _Band:
    """A band's entries as read, kept in step with what is written, with who sent a letter on
    each day (read from the entries once needed)."""

    def __init__(self, entries: Entries) -> None:
        self.entries = entries
        self._days: dict[int, dict[str, int]] | None = None
        self._of: dict[str, list[int]] = {}  # account -> the days it sent a letter on

    @property
    def days(self) -> dict[int, dict[str, int]]:
        """Day -> account -> when its letter of the day was sent."""
        if self._days is None:
            self._days = {}
            for account, value in self.entries.items():
                self._note(account, value)
        return self._days

    def _note(self, account: str, value: str) -> None:
        sent = _sent_days(value)
        self._of[account] = [day for day, _ in sent]
        for day, ts in sent:
            self.days.setdefault(day, {})[account] = ts

    def _set(self, account: str, value: str, written: Entries) -> None:
        if self._days is not None:
            for day in self._of.pop(account, ()):
                self._days.get(day, {}).pop(account, None)
            if value:
                self._note(account, value)
        if value:
            self.entries[account] = value
        else:
            self.entries.pop(account, None)
        written[account] = value  # empty: removed

    def since(self, day: int) -> int:
        """The first day the band keeps once a letter of `day` is in."""
        return max([day, *self.days]) - RETAIN_DAYS

    def prune(self, since: int, written: Entries) -> None:
        """Every letter sent before day `since` out."""
        for old_day in [d for d in self.days if d < since]:
            for old in list(self.days.pop(old_day)):
                self._set(old, _on_days(self.entries[old], lambda d: d >= since), written)

    def put(self, account: str, letter: str, since: int, written: Entries) -> None:
        """`letter` in, and the account's letters sent before day `since` out."""
        self._set(account, _with(self.entries.get(account), letter, since), written)

    def drop(self, account: str, day: int, written: Entries) -> None:
        """An account's letter of `day` out."""
        self._set(account, _on_days(self.entries[account], lambda d: d != day), written)


@lru_cache(maxsize=65536)  # a band's unchanged accounts, read again at each batch that sends in it
def _sent_days(value: str) -> tuple[tuple[int, int], ...]:
    """The day and time of each of an account's letters."""
    return tuple((ts // DAY_MS, ts) for ts in map(_sent, value.split(LETTER_SEP)))


def _on_days(value: str, keep: Callable[[int], bool]) -> str:
    """An account's letters sent on the days `keep` takes."""
    return LETTER_SEP.join(x for x in value.split(LETTER_SEP) if keep(_sent(x) // DAY_MS))


def _match(account: str, letter: str, sk: str) -> LetterMatch | None:
    """The match with a stored letter; None for an entry that does not parse (never written
    by this code: ids with control characters are dead-lettered)."""
    try:
        proposal_id, ts, other = letter.rsplit("|", 2)
        return LetterMatch(account, proposal_id, sketch.similarity(sk, other), int(ts))
    except (ValueError, binascii.Error):
        return None


def _near(event: Proposal, sk: str, shared: Mapping[str, list[str]]) -> tuple[LetterMatch, ...]:
    """The matches with the letters other accounts sent no later than `event`, among the accounts
    sharing at least `MIN_SHARED_BANDS` of its bands (`shared`: account -> its value in each)."""
    out: list[LetterMatch] = []
    for account, values in shared.items():
        if len(values) < MIN_SHARED_BANDS:
            continue
        bands_of: dict[str, int] = {}
        for value in values:
            for letter in value.split(LETTER_SEP):
                bands_of[letter] = bands_of.get(letter, 0) + 1
        for letter, n in bands_of.items():
            if n >= MIN_SHARED_BANDS and _sent(letter) <= event.ts and (m := _match(account, letter, sk)):
                out.append(m)
    return tuple(sorted(out, key=lambda m: (m.account_id, m.ts, m.proposal_id)))


class _LetterIndex:
    def __init__(self, ttl_s: int, max_per_band: int) -> None:
        self.ttl_s = ttl_s
        self.max_per_band = max_per_band

    async def _read(self, keys: list[str]) -> list[Band]:
        raise NotImplementedError

    async def _write(self, writes: dict[str, Entries], versions: Mapping[str, int]) -> list[str]:
        """Write each band's entries if it is still at the version read; the bands refused."""
        raise NotImplementedError

    async def observe(self, proposals: Sequence[Proposal],
                      sketches: Mapping[str, str] | None = None) -> dict[str, tuple[LetterMatch, ...]]:
        """Per proposal event id, the other accounts' letters sharing a band with it. `sketches`
        (by event id) are the letters' sketches when the caller has them already."""
        return await self._index(_banded(proposals, sketches or {}), views=True)

    async def index(self, proposals: Sequence[Proposal], sketches: Mapping[str, str]) -> None:
        """Put the proposals' letters in the index (`observe` without the views)."""
        await self._index(_banded(proposals, sketches), views=False)

    async def _index(self, banded: list[tuple[Proposal, str, list[str]]],
                     views: bool) -> dict[str, tuple[LetterMatch, ...]]:
        if not banded:
            return {}
        found = await self._found(banded)
        writes, out = self._put(banded, found, views)
        for _ in range(MAX_REREADS):
            refused = await self._write(writes, {key: found[key][1] for key in writes})
            if not refused:
                return out
            found = dict(zip(refused, await self._read(refused), strict=True))
            writes, _ = self._put(banded, found, views=False)
        raise LetterIndexContended(f"cover-letter bands written by others {MAX_REREADS} times while this batch "
                                   f"wrote them: {', '.join(refused[:3])}")

    def _put(self, banded: list[tuple[Proposal, str, list[str]]], found: Mapping[str, Band],
             views: bool) -> tuple[dict[str, Entries], dict[str, tuple[LetterMatch, ...]]]:
        """The writes that put the batch's letters in the bands `found`, and with `views` what each
        proposal finds (the letters before it in the batch too)."""
        entries = _entries(found)
        bands = {key: _Band(band) for key, band in entries.items()}  # each writes to its entries as it goes
        writes: dict[str, Entries] = {}
        out: dict[str, tuple[LetterMatch, ...]] = {}
        for event, sk, keys in banded:
            if views:
                out[event.event_id] = _near(event, sk, _shared(event, keys, entries))
            for key in keys:
                if key in bands:
                    self._add(event, sk, bands[key], writes.setdefault(key, {}))
        return {key: w for key, w in writes.items() if w}, out

    async def view(self, proposals: Sequence[Proposal],
                   sketches: Mapping[str, str]) -> dict[str, tuple[LetterMatch, ...]]:
        """`observe`'s views of proposals already in the index (put there as they were read),
        without writing them again."""
        banded = _banded(proposals, sketches)
        if not banded:
            return {}
        entries = _entries(await self._found(banded))
        return {event.event_id: _near(event, sk, _shared(event, keys, entries)) for event, sk, keys in banded}

    async def _found(self, banded: list[tuple[Proposal, str, list[str]]]) -> dict[str, Band]:
        names = sorted({k for _, _, keys in banded for k in keys})
        return dict(zip(names, await self._read(names), strict=True))

    def _add(self, event: Proposal, sk: str, band: _Band, written: Entries) -> None:
        """`event`'s letter into a band, and what that writes."""
        day, account, letter = event.ts // DAY_MS, event.freelancer_id, _entry(event, sk)
        if len(band.entries) < self.max_per_band:  # no day can be full: nothing else is read
            band.put(account, letter, day - RETAIN_DAYS, written)
            return
        since = band.since(day)
        if day < since:
            return  # sent before the band's retention
        senders = band.days.get(day, {})
        if account not in senders and len(senders) >= self.max_per_band:
            last = max(senders, key=lambda other: (senders[other], other))
            if (event.ts, account) > (senders[last], last):
                return  # sent after every letter the day keeps: a full day keeps those sent first
            band.drop(last, day, written)
        band.prune(since, written)
        band.put(account, letter, since, written)


def _banded(proposals: Sequence[Proposal], sketches: Mapping[str, str]) -> list[tuple[Proposal, str, list[str]]]:
    """Each proposal with its sketch and band keys; short letters (no full band) left out."""
    banded = [(p, sk, sketch.bands(sk)) for p in proposals
              if (sk := sketches.get(p.event_id) or sketch.sketch(p.cover_letter))]
    return [(p, sk, keys) for p, sk, keys in banded if keys]


def _entries(found: Mapping[str, Band]) -> dict[str, Entries]:
    """The bands' entries as read, without their counts of writes."""
    return {key: entries for key, (entries, _) in found.items()}


def _shared(event: Proposal, keys: list[str], found: Mapping[str, Entries]) -> dict[str, list[str]]:
    """Other accounts sharing at least `MIN_SHARED_BANDS` of `event`'s bands -> their letters in
    each."""
    bands = [found[key] for key in keys]
    counts = Counter(chain.from_iterable(bands))
    counts.pop(event.freelancer_id, None)
    return {account: [band[account] for band in bands if account in band]
            for account, n in counts.items() if n >= MIN_SHARED_BANDS}


class MemoryLetterIndex(_LetterIndex):
    """The same index in a dict, for the backtest and tests (no expiry)."""

    def __init__(self, ttl_s: int = 7 * 86_400, max_per_band: int = 20) -> None:
        super().__init__(ttl_s, max_per_band)
        self.bands: dict[str, Entries] = {}

    def observe_now(self, proposals: Sequence[Proposal],
                    sketches: Mapping[str, str] | None = None) -> dict[str, tuple[LetterMatch, ...]]:
        """`observe` for synchronous callers (the backtest): this index never waits."""
        return run_now(self.observe(proposals, sketches))

    async def _read(self, keys: list[str]) -> list[Band]:
        return [(dict(self.bands.get(k, {})), 0) for k in keys]

    async def _write(self, writes: dict[str, Entries], versions: Mapping[str, int]) -> list[str]:
        for key, entries in writes.items():  # one writer: never refused
            band = self.bands.setdefault(key, {})
            for account, value in entries.items():
                if value:
                    band[account] = value
                else:
                    band.pop(account, None)
        return []


# ARGV[1]: ttl; ARGV[2]: a record per band, "key US version read US account US value US account
# US value ..." joined by RS; an empty value removes. A band no longer at the version read is left
# as it is. Returns the keys of those, joined by RS.
WRITE_BANDS = LUA_SPLIT + """
local refused = {}
for _, rec in ipairs(split(ARGV[2], '\\30')) do
  local f = split(rec, '\\31')
  local k = f[1]
  if tonumber(redis.call('HGET', k, '\\1') or '0') ~= tonumber(f[2]) then
    refused[#refused + 1] = k
  else
    local set = false
    for i = 3, #f - 1, 2 do
      if f[i + 1] == '' then
        redis.call('HDEL', k, f[i])
      else
        redis.call('HSET', k, f[i], f[i + 1])
        set = true
      end
    end
    redis.call('HINCRBY', k, '\\1', 1)
    if set then redis.call('EXPIRE', k, ARGV[1]) end
  end
end
return table.concat(refused, '\\30')
"""


class RedisLetterIndex(_LetterIndex):
    """The index in Redis: one hash per band key, expiring with the window. Per batch one read
    and one write script call per shard (keys carry their shard as a hash tag, so each call
    stays in one Redis Cluster slot); a pipeline of one command per key costs the client far
    more than the server."""

    def __init__(self, redis: Redis, ttl_s: int, max_per_band: int = 20,
                 prefix: str = "riskscorer:letters:", shards: int = 16) -> None:
        super().__init__(ttl_s, max_per_band)
        self.redis = redis
        self.keys = ShardedKeys(prefix, shards)
        self._shas: dict[str, str] = {}

    def key(self, band: str) -> str:
        return self.keys.key(band)

    async def _read(self, keys: list[str]) -> list[Band]:
        found = await read_hashes(self.redis, self._shas, self.keys, keys)
        return [(entries, int(entries.pop(VERSION, 0))) for entries in found]

    async def _write(self, writes: dict[str, Entries], versions: Mapping[str, int]) -> list[str]:
        calls: list[tuple[str, list[object]]] = []
        named: dict[str, str] = {}
        for group in self.keys.by_shard(list(writes)):
            keyed = {self.key(b): b for b in group}
            named.update(keyed)
            records = REC.join(FIELD.join([k, str(versions[b]), *chain.from_iterable(writes[b].items())])
                               for k, b in keyed.items())
            calls.append((next(iter(keyed)), [self.ttl_s, records]))
        replies = await run_scripts(self.redis, self._shas, WRITE_BANDS, calls)
        return [named[key] for reply in replies if (names := text(reply)) for key in names.split(REC)]
