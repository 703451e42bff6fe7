"""Bad actors seen through accounts and reputation: one function per actor kind.

Duplicate rings and friends-and-family pairs share fingerprints (set up by
`prepare`, before the account events are written); poor clients and
low-quality freelancers collect bad ratings and disputes over several contracts.
"""

from __future__ import annotations

from streams.devtools.simulator import badtext, chat
from streams.devtools.simulator.config import DAY_MS, HOUR_MS, MINUTE_MS
from streams.devtools.simulator.honest import converse
from streams.devtools.simulator.population import COUNTRIES, Account, fingerprint
from streams.devtools.simulator.scenes import hire_fresh, partners, scale
from streams.devtools.simulator.world import World

SCOPE_CREEP = (
    (True, "Also add a login page and an admin area, same price."),
    (True, "I won't release the milestone until you add the extra features we talked about."),
    (True, "This is not what I asked for. Redo it, and no, I'm not paying more."),
    (False, "That wasn't part of the original scope, could we add a milestone for it?"),
)


def prepare(world: World) -> None:
    """Shared fingerprints of rings and pairs, the pairs' fresh client accounts, and rating rings'
    members joined in the first days."""
    seen: set[str] = set()
    for acc in world.accounts.values():
        if acc.kind == "rating_ring":  # joined early enough for one round of the loop to close in the period
            acc.join_ts = min(acc.join_ts, world.between(0.0, 0.1))
        if acc.kind not in ("duplicate_ring", "friends_family") or acc.id in seen:
            continue
        members = [acc, *(world.accounts[i] for i in acc.group)]
        seen.update(m.id for m in members)
        _share(world, members)
        if acc.kind == "friends_family":
            client = next(m for m in members if m.role == "client")
            client.join_ts = world.between(0.1, 0.45)
            for m in members:  # relatives: one surname, one home
                m.last, m.country, m.family_fp = client.last, client.country, client.family_fp


def _share(world: World, members: list[Account]) -> None:
    rng = world.rng
    # A device or a payment instrument always: an IP alone is what honest households share.
    strong = ("device_fp", "payment_fp")
    kinds = [k for k in strong if rng.random() < 0.6] or [rng.choice(strong)]
    if rng.random() < 0.5:
        kinds.append("ip_fp")
    for kind in kinds:
        for m in members[1:]:
            setattr(m, kind, getattr(members[0], kind))


def duplicate_ring(world: World, acc: Account) -> None:
    """One ring member (the first by id) logs in from several countries within a day."""
    if any(other < acc.id for other in acc.group) or world.rng.random() < 0.4:
        return
    rng = world.rng
    ts = max(acc.join_ts, world.between(0.1, 0.8))
    for country in rng.sample(COUNTRIES, rng.randint(4, 6)):
        ts += rng.randrange(HOUR_MS, 4 * HOUR_MS)
        world.account_event(ts, "login", acc, country=country, device_fp=fingerprint(rng, "dev-"),
                            ip_fp=fingerprint(rng, "ip-"))


def friends_family(world: World, acc: Account) -> None:
    """New client, one job, one invited freelancer hired within hours, 5 stars soon after."""
    if acc.role != "client":
        return
    rng = world.rng
    f = world.accounts[acc.group[0]]
    job = world.new_job(acc, acc.join_ts + rng.randrange(20 * MINUTE_MS, 3 * HOUR_MS))
    cid = world.new_id("k")
    ts = job.posted_ts + rng.randrange(5 * MINUTE_MS, HOUR_MS)
    world.contract(ts, "invite", cid, job, f.id, acc.id)
    ts += rng.randrange(5 * MINUTE_MS, HOUR_MS)
    world.proposal(ts, job, f.id, f"Hi {acc.first}, happy to help with this, thanks for the invite!",
                   float(job.budget))
    for step in ("offer", "hire"):
        ts += rng.randrange(10 * MINUTE_MS, 2 * HOUR_MS)
        world.contract(ts, step, cid, job, f.id, acc.id)
    turns = [(True, "Great, thanks!"), (False, f"Done, the {job.deliverable} is uploaded.")]
    ts = converse(world, ts, acc, f, turns, "active", False, max_gap=3 * HOUR_MS)
    world.contract(ts + rng.randrange(HOUR_MS, 8 * HOUR_MS), "end", cid, job, f.id, acc.id)
    ts += 9 * HOUR_MS
    world.rating(ts + rng.randrange(HOUR_MS), cid, acc, f, 5,
                 rng.choice(("Amazing freelancer!!! Best ever, 10/10", "Perfect work, super fast, A+++")))
    world.rating(ts + rng.randrange(HOUR_MS, 3 * HOUR_MS), cid, f, acc, 5, "Wonderful client!")


