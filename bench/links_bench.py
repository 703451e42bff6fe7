"""Per-event cost of the link index and of the linked-account detectors.

    python bench/links_bench.py [--events N] [--accounts A] [--days D] [--batch B] [--uvloop]

Starts its own Redis (streams.commands.embedded), feeds RedisLinkIndex.observe batches of
account events from a synthetic population (own devices, a few shared ones,
households, offices and carrier NAT on IPs, payment instruments, phones): every
account's signup, then logins of random accounts. Prints µs/event of the Redis
index for signups and logins apart, of the in-memory index, and of the pure
detectors. What linking adds to a worker's cost per account event is measured
end to end by `bench/throughput.py --only accounts --links-shards 16,0`.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from redis.asyncio import Redis  # noqa: E402

from scoring.detector import At  # noqa: E402
from scoring.detectors import friends_family, linked  # noqa: E402
from scoring.records import AccountEvent, ContractEvent, Feedback  # noqa: E402
from scoring.rules import DetectorRule  # noqa: E402
from scoring.state import AccountState  # noqa: E402
from scoring.step import step  # noqa: E402
from streams.adapters.link_index import RedisLinkIndex  # noqa: E402
from streams.adapters.link_index_memory import MemoryLinkIndex  # noqa: E402
from streams.batch.rules_file import load_rules  # noqa: E402
from streams.batch.statecodec import decode_state, encode_state  # noqa: E402
from streams.commands import embedded  # noqa: E402
from streams.worker.settings import DEFAULT_RULES  # noqa: E402

T0 = 1_767_225_600_000
DUPLICATE = DetectorRule("duplicate_account", "duplicate_account", 1.0,
                         {"min_countries_24h": 3, "min_devices_24h": 4, "max_journey_countries": 3})
FRIENDS = DetectorRule("friends_family", "feedback_manipulation", 1.0,
                       {})


def population(accounts: int, rng: random.Random) -> list[dict[str, str]]:
    people = []
    for i in range(accounts):
        role = "freelancer" if rng.random() < 0.6 else "client"
        ip = rng.choices([f"home{i // 3}", f"office{i // 20}", f"nat{i // 300}"], [0.7, 0.2, 0.1])[0]
        device = f"dev{i - 1}" if rng.random() < 0.03 and i else f"dev{i}"  # 3% share a device
        people.append({
            "id": f"a{i:06d}", "role": role, "country": rng.choice(["US", "IN", "PH", "UA", "BR"]),
            "device": f"{device:0>16}", "ip": f"{ip:0>16}",
            "payment": f"pay{i:0>13}" if rng.random() < 0.7 else "",
            "phone": f"ph{i:0>14}" if rng.random() < 0.5 else "",
        })
    return people


def stream(n: int, accounts: int, days: float = 30.0, seed: int = 7) -> list[AccountEvent]:
    """Each account's signup within the first day, then logins of random accounts over `days`."""
    rng = random.Random(seed)
    people = population(accounts, rng)
    events = []
    signup_gap, login_gap = 86_400_000 // accounts, int(days * 86_400_000) // max(1, n - accounts)
    for i in range(n):
        p = people[rng.randrange(accounts)]
        first = i < accounts
        p = people[i] if first else p
        ts = T0 + i * signup_gap if first else T0 + 86_400_000 + (i - accounts) * login_gap
        events.append(AccountEvent(
            f"e{i}", ts, "signup" if first else "login", p["id"], p["role"], p["country"],
            device_fp=p["device"], ip_fp=p["ip"], payment_fp=p["payment"] if first else "",
            phone_fp=p["phone"] if first else "",
        ))
    return events


async def bench_index(index: RedisLinkIndex | MemoryLinkIndex, events: list[AccountEvent],
                      batch: int) -> tuple[float, list[float], dict[str, object]]:
    views: dict[str, object] = {}
    per_batch = []
    started = time.perf_counter()
    for start in range(0, len(events), batch):
        part = events[start:start + batch]
        t = time.perf_counter()
        views |= await index.observe(part)
        await index.flush()
        per_batch.append((time.perf_counter() - t) * 1000)
    return (time.perf_counter() - started) / len(events) * 1e6, per_batch, views


def bench_detectors(events: list[AccountEvent], views: dict[str, object]) -> tuple[float, int]:
    """The linked-account detectors and the notices to newly linked accounts, per event."""
    states: dict[str, AccountState] = {}
    started, hits = time.perf_counter(), 0
    for ev in events:
        view, state = views.get(ev.event_id), states.setdefault(ev.account_id, AccountState())
        hits += len(linked.detect(state, ev, DUPLICATE, At(view=view)))
        if view is not None:
            hits += len(friends_family.on_account(state, ev, FRIENDS, At(view=view)))
            linked.notices(state, ev, DUPLICATE, At(view=view))
            friends_family.counterpart_notices(state, ev, FRIENDS, At(view=view))
    return (time.perf_counter() - started) / len(events) * 1e6, hits


