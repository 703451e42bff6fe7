"""How a state is stored: zstd against a shipped dictionary; older encodings still read."""

import zlib

import orjson
import pytest
import zstandard

from scoring.state import MAX_EVIDENCE, AccountState
from streams.batch.rules_file import load_rules
from streams.batch.statecodec import CURRENT, DICT_DIR, ZSTD_MAGIC, StateCodec, codec, decode_state, encode_state, train
from streams.commands import backtest
from streams.devtools.simulator import SimConfig, generate
from streams.worker.settings import DEFAULT_RULES


@pytest.fixture(scope="module")
def simulated() -> list[bytes]:
    """State JSON of simulated accounts of a seed the shipped dictionary was not trained on."""
    states: dict[str, bytes] = {}
    backtest.run(generate(SimConfig(accounts=60, days=3, seed=5)).events, load_rules(DEFAULT_RULES), states=states)
    return [codec().json(raw) for raw in states.values()]


def test_a_state_reads_back_the_same():
    state = AccountState(applied={"messages:0": 3}, contacts={"c1": 100}, rooms={"r1": ["hi", "there"]})
    raw = encode_state(state)
    assert raw.startswith(ZSTD_MAGIC)
    assert zstandard.get_frame_parameters(raw).dict_id == CURRENT
    assert decode_state(raw) == state


def test_simulated_states_shrink_to_under_half_their_json(simulated):
    assert len(simulated) == 60
    for raw in simulated:
        state = decode_state(raw)
        stored = encode_state(state)
        assert decode_state(stored) == state
    total_json = sum(map(len, simulated))
    total_stored = sum(len(encode_state(decode_state(raw))) for raw in simulated)
    assert total_stored < total_json / 2


def test_the_dictionary_does_the_work_zlib_could_not(simulated):
    stored = sum(len(encode_state(decode_state(raw))) for raw in simulated)
    deflated = sum(len(zlib.compress(raw, 1)) for raw in simulated)
    assert stored < 0.8 * deflated


def test_states_written_by_older_releases_are_read():
    state = AccountState(contacts={f"client-{i:05d}": 29_000_000 + i for i in range(100)})
    plain = orjson.dumps(state.to_dict())
    assert decode_state(plain) == state
    assert decode_state(zlib.compress(plain, 1)) == state


def test_a_state_written_with_another_dictionary_is_read_with_it(simulated):
    older = train(7, simulated[:40], size=2048)
    writer = StateCodec({7: older}, 7)
    raw = writer.encode(decode_state(simulated[-1]))
    assert zstandard.get_frame_parameters(raw).dict_id == 7
    with pytest.raises(ValueError, match="zstd dictionary 7"):
        decode_state(raw)
    reader = StateCodec({7: older, CURRENT: (DICT_DIR / f"{CURRENT}.zdict").read_bytes()}, CURRENT)
    assert reader.decode(raw) == decode_state(simulated[-1])
    assert reader.decode(reader.encode(decode_state(simulated[0]))) == decode_state(simulated[0])


def test_a_dictionary_filed_under_the_wrong_id_is_refused(simulated):
    with pytest.raises(ValueError, match="filed as 3 has id 7"):
        StateCodec({3: train(7, simulated[:40], size=2048)}, 3)
    with pytest.raises(ValueError, match="no state dictionary 4"):
        StateCodec({}, 4)



def test_sightings_count_the_day_up_to_each_event_read_in_any_order():
    state, t0, hour, day = AccountState(), 1_767_225_600_000, 3_600_000, 86_400_000
    assert state.sight(("c:US", "d:dev-1"), t0, day) == ["c:US", "d:dev-1"]
    assert state.sight(("c:FR",), t0 + 2 * hour, day) == ["c:FR", "c:US", "d:dev-1"]
    assert state.sight(("c:DE",), t0 - hour, day) == ["c:DE"]  # read late: the others came after it
    assert state.sight(("c:US",), t0 + 25 * hour, day) == ["c:FR", "c:US"]
    assert state.sight(("c:JP",), t0 + 4 * day, day) == ["c:JP"]
    assert list(state.sightings) == ["c:JP"]  # two days older than the newest: forgotten
    assert state.sight(("c:US",), t0, day) == ["c:US"]  # read very late: its own country still counts


def test_a_state_from_before_hashed_applications_and_first_messages_is_read():
    """Clients applied to were kept by id, cold first messages as minute buckets and recipients."""
    old = {"ap": {"c1": 29_000_000, "c2": 29_000_100}, "fh": [[29_000_000, 3]], "cd": {"c9": "m1"}}
    state = AccountState.from_dict(old)
    assert state.applied_before("c1", 29_000_000 * 60_000) and state.applied_before("c2", 29_000_100 * 60_000)
    assert not state.applied_before("c2", 29_000_000 * 60_000) and not state.applied_before("c3", 29_000_100 * 60_000)
    assert state.firsts == {} and "fh" not in state.to_dict() and "cd" not in state.to_dict()
    assert decode_state(encode_state(state)) == state


def test_evidence_is_kept_newest_first_by_time_whatever_order_it_comes_in():
    items = [{"ts": ts, "event_id": f"e{ts}", "detector": "d", "reason": "r"} for ts in range(MAX_EVIDENCE + 2)]
    kept = []
    for order in (items, items[::-1], items[2:] + items[:2]):
        state = AccountState()
        for item in order:
            state.add_evidence("p", item)
        kept.append([item["ts"] for item in state.evidence["p"]])
    assert kept == [list(range(2, MAX_EVIDENCE + 2))] * 3


def test_a_finding_named_at_its_earliest_time_is_made_again_only_earlier():
    state = AccountState()
    assert [state.earliest("ring:x", ts) for ts in (50, 50, 70, 20, 30)] == [True, False, False, True, False]
    assert state.findings["ring:x"] == 20
