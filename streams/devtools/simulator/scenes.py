"""Scenes the bad-actor behaviours share: apply to a job, hire and work, pick partners."""

from __future__ import annotations

from streams.devtools.simulator import chat
from streams.devtools.simulator.chat import Job
from streams.devtools.simulator.config import DAY_MS, HOUR_MS, MINUTE_MS
from streams.devtools.simulator.honest import converse, propose
from streams.devtools.simulator.population import Account
from streams.devtools.simulator.world import World

Turns = list[tuple[bool, str]]  # (sent by the client, text)


def honest(world: World, role: str) -> list[Account]:
    return world.of(role, "honest")


def partners(world: World, role: str, count: int, before: int) -> list[Account]:
    """Distinct honest accounts of a role that had joined by `before`."""
    ready = [a for a in honest(world, role) if a.join_ts < before]
    return world.rng.sample(ready, min(count, len(ready)))


def scale(world: World, lo: int, hi: int, floor: int) -> int:
    """A count in lo..hi for a week, scaled to the period, at least `floor`."""
    return max(floor, round(world.rng.randint(lo, hi) * world.config.days / 7))


def jobs_of_honest_clients(world: World, count: int, before_fraction: float = 0.9) -> list[Job]:
    latest = world.at(before_fraction)
    pool = [j for j in world.jobs
            if j.posted_ts < latest and world.accounts[j.client_id].kind == "honest"]
    return sorted(world.rng.sample(pool, min(count, len(pool))), key=lambda j: j.posted_ts)


def apply_and_talk(world: World, job: Job, f: Account, bad: Turns, letter: str = "") -> int:
    """A proposal, the client's first message, then the scripted turns; the last time."""
    rng = world.rng
    client = world.accounts[job.client_id]
    ts = job.posted_ts + rng.randrange(10 * MINUTE_MS, 8 * HOUR_MS)
    if letter:
        world.proposal(ts, job, f.id, letter, float(job.budget))
    else:
        propose(world, job, f, ts)
    turns = [(True, chat.client_opening(rng, job, f.first)), *bad]
    return converse(world, ts, client, f, turns, "pre_contract", False, max_gap=40 * MINUTE_MS)


def work(world: World, job: Job, client: Account, f: Account, ts: int, extra: Turns,
         dispute_by: Account | None = None) -> tuple[str, int]:
    """Offer, hire, some work chat with `extra` mixed in, then a dispute or the end."""
    rng = world.rng
    cid = world.new_id("k")
    world.contract(ts, "offer", cid, job, f.id, client.id)
    ts += rng.randrange(20 * MINUTE_MS, 6 * HOUR_MS)
    world.contract(ts, "hire", cid, job, f.id, client.id)
    turns: Turns = [(i % 2 == 0, chat.active_chat(rng, job, i % 2 == 0)) for i in range(rng.randint(2, 5))]
    for item in extra:
        turns.insert(rng.randrange(len(turns) + 1), item)
    ts = converse(world, ts, client, f, turns, "active", False, max_gap=5 * HOUR_MS)
    if dispute_by is not None:
        ts += rng.randrange(HOUR_MS, 10 * HOUR_MS)
        world.contract(ts, "dispute", cid, job, f.id, dispute_by.id)
    ts += rng.randrange(HOUR_MS, DAY_MS)
    world.contract(ts, "end", cid, job, f.id, client.id)
    return cid, ts


def hire_fresh(world: World, client: Account, f: Account, ts: int, extra: Turns,
               dispute_by: Account | None = None) -> tuple[str, int, Job]:
    """A new job by `client`, a proposal from `f`, a short interview, then `work`."""
    job = world.new_job(client, ts)
    apply_ts = apply_and_talk(world, job, f, [(False, chat.freelancer_reply(world.rng, job))])
    cid, end = work(world, job, client, f, apply_ts + world.rng.randrange(HOUR_MS, 8 * HOUR_MS),
                    extra, dispute_by)
    return cid, end, job
