"""Honest accounts that look like bad ones at a glance: DOMAIN.md's traps, in the traffic.

Each scene is what an honest marketplace does and what a careless detector would flag: a new
client hiring and rating fast (seeds/003), a busy client writing to dozens of its applicants, a
freelancer's work updates to a quiet client, a traveller, a client rated 5, 5 and 1. Households
(a home IP and a surname-plus-home) are set up with the population. They stay labelled honest.
"""

from __future__ import annotations

from streams.devtools.simulator.config import DAY_MS, HOUR_MS, MINUTE_MS
from streams.devtools.simulator.honest import propose
from streams.devtools.simulator.population import COUNTRIES, Account
from streams.devtools.simulator.world import World

PER_THOUSAND = 4  # scenes of each kind per thousand accounts (at least one)
UPDATES = ("Pushed today's changes, the tests pass.", "Progress update: the import screen is done.",
           "Small update: fixed the two bugs from yesterday.", "Today's build is on the staging link.")


def run(world: World) -> None:
    count = max(1, round(len(world.accounts) * PER_THOUSAND / 1000))
    for scene in (fast_first_hire, busy_client, active_updates, traveller, five_five_one):
        for _ in range(count):
            scene(world)


def _pick(world: World, role: str, n: int = 1) -> list[Account]:
    honest = [a for a in world.accounts.values() if a.role == role and a.kind == "honest" and not a.agency]
    return world.rng.sample(honest, min(n, len(honest)))


def fast_first_hire(world: World) -> None:
    """Invite, hire within the hour, 5 stars the same day; the two share nothing."""
    rng = world.rng
    [client], [f] = _pick(world, "client"), _pick(world, "freelancer")
    job = world.new_job(client, max(client.join_ts, f.join_ts) + rng.randrange(HOUR_MS, 3 * DAY_MS))
    cid, ts = world.new_id("k"), job.posted_ts + rng.randrange(5 * MINUTE_MS, HOUR_MS)
    world.contract(ts, "invite", cid, job, f.id, client.id)
    world.proposal(ts + 10 * MINUTE_MS, job, f.id, f"Thanks for the invite, {client.first}. Happy to help.",
                   float(job.budget))
    world.contract(ts + 30 * MINUTE_MS, "hire", cid, job, f.id, client.id)
    world.message(ts + 40 * MINUTE_MS, f.id, client.id, "Starting now.", "active")
    world.contract(ts + 4 * HOUR_MS, "end", cid, job, f.id, client.id)
    world.rating(ts + 5 * HOUR_MS, cid, client, f, 5, "Quick and careful work, thank you.")
    world.rating(ts + 6 * HOUR_MS, cid, f, client, 5, "Clear instructions, paid promptly.")


def busy_client(world: World) -> None:
    """Thirty freelancers apply overnight, and go on applying to other jobs; next morning the client
    writes to each, within the hour."""
    rng = world.rng
    [client] = _pick(world, "client")
    job = world.new_job(client, world.between(0.1, 0.8))
    applied = [f for f in _pick(world, "freelancer", 40) if f.join_ts < job.posted_ts][:30]
    for i, f in enumerate(applied):
        world.proposal(job.posted_ts + (i + 1) * 10 * MINUTE_MS, job, f.id,
                       f"Hello {client.first}, I have done similar {job.stack} work; my plan would begin "
                       f"with a short review of what you have, item {rng.randrange(1000)}.", float(job.budget))
    morning = job.posted_ts + 14 * HOUR_MS
    others = [j for j in world.jobs
              if j.client_id != client.id and job.posted_ts - DAY_MS < j.posted_ts < morning]
    for f in applied:  # busy freelancers go on applying elsewhere overnight
        for other in rng.sample(others, min(len(others), rng.randint(10, 20))):
            propose(world, other, f, max(other.posted_ts, job.posted_ts) + rng.randrange(10 * MINUTE_MS, 12 * HOUR_MS))
    for i, f in enumerate(applied):
        world.message(morning + i * 90_000, client.id, f.id, "Thanks for applying. Do you have time for a call?")


def active_updates(world: World) -> None:
    """Twice-daily work updates on an active contract; the client reads, and rarely writes."""
    rng = world.rng
    [client], [f] = _pick(world, "client"), _pick(world, "freelancer")
    job = world.new_job(client, max(client.join_ts, f.join_ts) + rng.randrange(HOUR_MS, DAY_MS))
    cid, ts = world.new_id("k"), job.posted_ts + 2 * HOUR_MS
    world.contract(ts, "hire", cid, job, f.id, client.id)
    for day in range(6):
        for hour in (10, 18):
            world.message(ts + day * DAY_MS + hour * HOUR_MS, f.id, client.id, rng.choice(UPDATES), "active")


def traveller(world: World) -> None:
    """A flight: logins from home and from abroad within a day, on the same laptop."""
    rng = world.rng
    [acc] = _pick(world, rng.choice(("client", "freelancer")))
    ts = max(acc.join_ts + DAY_MS, world.between(0.1, 0.8))
    abroad = rng.choice([c for c in COUNTRIES if c != acc.country])
    world.account_event(ts, "login", acc, country=acc.country, device_fp=acc.device_fp, ip_fp=acc.ip_fp)
    world.account_event(ts + rng.randrange(6 * HOUR_MS, 14 * HOUR_MS), "login", acc, country=abroad,
                        device_fp=acc.device_fp, ip_fp=f"ip-hotel-{rng.getrandbits(32):08x}")


def five_five_one(world: World) -> None:
    """Three freelancers rate a client 5, 5 and 1: one unhappy freelancer."""
    rng = world.rng
    [client] = _pick(world, "client")
    for i, (f, stars) in enumerate(zip(_pick(world, "freelancer", 3), (5, 5, 1), strict=False)):
        job = world.new_job(client, world.at(0.1 + 0.2 * i))
        cid, ts = world.new_id("k"), job.posted_ts + rng.randrange(HOUR_MS, 6 * HOUR_MS)
        world.contract(ts, "hire", cid, job, f.id, client.id)
        world.contract(ts + DAY_MS, "end", cid, job, f.id, client.id)
        world.rating(ts + DAY_MS + HOUR_MS, cid, client, f, 5, "Good work.")
        comment = "Unclear brief and slow answers." if stars == 1 else "Great client."
        world.rating(ts + DAY_MS + 2 * HOUR_MS, cid, f, client, stars, comment)
