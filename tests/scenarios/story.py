"""Small scripted marketplace stories, replayed through the backtest's code path.

A `Story` writes schema-valid events the way the marketplace would send them (JSON values on
their topics, keyed by the account that acted), in the simulator's JSONL form, so that
`streams.commands.backtest.run` decodes, indexes, scores and escalates them exactly as it does recorded
traffic. Times are minutes after the story's start; texts are plain, so a behavioural scenario
does not lean on the text stage.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from scoring.escalation import Escalation
from scoring.rules import Rules
from streams.batch.pipeline import Incoming
from streams.batch.recorded import RecordedEvent
from streams.batch.rules_file import load_rules
from streams.commands import backtest
from streams.commands.backtest import run
from streams.worker.settings import DEFAULT_RULES

T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z
MINUTE = 60_000
HOUR_MIN = 60
DAY_MIN = 24 * 60


@functools.cache
def default_rules() -> Rules:
    return load_rules(DEFAULT_RULES)


@dataclass
class Story:
    events: list[RecordedEvent] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    def _emit(self, topic: str, key: str, at: float, value: dict[str, Any]) -> None:
        ts = T0 + int(at * MINUTE)
        body = {"event_id": f"{topic[:3]}-{next(self._ids)}", "ts": ts} | value
        self.events.append(RecordedEvent(topic, key, ts, body))

    def account(self, at: float, account: str, role: str, kind: str = "login", **fps: str) -> None:
        """Signup or login; fps: country, device, ip, payment, phone, family."""
        value = {"type": kind, "account_id": account, "role": role}
        for name, fp in fps.items():
            value[name if name == "country" else f"{name}_fp"] = fp
        self._emit("accounts", account, at, value)

    def signup(self, at: float, account: str, role: str, **fps: str) -> None:
        fps = {"country": "US", "device": f"dev-{account}", "ip": f"ip-{account}", **fps}
        self.account(at, account, role, "signup", **fps)

    def message(self, at: float, sender: str, recipient: str, text: str = "Sounds good, thanks.",
                stage: str = "pre_contract", direct: bool = False) -> None:
        room = "room-" + "-".join(sorted((sender, recipient)))
        value = {"room_id": room, "sender_id": sender, "recipient_id": recipient, "text": text,
                 "contract_stage": stage}
        if direct:
            value["direct_contract"] = True
        self._emit("messages", sender, at, value)

    def proposal(self, at: float, freelancer: str, client: str, job: str, letter: str, bid: float = 300) -> None:
        self._emit("proposals", freelancer, at, {"job_id": job, "freelancer_id": freelancer, "client_id": client,
                                                 "cover_letter": letter, "bid": bid})

    def contract(self, at: float, kind: str, contract: str, client: str, freelancer: str,
                 actor: str | None = None, job: str = "") -> None:
        self._emit("contracts", actor or client, at, {
            "type": kind, "contract_id": contract, "job_id": job or f"job-{contract}", "client_id": client,
            "freelancer_id": freelancer, "actor_id": actor or client})

    def rating(self, at: float, contract: str, rater: str, rated: str, role: str, stars: int,
               comment: str = "", direct: bool = False) -> None:
        value: dict[str, Any] = {"kind": "rating", "contract_id": contract, "from_id": rater, "to_id": rated,
                                 "from_role": role, "stars": stars}
        if comment:
            value["comment"] = comment
        if direct:
            value["direct_contract"] = True
        self._emit("feedback", rater, at, value)

    def request(self, at: float, contract: str, freelancer: str, client: str, comment: str) -> None:
        self._emit("feedback", freelancer, at, {"kind": "request", "contract_id": contract, "from_id": freelancer,
                                                "to_id": client, "from_role": "freelancer", "comment": comment})

    def job_done(self, at: float, contract: str, client: str, freelancer: str, stars: tuple[int, int] = (5, 5),
                 hours: float = 48) -> float:
        """A contract from hire to both ratings (client's first); returns when it ended."""
        self.contract(at, "hire", contract, client, freelancer)
        self.message(at + 10, freelancer, client, "Starting now, I will send an update tomorrow.", "active")
        self.message(at + 30, client, freelancer, "Great, thank you.", "active")
        end = at + hours * HOUR_MIN
        self.contract(end, "end", contract, client, freelancer)
        self.rating(end + 60, contract, client, freelancer, "client", stars[0], "Good work, delivered as agreed.")
        self.rating(end + 120, contract, freelancer, client, "freelancer", stars[1], "Clear brief, paid on time.")
        return end

    def replay(self, rules: Rules | None = None, twice: bool = False) -> Replayed:
        """The story through the backtest; `twice`: every event delivered a second time, right
        after the first (at-least-once delivery)."""
        events = sorted(self.events, key=lambda e: e.ts)
        if twice:
            events = [e for ev in events for e in (ev, ev)]
        return Replayed(run(events, rules or default_rules()).escalations)

    def replay_backlogged(self, seed: int) -> Replayed:
        """The story read as one backlog: every event in one batch, and the events re-keyed to
        other accounts (reply notices, their answers) delivered in a shuffled order, as
        partitions read at different speeds could deliver them."""
        original, rng = backtest._process, random.Random(seed)

        def shuffling(*args: Any) -> tuple[list[Incoming], int]:
            forwards, offset = original(*args)
            rng.shuffle(forwards)
            first = offset - len(forwards) + 1
            return [dataclasses.replace(f, offset=first + i) for i, f in enumerate(forwards)], offset

        events = sorted(self.events, key=lambda e: e.ts)
        with _patched(backtest, _process=shuffling, BATCH_SPAN_MS=events[-1].ts - events[0].ts + 1):
            return Replayed(run(events, default_rules()).escalations)


@contextlib.contextmanager
def _patched(module: Any, **values: Any) -> Iterator[None]:
    saved = {name: getattr(module, name) for name in values}
    for name, value in values.items():
        setattr(module, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(module, name, value)


def pair(client: str, freelancer: str) -> Story:
    """A story that starts with a client and a freelancer signing up, sharing nothing."""
    s = Story()
    s.signup(0, client, "client")
    s.signup(0, freelancer, "freelancer")
    return s


@dataclass
class Replayed:
    escalations: list[Escalation]

    def escalated(self, policy: str) -> set[str]:
        return {e.account_id for e in self.escalations if policy in e.policies}

    def evidence(self, account: str, policy: str) -> list[dict[str, Any]]:
        return [item for e in self.escalations if e.account_id == account and policy in e.policies
                for item in e.evidence if item.get("policy") == policy]

    def reasons(self, account: str, policy: str) -> str:
        return " | ".join(item["reason"] for item in self.evidence(account, policy))