def bench_scoring(events: list[AccountEvent], views: dict[str, object] | None) -> float:
    """µs to score an account event as the worker does (state read, step, state written), with
    the link view or without any."""
    rules = load_rules(DEFAULT_RULES)
    states: dict[str, bytes] = {}
    started = time.perf_counter()
    for ev in events:
        raw = states.get(ev.account_id)
        state = AccountState() if raw is None else decode_state(raw)
        step(state, ev, rules, None if views is None else views.get(ev.event_id))  # type: ignore[arg-type]
        states[ev.account_id] = encode_state(state)
    return (time.perf_counter() - started) / len(events) * 1e6


def bench_hire_pattern(clients: int) -> float:
    """A client's contract steps and rating, each checked against the counterparts it is linked to."""
    started = time.perf_counter()
    for i in range(clients):
        state = AccountState()
        c, f = f"c{i}", f"f{i}"
        for kind, h in (("invite", 0), ("hire", 2), ("end", 20)):
            ev = ContractEvent(f"{kind}{i}", T0 + h * 3_600_000, kind, f"k{i}", f"j{i}", c, f, c)
            friends_family.on_contract(state, ev, FRIENDS)
        friends_family.on_rating_given(state, Feedback(f"r{i}", T0 + 30 * 3_600_000, "rating", f"k{i}", c, f,
                                                       "client", 5), FRIENDS)
    return (time.perf_counter() - started) / (clients * 4) * 1e6


async def main(args: argparse.Namespace) -> None:
    events = stream(args.events, args.accounts, args.days)
    signups, logins = events[:args.accounts], events[args.accounts:]
    print(f"{len(events)} account events over {args.accounts} accounts ({len(signups)} signups in a day, then "
          f"{len(logins)} logins over {args.days:g} days), batches of {args.batch}")
    services = embedded.start(False, True)
    try:
        redis = Redis.from_url(f"redis://127.0.0.1:{services.redis.port}")  # type: ignore[union-attr]
        index = RedisLinkIndex(redis, 30 * 86_400)
        await index.observe(events[:10])
        await redis.flushdb()
        phases = []
        views: dict[str, object] = {}
        for part in (signups, logins):
            await redis.config_resetstat()
            us, per_batch, seen = await bench_index(index, part, args.batch)
            stats = await redis.info("commandstats")
            views |= seen
            phases.append((us, sum(v["usec"] for v in stats.values()) / len(part), per_batch, len(seen)))
        info = await redis.info("memory")
        keys = await redis.dbsize()
        await redis.aclose()
    finally:
        services.stop()
    for name, (us, server_us, per_batch, shown) in zip(("signups", "logins"), phases, strict=True):
        print(f"RedisLinkIndex.observe, {name}: {us:.1f} µs/event (Redis server {server_us:.1f}); per batch p50 "
              f"{statistics.median(per_batch):.1f} ms, p99 {sorted(per_batch)[int(len(per_batch) * 0.99)]:.1f} ms; "
              f"{shown} views")
    us = sum(p[0] * n for p, n in zip(phases, (len(signups), len(logins)), strict=True)) / len(events)
    print(f"RedisLinkIndex.observe, all: {us:.1f} µs/event; {keys} keys, {info['used_memory'] / keys:.0f} B/key, "
          f"{info['used_memory_human']} in all")
    mem_us, _, _ = await bench_index(MemoryLinkIndex(30 * 86_400), events, args.batch)
    print(f"MemoryLinkIndex.observe: {mem_us:.1f} µs/event")
    det_us, hits = bench_detectors(events, views)
    print(f"duplicate_account + friends_family.on_account + notices: {det_us:.2f} µs/event ({hits} signals)")
    bare, viewed = bench_scoring(events, None), bench_scoring(events, views)
    print(f"scoring an account event (state, step, state): {bare:.1f} µs without link views, "
          f"{viewed:.1f} µs with them")
    print(f"friends_family.on_contract/on_rating_given: {bench_hire_pattern(20_000):.2f} µs/event")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--days", type=float, default=30.0)
    parser.add_argument("--uvloop", action="store_true")
    arguments = parser.parse_args()
    if arguments.uvloop:
        import uvloop

        uvloop.install()
    asyncio.run(main(arguments))
