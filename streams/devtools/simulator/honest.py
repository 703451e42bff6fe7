"""Honest marketplace traffic: jobs, tailored proposals, interviews, contracts, ratings.

Jobs are represented by their contract steps (invite, offer or Direct Contract,
hire, end, rarely a dispute). Honest accounts receive at most one low rating
or dispute, and only when their average stays above 4 stars, so an honest
account never looks like a risky one.
"""

from __future__ import annotations

from streams.devtools.simulator import chat
from streams.devtools.simulator.chat import Job
from streams.devtools.simulator.config import DAY_MS, HOUR_MS, MINUTE_MS
from streams.devtools.simulator.innocent import ACTIVE, AFTER_END, DIRECT, PRE_CONTRACT, TOPICS, WHY_STARS
from streams.devtools.simulator.population import Account
from streams.devtools.simulator.world import World

# Bad actors who also take part in ordinary traffic (their bad acts come on top).
CLIENT_KINDS = ("honest", "off_platform_payer", "contact_sharer", "harasser", "burster")
FREELANCER_KINDS = (*CLIENT_KINDS, "spammer", "duplicate_ring", "friends_family",
                    "cover_letter_paster", "feedback_beggar", "rating_ring")
JOBS_PER_CLIENT_DAY = 1.0


def run(world: World) -> None:
    clients = world.of("client", *CLIENT_KINDS)
    freelancers = world.of("freelancer", *FREELANCER_KINDS)
    for job in post_jobs(world, clients):
        run_job(world, job, freelancers)


def post_jobs(world: World, clients: list[Account]) -> list[Job]:
    rng, jobs = world.rng, []
    topics = sorted(TOPICS)
    for client in clients:
        expected = JOBS_PER_CLIENT_DAY * world.config.days
        count = int(expected) + (rng.random() < expected % 1)
        for _ in range(count):
            lo = max(client.join_ts + HOUR_MS, world.start)
            ts = lo + rng.randrange(max(1, world.at(0.92) - lo))
            trigger = world.lines.pick("topic", topics) if rng.random() < 0.12 else ""
            jobs.append(world.new_job(client, ts, trigger))
    jobs.sort(key=lambda j: (j.posted_ts, j.id))
    return jobs


def applicants(world: World, job: Job, pool: list[Account], count: int) -> list[Account]:
    """Freelancers who had joined by then; the agency applies far more often."""
    ready = [f for f in pool if f.join_ts < job.posted_ts]
    weights = [6.0 if f.agency else 1.0 for f in ready]
    chosen: dict[str, Account] = {}
    for f in world.rng.choices(ready, weights, k=count * 2) if ready else []:
        chosen.setdefault(f.id, f)
    return list(chosen.values())[:count]


def run_job(world: World, job: Job, pool: list[Account]) -> None:
    rng = world.rng
    client = world.accounts[job.client_id]
    apps = applicants(world, job, pool, rng.randint(4, 12))
    if not apps:
        return
    sent = [propose(world, job, f, job.posted_ts + rng.randrange(10 * MINUTE_MS, 30 * HOUR_MS)) for f in apps]
    interviewed = apps[: rng.randint(1, min(3, len(apps)))]
    last = 0
    for f, ts in zip(interviewed, sent, strict=False):
        last = max(last, interview(world, job, client, f, ts))
    if rng.random() < 0.75:
        hired = interviewed[0]
        if rng.random() < 0.25:
            world.contract(max(job.posted_ts, sent[0] - rng.randrange(5, 90) * MINUTE_MS), "invite",
                           world.new_id("k"), job, hired.id, client.id)
        contract(world, job, client, hired, last + rng.randrange(HOUR_MS, DAY_MS))
    for f in interviewed[1:]:
        if rng.random() < 0.5:
            world.message(last + rng.randrange(HOUR_MS, 2 * DAY_MS), client.id, f.id,
                          rng.choice(("Thanks for your time, we went with another freelancer.",
                                      "Thank you, we decided to hire someone else this time.")))


def propose(world: World, job: Job, f: Account, ts: int) -> int:
    rng = world.rng
    client = world.accounts[job.client_id]
    letter = chat.cover_letter(rng, job, client.first, f.first, rng.randint(2, 12))
    bid = round(job.budget * rng.uniform(0.7, 1.3), 2)
    world.proposal(ts, job, f.id, letter, bid)
    return ts


def interview(world: World, job: Job, client: Account, f: Account, after: int) -> int:
    rng = world.rng
    ts = after + rng.randrange(20 * MINUTE_MS, 20 * HOUR_MS)
    turns = [(True, chat.client_opening(rng, job, f.first))]
    if job.trigger:
        turns.append((True, world.lines.pick(job.trigger, TOPICS[job.trigger][1])))
    turns.append((False, chat.freelancer_reply(rng, job)))
    if rng.random() < 0.12:
        turns.append((False, world.lines.pick("pre", PRE_CONTRACT)))
    if rng.random() < 0.6:
        turns += [(True, chat.client_followup(rng, job)), (False, chat.freelancer_reply(rng, job))]
    return converse(world, ts, client, f, turns, "pre_contract", False)