def poor_client(world: World, acc: Account) -> None:
    """Several contracts; freelancers rate the client 1-3 stars, some open disputes."""
    rng = world.rng
    count = scale(world, 3, 5, 3)
    freelancers = partners(world, "freelancer", count, world.at(0.5))
    disputed = rng.randint(1, max(1, min(3, len(freelancers) - 1)))
    for i, f in enumerate(freelancers):
        start = world.at(0.02 + 0.6 * i / max(1, len(freelancers)))
        extra = rng.sample(SCOPE_CREEP, 2)
        cid, end, _ = hire_fresh(world, acc, f, start, extra, dispute_by=f if i < disputed else None)
        stars = rng.choice((1, 2, 2, 3)) if i else rng.choice((1, 2))
        world.rating(end + rng.randrange(HOUR_MS, DAY_MS), cid, f, acc, stars,
                     badtext.low_comment(rng, about_client=True))
        if rng.random() < 0.4:
            world.rating(end + rng.randrange(HOUR_MS, DAY_MS), cid, acc, f, 4,
                         chat.rating_comment(rng, 4, False))
    if rng.random() < 0.5:
        _other_role_work(world, acc, rng.randint(2, 4))


def low_quality(world: World, acc: Account) -> None:
    """Several contracts; clients rate the freelancer 1-2 stars, some open disputes."""
    rng = world.rng
    clients = partners(world, "client", scale(world, 4, 6, 4), world.at(0.5))
    disputed = rng.randint(1, 2)
    for i, client in enumerate(clients):
        start = world.at(0.02 + 0.6 * i / max(1, len(clients)))
        extra = [(True, "This doesn't work at all, did you test it?"),
                 (True, "We're past the deadline and half of it is missing.")]
        cid, end, _ = hire_fresh(world, client, acc, start, extra[: rng.randint(1, 2)],
                                 dispute_by=client if i < disputed else None)
        stars = rng.choice((1, 2, 2, 3)) if i == len(clients) - 1 else rng.choice((1, 2))
        world.rating(end + rng.randrange(HOUR_MS, DAY_MS), cid, client, acc, stars,
                     badtext.low_comment(rng, about_client=False))
    if rng.random() < 0.5:
        _other_role_work(world, acc, rng.randint(3, 4))


def rating_ring(world: World, acc: Account) -> None:
    """The ring's first member (by id) runs it: each member hires the next in turn (the last hires
    the first), short jobs, 5 stars both ways ("your turn"); they share no fingerprint."""
    if any(other < acc.id for other in acc.group):
        return
    rng = world.rng
    members = [acc, *(world.accounts[i] for i in sorted(acc.group))]
    ts = max(m.join_ts for m in members) + rng.randrange(HOUR_MS, DAY_MS)
    for rounds in range(rng.randint(1, 2)):
        for i, client in enumerate(members):
            f = members[(i + 1) % len(members)]
            ts = _ring_job(world, client, f, ts + rng.randrange(2 * HOUR_MS, DAY_MS + rounds * DAY_MS))


def _ring_job(world: World, client: Account, f: Account, ts: int) -> int:
    """A short job from hire to ratings; returns when it ended."""
    rng = world.rng
    job = world.new_job(client, ts)
    cid = world.new_id("k")
    world.contract(ts + 20 * MINUTE_MS, "hire", cid, job, f.id, client.id)
    world.message(ts + 30 * MINUTE_MS, f.id, client.id, f"On it, the {job.deliverable} will be ready today.", "active")
    end = ts + rng.randrange(2 * HOUR_MS, 6 * HOUR_MS)
    world.contract(end, "end", cid, job, f.id, client.id)
    # now and then a member gives 4 stars on a leg: still a high rating traded in the loop
    given, back = (4, 5) if rng.random() < 0.2 else (5, 4) if rng.random() < 0.2 else (5, 5)
    world.rating(end + rng.randrange(10 * MINUTE_MS, HOUR_MS), cid, client, f, given,
                 chat.rating_comment(rng, given, False), role="client")
    world.rating(end + rng.randrange(HOUR_MS, 2 * HOUR_MS), cid, f, client, back, chat.rating_comment(rng, back, True))
    return end


def _other_role_work(world: World, acc: Account, count: int) -> None:
    """Contracts on which the account has its other role, rated 5 stars both ways: an account
    can hire and be hired, and its reputation in one role says nothing of the other."""
    rng = world.rng
    role = "client" if acc.role == "freelancer" else "freelancer"
    for other in partners(world, acc.role, count, world.at(0.5)):
        client, f = (acc, other) if role == "client" else (other, acc)
        cid, end, _ = hire_fresh(world, client, f, world.between(0.05, 0.6), [])
        world.rating(end + rng.randrange(HOUR_MS, DAY_MS), cid, client, f, 5, chat.rating_comment(rng, 5, False),
                     role="client")
        world.rating(end + rng.randrange(HOUR_MS, DAY_MS), cid, f, client, 5, chat.rating_comment(rng, 5, True),
                     role="freelancer")
