"""Accounts and roles: who is a client or a freelancer, who is honest, who is a bad actor.

Bad actors are drawn round-robin over every kind, so each kind is present as
soon as the bad share allows; rings and friends-and-family pairs take several
accounts. A few honest accounts share an IP (households, an agency office).
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field

from streams.devtools.simulator.chat import FIRST_NAMES, LAST_NAMES, STACKS
from streams.devtools.simulator.config import BAD_KINDS, HOUR_MS, SimConfig

CLIENT_SHARE = 0.35
COUNTRIES = ("US", "GB", "DE", "IN", "PH", "UA", "PK", "BR", "CA", "AU", "PL", "NG", "FR", "ES", "EG")
FREELANCER_ONLY = {"cover_letter_paster", "feedback_beggar", "spammer", "low_quality", "duplicate_ring",
                   "rating_ring"}
CLIENT_ONLY = {"scam_client", "poor_client"}


@dataclass(slots=True)
class Account:
    id: str
    role: str
    kind: str = "honest"
    first: str = ""
    last: str = ""
    country: str = "US"
    stack: str = ""
    device_fp: str = ""
    ip_fp: str = ""
    payment_fp: str = ""
    phone_fp: str = ""
    family_fp: str = ""  # surname and home location: shared by strangers of one surname in one city
    join_ts: int = 0
    agency: bool = False
    group: list[str] = field(default_factory=list)  # other accounts of a ring or pair
    low_received: int = 0  # ratings of 3 stars or less, and disputes, received
    stars_n: int = 0  # ratings received
    stars_sum: int = 0

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


def fingerprint(rng: random.Random, prefix: str) -> str:
    return f"{prefix}{rng.getrandbits(64):016x}"


CITIES_PER_COUNTRY = 3


def family_fingerprint(last: str, country: str, acc_id: str) -> str:
    """Surname, country and one of a few home cities (from the id: no draw from the generator,
    so the rest of a seed's world stays as it was)."""
    city = zlib.crc32(acc_id.encode()) % CITIES_PER_COUNTRY
    return f"fam-{zlib.crc32(f'{last.lower()}|{city}|{country}'.encode()):08x}"


def _new_account(rng: random.Random, acc_id: str, role: str, config: SimConfig) -> Account:
    early = rng.random() < 0.85
    span = 6 * HOUR_MS if early else int(config.days * 0.5 * 86_400_000)
    acc = Account(
        id=acc_id, role=role, first=rng.choice(FIRST_NAMES), last=rng.choice(LAST_NAMES),
        country=rng.choice(COUNTRIES), stack=rng.choice(STACKS),
        device_fp=fingerprint(rng, "dev-"), ip_fp=fingerprint(rng, "ip-"),
        payment_fp=fingerprint(rng, "pay-"), phone_fp=fingerprint(rng, "ph-"),
        join_ts=config.start_ts + rng.randrange(max(1, span)),
    )
    acc.family_fp = family_fingerprint(acc.last, acc.country, acc.id)
    return acc


def _kind_plan(rng: random.Random, n_bad: int, clients: int, freelancers: int) -> list[tuple[str, list[str]]]:
    """(kind, roles of its accounts) per bad group, round-robin over the kinds."""
    plan: list[tuple[str, list[str]]] = []
    left, room = n_bad, {"client": clients, "freelancer": freelancers}
    either = 0
    while left > 0:
        placed = False
        for kind in BAD_KINDS:
            roles = _roles_of(kind, rng, either)
            need = {r: roles.count(r) for r in set(roles)}
            if len(roles) > left or any(room[r] < n for r, n in need.items()):
                continue
            if kind not in FREELANCER_ONLY | CLIENT_ONLY | {"friends_family"}:
                either += 1
            plan.append((kind, roles))
            left -= len(roles)
            for r, n in need.items():
                room[r] -= n
            placed = True
            if left == 0:
                break
        if not placed:
            break
    return plan


def _roles_of(kind: str, rng: random.Random, either: int) -> list[str]:
    if kind in ("duplicate_ring", "rating_ring"):
        return ["freelancer"] * rng.randint(2, 4)
    if kind == "friends_family":
        return ["client", "freelancer"]
    if kind in CLIENT_ONLY:
        return ["client"]
    if kind in FREELANCER_ONLY:
        return ["freelancer"]
    return ["freelancer" if either % 3 != 2 else "client"]


def build(rng: random.Random, config: SimConfig) -> list[Account]:
    """Every account, clients first then freelancers, ids in order."""
    total = max(4, config.accounts)
    clients = max(2, round(total * CLIENT_SHARE))
    freelancers = total - clients
    accounts = [_new_account(rng, f"c{i:05d}", "client", config) for i in range(clients)]
    accounts += [_new_account(rng, f"f{i:05d}", "freelancer", config) for i in range(freelancers)]
    pools = {
        "client": rng.sample([a for a in accounts if a.role == "client"], clients - 1),
        "freelancer": rng.sample([a for a in accounts if a.role == "freelancer"], freelancers - 1),
    }
    n_bad = round(config.bad_share * total)
    for kind, roles in _kind_plan(rng, n_bad, clients - 1, freelancers - 1):
        members = [pools[r].pop() for r in roles]
        for acc in members:
            acc.kind = kind
            acc.group = [m.id for m in members if m is not acc]
    _shared_ips(rng, [a for a in accounts if a.kind == "honest"])
    return accounts


def _shared_ips(rng: random.Random, honest: list[Account]) -> None:
    """Households and one agency office: honest accounts sharing an IP. Relatives of a household
    also share a surname and home (its fingerprint); they are freelancers, none hires another."""
    pool = list(honest)
    rng.shuffle(pool)
    agency = [a for a in pool if a.role == "freelancer"][:3]
    for acc in agency:
        acc.ip_fp = agency[0].ip_fp
        acc.agency = True
    rest = [a for a in pool if not a.agency and a.role == "freelancer"]
    households = max(1, len(honest) // 40)
    for i in range(households):
        members = rest[i * 3 : i * 3 + rng.randint(2, 3)]
        for acc in members:
            acc.ip_fp, acc.last, acc.country = members[0].ip_fp, members[0].last, members[0].country
            acc.family_fp = members[0].family_fp
