"""Account events: a signup when the account joins, then logins from its usual device,
IP and country (an IP shared only inside households and the agency office)."""

from __future__ import annotations

from streams.devtools.simulator.config import DAY_MS, HOUR_MS
from streams.devtools.simulator.population import Account
from streams.devtools.simulator.world import World


def run(world: World) -> None:
    for acc in world.accounts.values():
        signup(world, acc)
        daily_logins(world, acc)


def profile_text(acc: Account) -> str:
    if acc.role == "client":
        return f"{acc.first} from a small team, hiring for product and {acc.stack} work."
    return f"{acc.stack} specialist. I build reliable products and communicate clearly. - {acc.first}"


def signup(world: World, acc: Account) -> None:
    world.account_event(
        acc.join_ts, "signup", acc, country=acc.country, device_fp=acc.device_fp, ip_fp=acc.ip_fp,
        payment_fp=acc.payment_fp, phone_fp=acc.phone_fp, family_fp=acc.family_fp, profile_text=profile_text(acc),
    )


def daily_logins(world: World, acc: Account) -> None:
    rng = world.rng
    day = acc.join_ts + rng.randrange(HOUR_MS, 6 * HOUR_MS)
    while day < world.end:
        if rng.random() < 0.8:
            world.account_event(day, "login", acc, country=acc.country, device_fp=acc.device_fp,
                                ip_fp=acc.ip_fp)
        if rng.random() < 0.03:
            world.account_event(day + HOUR_MS, "profile_update", acc,
                                profile_text=profile_text(acc) + " Available for new projects.")
        day += DAY_MS + rng.randrange(-4 * HOUR_MS, 4 * HOUR_MS)
