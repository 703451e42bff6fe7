"""Bad actors who act through text and messaging: one function per actor kind.

Each runs on top of the account's ordinary traffic (see `honest.FREELANCER_KINDS`)
and aims at honest partners, so the violations are the account's own.
"""

from __future__ import annotations

from streams.devtools.simulator import badtext, chat
from streams.devtools.simulator.config import DAY_MS, HOUR_MS, MINUTE_MS
from streams.devtools.simulator.honest import converse
from streams.devtools.simulator.population import Account
from streams.devtools.simulator.scenes import (
    Turns,
    apply_and_talk,
    hire_fresh,
    jobs_of_honest_clients,
    partners,
    scale,
)
from streams.devtools.simulator.world import World

REFUSALS = (
    "Sorry, I only pay through the platform.",
    "No thanks, I'd rather keep everything on the platform.",
    "I only accept payment through the platform, sorry.",
    "Let's keep the conversation here until there is a contract.",
)


BURST_LINES = ("Hi!", "I saw the job.", "I can do this.", "Price is flexible.", "Samples on my profile.",
               "Quick question about the scope.", "Thanks.")


def _pre_contract_rooms(world: World, acc: Account, count: int, lines: list[Turns]) -> None:
    """The account says `lines[i]` to a new partner before any contract, freelancer or client."""
    rng = world.rng
    if acc.role == "freelancer":
        for job, bad in zip(jobs_of_honest_clients(world, count), lines, strict=False):
            ts = apply_and_talk(world, job, acc, bad)
            if rng.random() < 0.5:
                world.message(ts + rng.randrange(HOUR_MS, 5 * HOUR_MS), job.client_id, acc.id,
                              rng.choice(REFUSALS))
        return
    posted = max(acc.join_ts, world.start) + rng.randrange(HOUR_MS, world.at(0.4) - world.start)
    job = world.new_job(acc, posted)
    for f, bad in zip(partners(world, "freelancer", count, job.posted_ts), lines, strict=False):
        flipped = [(not side, text) for side, text in bad]  # the client is the speaker here
        ts = apply_and_talk(world, job, f, [(False, chat.freelancer_reply(rng, job)), *flipped])
        if rng.random() < 0.5:
            world.message(ts + rng.randrange(HOUR_MS, 5 * HOUR_MS), f.id, acc.id, rng.choice(REFUSALS))


def off_platform_payer(world: World, acc: Account) -> None:
    count = scale(world, 2, 4, 2)
    lines = [[(False, badtext.payment_ask(world.rng, acc.first))] for _ in range(count)]
    _pre_contract_rooms(world, acc, count, lines)


def contact_sharer(world: World, acc: Account) -> None:
    count = scale(world, 2, 4, 2)
    lines = [[(False, t) for t in badtext.contact_share(world.rng, acc.first, acc.last)] for _ in range(count)]
    _pre_contract_rooms(world, acc, count, lines)


def cover_letter_paster(world: World, acc: Account) -> None:
    rng = world.rng
    for job in jobs_of_honest_clients(world, scale(world, 20, 60, 6)):
        client = world.accounts[job.client_id]
        name = rng.choice((client.first, client.first, "Hiring Manager", "Sir/Madam", f"Mr. {client.last}"))
        ts = job.posted_ts + rng.randrange(5 * MINUTE_MS, 20 * HOUR_MS)
        world.proposal(ts, job, acc.id, badtext.PASTED_LETTER.format(name=name),
                       float(rng.choice((15, 20, 25, 30))))


def feedback_beggar(world: World, acc: Account) -> None:
    rng = world.rng
    for i, client in enumerate(partners(world, "client", rng.randint(2, 3), world.at(0.3))):
        pressure: Turns = [(False, badtext.rating_pressure(rng)) for _ in range(rng.randint(2, 3))]
        cid, end, _ = hire_fresh(world, client, acc, world.between(0.05, 0.4), pressure)
        asks = rng.randint(3, 5) if i == 0 else rng.randint(1, 2)
        ts = end
        for _ in range(asks):
            ts += rng.randrange(2 * HOUR_MS, 18 * HOUR_MS)
            text = badtext.rating_pressure(rng)
            world.request(ts, cid, acc, client, text)
            world.message(ts + MINUTE_MS, acc.id, client.id, text, "ended")
        stars = rng.choice((4, 5))
        world.rating(ts + rng.randrange(HOUR_MS, DAY_MS), cid, client, acc, stars,
                     chat.rating_comment(rng, stars, False))


