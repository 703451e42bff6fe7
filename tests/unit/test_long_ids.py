"""Ids at the input limit stay within it in the ids the scorer builds from them, so no finding
is dead-lettered on its way back and lost."""

from __future__ import annotations

from scoring.records import SubjectEvent
from streams.batch.recorded import RecordedEvent
from streams.batch.schemas import subjects
from streams.batch.schemas.fields import ID_MAX
from streams.commands import backtest
from tests.unit.helpers import rules

T0 = 1_767_225_600_000


def signup(account: str, event_id: str, ts: int) -> RecordedEvent:
    return RecordedEvent("accounts", account, ts, {
        "event_id": event_id, "ts": ts, "type": "signup", "account_id": account, "role": "freelancer",
        "country": "PT", "device_fp": "dev-1a2b3c4d5e6f", "ip_fp": f"ip-{account[-1]}"})


def test_two_duplicate_accounts_with_the_longest_ids_are_both_escalated_and_nothing_dead_lettered():
    a, b = "a" * (ID_MAX - 1) + "1", "b" * (ID_MAX - 1) + "2"
    result = backtest.run([signup(a, "e" * ID_MAX, T0), signup(b, "f" * ID_MAX, T0 + 60_000)], rules())
    assert result.dead_letters == 0
    assert result.flagged() == {(a, "duplicate_account"), (b, "duplicate_account")}


def test_a_built_id_over_the_limit_is_fitted_the_same_way_every_time():
    long_id = f"{'e' * ID_MAX}~linked_duplicate~{'a' * ID_MAX}"
    event = SubjectEvent(long_id, T0, "linked_duplicate", "a" * ID_MAX, "freelancer", "", "b" * ID_MAX,
                         detail="device dev-1a2b")
    decoded = subjects.SCHEMA.decode(subjects.encode(event), 1000)
    assert len(decoded.event_id) == ID_MAX and decoded.event_id.startswith("e" * 80)
    assert decoded.event_id == subjects.fitted_id(long_id)
    other = subjects.fitted_id(long_id[:-1] + "b")
    assert other != decoded.event_id and len(other) == ID_MAX
    assert subjects.fitted_id("short") == "short"
