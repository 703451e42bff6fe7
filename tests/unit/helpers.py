"""Builders shared by the unit tests."""

from scoring.records import Message
from scoring.rules import Rules
from streams.batch.rules_file import load_rules
from streams.worker.settings import DEFAULT_RULES


def rules() -> Rules:
    return load_rules(DEFAULT_RULES)


def message(i: int, ts: int, sender: str = "f1", recipient: str = "c1", text: str = "hello",
            room: str | None = None, stage: str = "pre_contract") -> Message:
    return Message(
        event_id=f"m{i}", ts=ts, room_id=room or f"{sender}-{recipient}", sender_id=sender,
        recipient_id=recipient, text=text, contract_stage=stage,
    )
