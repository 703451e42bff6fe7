"""How a state is stored: plain JSON when small, deflated when large; both read back."""

from scoring.state import AccountState
from streams.pipeline import DEFLATE_OVER, decode_state, encode_state


def test_a_small_state_stays_plain_json():
    state = AccountState(applied={"messages:0": 3}, contacts={"c1": 100})
    raw = encode_state(state)
    assert raw.startswith(b"{") and len(raw) <= DEFLATE_OVER
    assert decode_state(raw) == state


def test_a_large_state_is_deflated_and_reads_back_the_same():
    state = AccountState(contacts={f"client-{i:05d}": 29_000_000 + i for i in range(100)})
    raw = encode_state(state)
    assert not raw.startswith(b"{") and len(raw) < len(str(state.contacts)) / 2
    assert decode_state(raw) == state
