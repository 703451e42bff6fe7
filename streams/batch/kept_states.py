"""The states a processor stored last, kept decoded for the accounts' next batches.

An account's next batch brings back the bytes its last batch stored (the table holds them; all of
an account's events go to the same scoring process). Decoding them again is most of what a state
costs (zstd, then orjson, then the dataclass: ~24 µs of the ~40 µs an account's state costs per
batch, measured on simulated states of 2.7 KB of JSON). A state is kept with the bytes it was
encoded to, and taken back only for those same bytes: anything else (a batch retried after its
outputs failed, a state written by another worker after a rebalance) is decoded as before.

A kept state equals the one its bytes decode to: a state holds only JSON's types (dicts with string
keys, lists, strings, numbers, booleans and None), which the codec's JSON gives back as they were,
in the same order. A state is taken out while its batch is applied to it, so a batch that fails
half-way leaves none behind; it is kept again once encoded.
"""

from __future__ import annotations

from scoring.state import AccountState

KEPT_STATES = 2048  # accounts per processor (~11 KB each decoded): the least recently stored go first


class KeptStates:
    def __init__(self, size: int = KEPT_STATES) -> None:
        self.size = size
        self._kept: dict[str, tuple[bytes, AccountState]] = {}

    def take(self, account: str, raw: bytes) -> AccountState | None:
        """The state kept for `account` if it was stored as `raw` (None: decode `raw`); either way
        the account has none kept until `keep` is called again."""
        kept = self._kept.pop(account, None)
        if kept is None or kept[0] != raw:
            return None
        return kept[1]

    def keep(self, account: str, raw: bytes, state: AccountState) -> None:
        """Keep `state`, stored as `raw`, for the account's next batch."""
        if len(self._kept) >= self.size:
            del self._kept[next(iter(self._kept))]
        self._kept[account] = (raw, state)

    def __len__(self) -> int:
        return len(self._kept)
