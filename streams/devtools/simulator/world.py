"""The simulation's state and the builders of schema-valid event values.

All randomness comes from one `random.Random`; event ids are sequential, so a
seed and a config give the same events byte for byte.
"""

from __future__ import annotations

import random
from typing import Any

from streams.batch.recorded import RecordedEvent
from streams.devtools.simulator.chat import DELIVERABLES, PRODUCTS, Job, job_title
from streams.devtools.simulator.config import SimConfig
from streams.devtools.simulator.innocent import TOPICS, RoundRobin
from streams.devtools.simulator.population import Account


class World:
    def __init__(self, config: SimConfig, rng: random.Random, accounts: list[Account]) -> None:
        self.config = config
        self.rng = rng
        self.accounts = {a.id: a for a in accounts}
        self.events: list[RecordedEvent] = []
        self.jobs: list[Job] = []
        self.lines = RoundRobin()
        self._seq = 0
        self._ids: dict[str, int] = {}

    # -- time -------------------------------------------------------------

    @property
    def start(self) -> int:
        return self.config.start_ts

    @property
    def end(self) -> int:
        return self.config.end_ts

    def at(self, fraction: float) -> int:
        """The time at this fraction of the period."""
        return self.start + int((self.end - self.start) * fraction)

    def between(self, lo: float, hi: float) -> int:
        return self.at(self.rng.uniform(lo, hi))

    # -- ids --------------------------------------------------------------

    def new_id(self, prefix: str) -> str:
        n = self._ids.get(prefix, 0)
        self._ids[prefix] = n + 1
        return f"{prefix}{n:06d}"

    def of(self, role: str, *kinds: str) -> list[Account]:
        return [a for a in self.accounts.values() if a.role == role and a.kind in kinds]

    def new_job(self, client: Account, ts: int, trigger: str = "") -> Job:
        rng = self.rng
        stack, product, deliverable = client.stack, rng.choice(PRODUCTS), rng.choice(DELIVERABLES)
        title = TOPICS[trigger][0] if trigger else job_title(rng, stack, product, deliverable)
        job = Job(self.new_id("j"), client.id, title, stack, product, deliverable, ts,
                  rng.choice((50, 100, 150, 250, 400, 600, 800, 1200, 2000)), trigger)
        self.jobs.append(job)
        return job

    # -- events -----------------------------------------------------------

    def emit(self, kind: str, key: str, value: dict[str, Any]) -> bool:
        """Keep the event if it falls inside the period."""
        ts = value["ts"]
        if not self.start <= ts < self.end:
            return False
        self.events.append(RecordedEvent(kind, key, ts, value))
        return True

    def _base(self, prefix: str, ts: int) -> dict[str, Any]:
        self._seq += 1
        return {"event_id": f"{prefix}-{self._seq:08d}", "ts": ts}

    def message(self, ts: int, sender: str, recipient: str, text: str,
                stage: str = "pre_contract", direct: bool = False) -> bool:
        client, freelancer = (sender, recipient) if sender < recipient else (recipient, sender)
        value = self._base("msg", ts) | {
            "room_id": f"r-{client}-{freelancer}", "sender_id": sender, "recipient_id": recipient,
            "text": text, "contract_stage": stage,
        }
        if direct:
            value["direct_contract"] = True
        return self.emit("messages", sender, value)

    def proposal(self, ts: int, job: Job, freelancer: str, letter: str, bid: float) -> bool:
        value = self._base("prp", ts) | {
            "job_id": job.id, "freelancer_id": freelancer, "client_id": job.client_id,
            "cover_letter": letter, "bid": bid,
        }
        return self.emit("proposals", freelancer, value)

    def contract(self, ts: int, type_: str, contract_id: str, job: Job, freelancer: str,
                 actor: str) -> bool:
        value = self._base("con", ts) | {
            "type": type_, "contract_id": contract_id, "job_id": job.id,
            "client_id": job.client_id, "freelancer_id": freelancer, "actor_id": actor,
        }
        return self.emit("contracts", actor, value)

    def rating(self, ts: int, contract_id: str, sender: Account, to: Account, stars: int,
               comment: str, direct: bool = False, role: str = "") -> bool:
        """`role`: the sender's role on this contract, when it is not the account's usual one (an
        account can hire and be hired)."""
        value = self._base("fbk", ts) | {
            "kind": "rating", "contract_id": contract_id, "from_id": sender.id, "to_id": to.id,
            "from_role": role or sender.role, "stars": stars,
        }
        if comment:
            value["comment"] = comment
        if direct:
            value["direct_contract"] = True
        kept = self.emit("feedback", sender.id, value)
        if kept:
            to.stars_n += 1
            to.stars_sum += stars
            to.low_received += stars <= 3
        return kept

    def request(self, ts: int, contract_id: str, sender: Account, to: Account, comment: str) -> bool:
        value = self._base("fbk", ts) | {
            "kind": "request", "contract_id": contract_id, "from_id": sender.id, "to_id": to.id,
            "from_role": sender.role, "comment": comment,
        }
        return self.emit("feedback", sender.id, value)

    def account_event(self, ts: int, type_: str, acc: Account, **fields: str) -> bool:
        value = self._base("acc", ts) | {"type": type_, "account_id": acc.id, "role": acc.role}
        value.update({k: v for k, v in fields.items() if v})
        return self.emit("accounts", acc.id, value)