def harasser(world: World, acc: Account) -> None:
    rng = world.rng
    if acc.role == "freelancer":
        jobs = jobs_of_honest_clients(world, 1, 0.3)
        if not jobs:
            return
        job = jobs[0]
        target = world.accounts[job.client_id]
        ts = apply_and_talk(world, job, acc, [(False, chat.freelancer_reply(rng, job)),
                                              (True, "Thanks, but we went with another freelancer.")])
        nag = [(False, badtext.nagging(rng, hire=True)) for _ in range(rng.randint(7, 11))]
    else:
        # a freelancer it has no other work with: an honest contract's chat would answer the nagging
        talked = {e.value.get("recipient_id") for e in world.events
                  if e.kind == "messages" and e.value is not None and e.value.get("sender_id") == acc.id}
        targets = [f for f in partners(world, "freelancer", 8, world.at(0.2)) if f.id not in talked]
        if not targets:
            return
        target = targets[0]
        _, ts, job = hire_fresh(world, acc, target, world.between(0.02, 0.1), [], dispute_by=acc)
        nag = [(True, badtext.nagging(rng, hire=False)) for _ in range(rng.randint(7, 11))]
    client, f = (target, acc) if acc.role == "freelancer" else (acc, target)
    abuse = [(acc.role == "client", badtext.abuse(rng)) for _ in range(rng.randint(1, 3))]
    stage = "pre_contract" if acc.role == "freelancer" else "ended"
    ts = converse(world, ts, client, f, abuse, stage, False, max_gap=30 * MINUTE_MS)
    span = int(min(4.5 * DAY_MS, (world.end - ts) * 0.9))
    for i, (_, text) in enumerate(nag):
        world.message(ts + span * (i + 1) // len(nag) - rng.randrange(HOUR_MS), acc.id, target.id, text, stage)
        if rng.random() < 0.3:
            world.message(ts + span * (i + 1) // len(nag), acc.id, target.id, badtext.abuse(rng), stage)


def spammer(world: World, acc: Account) -> None:
    rng = world.rng
    clients = world.of("client", "honest", "off_platform_payer", "contact_sharer", "harasser")
    for _ in range(max(1, round(world.config.days / 2.3))):
        start = world.between(0.05, 0.9)
        targets = rng.sample(clients, min(len(clients), rng.randint(20, 40)))
        offsets = sorted(rng.randrange(55 * MINUTE_MS) for _ in targets)
        for target, offset in zip(targets, offsets, strict=True):
            world.message(start + offset, acc.id, target.id, badtext.pitch(rng, acc.first))


def scam_client(world: World, acc: Account) -> None:
    rng = world.rng
    handle = f"@hr_{acc.last.lower()}_recruit"
    for _ in range(rng.randint(1, 2)):
        job = world.new_job(acc, world.between(0.05, 0.6))
        for f in partners(world, "freelancer", rng.randint(3, 6), job.posted_ts):
            bad = [(True, badtext.scam_line(rng, handle)) for _ in range(rng.randint(2, 3))]
            ts = apply_and_talk(world, job, f, bad)
            if rng.random() < 0.4:
                world.message(ts + rng.randrange(HOUR_MS, 4 * HOUR_MS), f.id, acc.id,
                              "This looks like a scam, I won't send any bank details. Reporting it.")


def burster(world: World, acc: Account) -> None:
    """A few bursts of 16-20 messages within 40-55 seconds, each straddling a minute boundary, to
    accounts it already talks to (no fan-out: the burst alone is the sign)."""
    rng = world.rng
    others = [a for a in world.accounts.values() if a.role != acc.role and a.kind == "honest"]
    for _ in range(rng.randint(1, 3)):
        to = rng.choice(others)
        start = max(acc.join_ts, world.between(0.05, 0.9)) // MINUTE_MS * MINUTE_MS + rng.randrange(20_000, 40_000)
        n, span = rng.randint(16, 20), rng.randrange(40_000, 55_000)
        for i in range(n):
            world.message(start + i * span // n, acc.id, to.id, rng.choice(BURST_LINES))