def converse(world: World, ts: int, client: Account, f: Account, turns: list[tuple[bool, str]],
             stage: str, direct: bool, max_gap: int = 3 * HOUR_MS) -> int:
    """Send the turns in order, a few minutes to hours apart; return the last time."""
    for from_client, text in turns:
        ts += world.rng.randrange(MINUTE_MS, max_gap)
        sender, to = (client, f) if from_client else (f, client)
        world.message(ts, sender.id, to.id, text, stage, direct)
    return ts


def active_turns(world: World, job: Job, client: Account, f: Account, direct: bool) -> list[tuple[bool, str]]:
    """Work-time chat, alternating often enough that nobody looks ignored."""
    rng = world.rng
    turns: list[tuple[bool, str]] = []
    run_of, side = 0, rng.random() < 0.5
    for _ in range(rng.randint(6, 16)):
        turns.append((side, chat.active_chat(rng, job, side)))
        run_of += 1
        if run_of >= 3 or rng.random() < 0.7:
            side, run_of = not side, 0
    if job.trigger:
        turns.insert(1, (True, world.lines.pick(job.trigger, TOPICS[job.trigger][1])))
    if rng.random() < 0.15:
        sender = f if rng.random() < 0.7 else client
        line = world.lines.pick("active", ACTIVE).format(
            email=f"{sender.first.lower()}.{sender.last.lower()}@gmail.com",
            phone=f"+44 7700 900{rng.randrange(1000):03d}")
        turns.insert(2, (sender is client, line))
    if direct:
        turns.insert(0, (True, world.lines.pick("direct", DIRECT)))
    return turns


def contract(world: World, job: Job, client: Account, f: Account, ts: int) -> None:
    rng = world.rng
    cid, direct = world.new_id("k"), rng.random() < 0.05
    if direct:
        world.contract(ts, "direct_contract", cid, job, f.id, client.id)
    else:
        world.contract(ts, "offer", cid, job, f.id, client.id)
        ts += rng.randrange(10 * MINUTE_MS, 12 * HOUR_MS)
    world.contract(ts, "hire", cid, job, f.id, client.id)
    span = rng.randrange(HOUR_MS, 4 * DAY_MS) // 14
    ts = converse(world, ts, client, f, active_turns(world, job, client, f, direct), "active", direct,
                  max(2 * MINUTE_MS, span))
    if rng.random() < 0.02 and dispute(world, job, cid, client, f, ts):
        return
    ts += rng.randrange(HOUR_MS, DAY_MS)
    world.contract(ts, "end", cid, job, f.id, client.id if rng.random() < 0.8 else f.id)
    ts = converse(world, ts, client, f, [(True, chat.closing(rng, True)), (False, chat.closing(rng, False))],
                  "ended", direct)
    rate_both(world, job, cid, client, f, ts, direct)


def dispute(world: World, job: Job, cid: str, client: Account, f: Account, ts: int) -> bool:
    opener, other = (client, f) if world.rng.random() < 0.5 else (f, client)
    if other.low_received or other.stars_n < 4:
        return False
    world.contract(ts + HOUR_MS, "dispute", cid, job, f.id, opener.id)
    other.low_received += 1
    return True


def honest_stars(world: World, to: Account) -> int:
    """Mostly 4-5; at most one lower rating, and only while the average stays above 4
    (above 3.8 for a 3-star rating of a freelancer: not a low rating for them)."""
    rng = world.rng
    stars = rng.choices((5, 4, 3, 2, 1), (66, 23, 8, 2, 1))[0]
    floor = 3.8 if stars == 3 and to.role == "freelancer" else 4.0
    if stars <= 3 and (to.low_received or to.stars_sum + stars <= floor * (to.stars_n + 1)):
        stars = rng.choice((4, 5, 5))
    return stars


def rate_both(world: World, job: Job, cid: str, client: Account, f: Account, ts: int, direct: bool) -> None:
    rng = world.rng
    if rng.random() < 0.12:
        world.message(ts + rng.randrange(HOUR_MS, 6 * HOUR_MS), f.id, client.id, AFTER_END, "ended", direct)
        if rng.random() < 0.5:
            world.request(ts + 7 * HOUR_MS, cid, f, client, "A review would be appreciated, thank you!")
    if rng.random() < 0.85:
        stars = honest_stars(world, f)
        rated = ts + rng.randrange(HOUR_MS, DAY_MS)
        world.rating(rated, cid, client, f, stars, chat.rating_comment(rng, stars, False), direct)
        if stars == 3:
            world.message(rated + rng.randrange(HOUR_MS, DAY_MS), f.id, client.id, WHY_STARS, "ended", direct)
    if rng.random() < 0.85:
        stars = honest_stars(world, client)
        world.rating(ts + rng.randrange(HOUR_MS, DAY_MS), cid, f, client, stars,
                     chat.rating_comment(rng, stars, True), direct)
