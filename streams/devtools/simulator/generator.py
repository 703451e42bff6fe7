"""`generate`: the population, honest traffic, every bad actor, malformed events, ground truth."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from typing import Any

from scoring.rules import POLICIES
from streams.devtools.simulator import behaviours, honest, logins, lookalikes, malformed, population, schemes
from streams.devtools.simulator.config import BAD_KINDS, SimConfig, Simulation
from streams.devtools.simulator.population import Account
from streams.devtools.simulator.world import World

BEHAVIOURS: dict[str, Callable[[World, Account], None]] = {
    "off_platform_payer": behaviours.off_platform_payer,
    "contact_sharer": behaviours.contact_sharer,
    "cover_letter_paster": behaviours.cover_letter_paster,
    "feedback_beggar": behaviours.feedback_beggar,
    "harasser": behaviours.harasser,
    "spammer": behaviours.spammer,
    "scam_client": behaviours.scam_client,
    "duplicate_ring": schemes.duplicate_ring,
    "friends_family": schemes.friends_family,
    "poor_client": schemes.poor_client,
    "low_quality": schemes.low_quality,
    "rating_ring": schemes.rating_ring,
    "burster": behaviours.burster,
}


def generate(config: SimConfig) -> Simulation:
    """The same config always gives the same events and truth."""
    rng = random.Random(config.seed)
    world = World(config, rng, population.build(rng, config))
    schemes.prepare(world)
    honest.run(world)
    lookalikes.run(world)
    for acc in list(world.accounts.values()):
        if acc.kind != "honest":
            BEHAVIOURS[acc.kind](world, acc)
    logins.run(world)
    valid = world.events
    bad = malformed.make(rng, valid, round(len(valid) * config.malformed_share))
    events = sorted(valid + bad, key=lambda e: e.ts)
    return Simulation(events, truth(config, list(world.accounts.values()), len(bad), len(events)))


def truth(config: SimConfig, accounts: list[Account], malformed_count: int, total: int) -> dict[str, Any]:
    by_policy: dict[str, list[str]] = {p: [] for p in POLICIES}
    rows = {}
    for acc in sorted(accounts, key=lambda a: a.id):
        policies = list(BAD_KINDS.get(acc.kind, ()))
        rows[acc.id] = {"role": acc.role, "actor_kind": acc.kind, "policies": policies}
        for p in policies:
            by_policy[p].append(acc.id)
    return {
        "seed": config.seed, "config": dataclasses.asdict(config), "accounts": rows,
        "policies": by_policy, "malformed": malformed_count, "events": total,
    }
