"""The simulator's contract: deterministic, schema-valid, sorted, with truth for every kind."""

import json
import re

import pytest

from streams.batch.schemas import INPUT_SCHEMAS, Rejected
from streams.devtools.simulator import BAD_KINDS, SimConfig, Simulation, generate, read_jsonl, write_jsonl, write_truth
from streams.devtools.simulator.innocent import MARKERS

ACTOR_FIELD = {
    "messages": "sender_id", "proposals": "freelancer_id", "feedback": "from_id",
    "accounts": "account_id", "contracts": "actor_id",
}


def _bytes(sim: Simulation) -> list[tuple[str, str, int, bytes]]:
    return [(e.kind, e.key, e.ts, e.payload()) for e in sim.events]


def test_same_seed_same_bytes() -> None:
    a, b = generate(SimConfig(accounts=120, seed=5)), generate(SimConfig(accounts=120, seed=5))
    assert _bytes(a) == _bytes(b)
    assert json.dumps(a.truth) == json.dumps(b.truth)


def test_different_seed_differs() -> None:
    a, b = generate(SimConfig(accounts=120, seed=5)), generate(SimConfig(accounts=120, seed=6))
    assert _bytes(a) != _bytes(b)


def test_volume_at_default(default_sim: Simulation) -> None:
    assert 20_000 <= len(default_sim.events) <= 40_000
    assert default_sim.truth["events"] == len(default_sim.events)
    assert {e.kind for e in default_sim.events} == set(ACTOR_FIELD)


def test_events_sorted_by_ts(default_sim: Simulation) -> None:
    stamps = [e.ts for e in default_sim.events]
    assert stamps == sorted(stamps)
    config = SimConfig()
    assert config.start_ts <= stamps[0] and stamps[-1] < config.end_ts


def test_values_fit_their_schema_and_key(default_sim: Simulation) -> None:
    ids = set()
    for ev in default_sim.events:
        if ev.value is None:
            continue
        record = INPUT_SCHEMAS[ev.kind].from_dict(ev.value, 20000)
        assert INPUT_SCHEMAS[ev.kind].decode(ev.payload(), 20000) == record
        assert ev.key == ev.value[ACTOR_FIELD[ev.kind]] == record.actor
        assert ev.ts == ev.value["ts"]
        ids.add(ev.value["event_id"])
    assert len(ids) == len(default_sim.events) - default_sim.truth["malformed"]


def test_malformed_are_rejected_for_every_reason(default_sim: Simulation) -> None:
    reasons = set()
    bad = [e for e in default_sim.events if e.value is None]
    assert len(bad) == default_sim.truth["malformed"] > 0
    for ev in bad:
        assert ev.raw is not None and ev.key in default_sim.truth["accounts"]
        with pytest.raises(Rejected) as err:
            INPUT_SCHEMAS[ev.kind].decode(ev.raw, 20000)
        reasons.add(err.value.reason)
    assert reasons == {"bad_json", "missing_field", "wrong_type", "unknown_type", "invalid_utf8", "too_large"}


def test_truth_covers_every_bad_kind(default_sim: Simulation) -> None:
    accounts = default_sim.truth["accounts"]
    kinds = {row["actor_kind"] for row in accounts.values()}
    assert kinds == {"honest", *BAD_KINDS}
    for acc_id, row in accounts.items():
        assert re.fullmatch(r"[cf]\d{5}", acc_id)
        assert row["role"] == ("client" if acc_id[0] == "c" else "freelancer")
        assert row["policies"] == list(BAD_KINDS.get(row["actor_kind"], ()))
        for policy in row["policies"]:
            assert acc_id in default_sim.truth["policies"][policy]
    bad = sum(row["actor_kind"] != "honest" for row in accounts.values())
    assert bad == round(0.15 * 400)


def test_honest_traffic_dominates(default_sim: Simulation) -> None:
    kinds = {a: row["actor_kind"] for a, row in default_sim.truth["accounts"].items()}
    honest = sum(kinds[e.key] == "honest" for e in default_sim.events if e.value is not None)
    assert honest > 0.7 * len(default_sim.events)


@pytest.mark.parametrize("marker", MARKERS)
def test_innocent_trigger_words_are_present(default_sim: Simulation, marker: str) -> None:
    kinds = {a: row["actor_kind"] for a, row in default_sim.truth["accounts"].items()}
    senders = [e.key for e in default_sim.events
               if e.kind == "messages" and e.value is not None and marker in e.value["text"]]
    assert any(kinds[s] == "honest" for s in senders)


def test_jsonl_round_trip(tmp_path, default_sim: Simulation) -> None:
    sim = generate(SimConfig(accounts=60, days=2, seed=3, malformed_share=0.02))
    path = tmp_path / "events.jsonl"
    write_jsonl(sim, path)
    assert list(read_jsonl(path)) == sim.events
    lines = path.read_text().splitlines()
    assert all({"topic", "key"} <= json.loads(line).keys() for line in lines)
    write_truth(sim, tmp_path / "truth.json")
    assert json.loads((tmp_path / "truth.json").read_text()) == sim.truth


@pytest.mark.parametrize("accounts,days", [(10, 1.0), (40, 0.5), (400, 0.2)])
def test_small_configs_stay_valid(accounts: int, days: float) -> None:
    sim = generate(SimConfig(accounts=accounts, days=days, seed=2))
    assert len(sim.truth["accounts"]) == accounts
    for ev in sim.events:
        if ev.value is not None:
            INPUT_SCHEMAS[ev.kind].from_dict(ev.value, 20000)
