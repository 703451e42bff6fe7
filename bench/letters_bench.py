"""Per-proposal cost of the cross-account cover-letter index, against the cost of scoring one.

    python bench/letters_bench.py [--accounts N] [--days D] [--batch B]

Takes the simulator's proposals (honest letters from templates, pasters, spammers), starts
its own Redis (streams.commands.embedded), and feeds RedisLetterIndex.observe in batches; prints
µs/proposal (with Redis server time), keys and memory, the in-memory index, and the
cover-letter detectors alone (sketch included) for comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from redis.asyncio import Redis  # noqa: E402

from scoring import sketch  # noqa: E402
from scoring.detectors import cover_letters  # noqa: E402
from scoring.records import Proposal  # noqa: E402
from scoring.state import AccountState  # noqa: E402
from streams.adapters.letter_index import MemoryLetterIndex, RedisLetterIndex  # noqa: E402
from streams.batch.rules_file import load_rules  # noqa: E402
from streams.batch.schemas import INPUT_SCHEMAS  # noqa: E402
from streams.commands import embedded  # noqa: E402
from streams.devtools.simulator import SimConfig, generate  # noqa: E402
from streams.worker.settings import DEFAULT_RULES  # noqa: E402


def proposals(accounts: int, days: float) -> list[Proposal]:
    sim = generate(SimConfig(accounts=accounts, days=days, seed=3, malformed_share=0.0))
    out = []
    for ev in sim.events:
        if ev.kind == "proposals":
            record = INPUT_SCHEMAS["proposals"].from_dict(ev.value, 20_000)
            assert isinstance(record, Proposal)
            out.append(record)
    return out


async def bench_index(index: RedisLetterIndex | MemoryLetterIndex, letters: list[Proposal],
                      batch: int) -> tuple[float, list[float]]:
    per_batch = []
    started = time.perf_counter()
    for start in range(0, len(letters), batch):
        t = time.perf_counter()
        await index.observe(letters[start:start + batch])
        per_batch.append((time.perf_counter() - t) * 1000)
    return (time.perf_counter() - started) / len(letters) * 1e6, per_batch


def bench_detectors(letters: list[Proposal]) -> float:
    """The per-account detectors of a proposal: sketch, own recent letters, proposal rate."""
    rules = load_rules(DEFAULT_RULES)
    repeated = rules.detector("repeated_cover_letter")
    states: dict[str, AccountState] = {}
    sketch.make.cache_clear()
    started = time.perf_counter()
    for p in letters:
        cover_letters.detect(states.setdefault(p.freelancer_id, AccountState()), p, repeated)
    return (time.perf_counter() - started) / len(letters) * 1e6


async def main(args: argparse.Namespace) -> None:
    letters = proposals(args.accounts, args.days)
    print(f"{len(letters)} proposals of {args.accounts} simulated accounts over {args.days:g} days, "
          f"batches of {args.batch}")
    services = embedded.start(False, True)
    try:
        redis = Redis.from_url(f"redis://127.0.0.1:{services.redis.port}")  # type: ignore[union-attr]
        index = RedisLetterIndex(redis, 7 * 86_400, args.max_per_band)
        await redis.config_resetstat()
        sketch.make.cache_clear()
        us, per_batch = await bench_index(index, letters, args.batch)
        stats = await redis.info("commandstats")
        server_us = sum(v["usec"] for v in stats.values()) / len(letters)
        info = await redis.info("memory")
        keys = await redis.dbsize()
        await redis.aclose()
    finally:
        services.stop()
    print(f"RedisLetterIndex.observe: {us:.1f} µs/proposal (sketch included); per batch p50 "
          f"{statistics.median(per_batch):.1f} ms; {keys} keys, {info['used_memory_human']} in all, "
          f"{info['used_memory'] / len(letters):.0f} B/proposal")
    print(f"  of which Redis server time {server_us:.1f} µs/proposal (HGETALL, HSET, EXPIRE)")
    sketch.make.cache_clear()
    mem_us, _ = await bench_index(MemoryLetterIndex(max_per_band=args.max_per_band), letters, args.batch)
    print(f"MemoryLetterIndex.observe: {mem_us:.1f} µs/proposal (sketch included)")
    print(f"repeated_cover_letter detector alone (sketch included): {bench_detectors(letters):.1f} µs/proposal")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--days", type=float, default=7.0)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--max-per-band", type=int, default=20)
    asyncio.run(main(parser.parse_args()))
