"""How a per-account state is stored in the table and its changelog.

JSON (orjson), compressed with zstd at level 1 against a dictionary trained on
state JSON. Every state repeats the same key names, offset and bucket shapes,
so the dictionary does most of the work: measured on simulated states of a
seed the dictionary was not trained on, ~1.4 KB of JSON becomes ~500 bytes
(zlib alone: ~820), in ~5 µs to compress and ~3 µs to decompress with reused
contexts (zlib: ~31 and ~10, mostly its per-call set-up).

A frame names the dictionary it was written with, and every dictionary ever
shipped stays in `state_dicts/` under its id, so a state written by an older
release is still read. Older encodings are read too: plain JSON (starts with
`{`) and zlib-deflated JSON.

A new dictionary is trained from simulated states by `python -m streams.devtools
train-state-dict --id N` (`streams/devtools/state_dict.py`); `CURRENT` then selects it for writing.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from pathlib import Path

import orjson
import zstandard

from scoring.state import AccountState

DICT_DIR = Path(__file__).with_name("state_dicts")
CURRENT = 1  # the dictionary new states are written with
DICT_BYTES = 8192
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
LEVEL = 1


class StateCodec:
    def __init__(self, dicts: Mapping[int, bytes], current: int | None):
        """Write with dictionary `current`, or plain JSON when it is None."""
        if current is not None and current not in dicts:
            raise ValueError(f"no state dictionary {current} among {sorted(dicts)}")
        loaded = {i: zstandard.ZstdCompressionDict(data) for i, data in dicts.items()}
        for i, d in loaded.items():
            if d.dict_id() != i:
                raise ValueError(f"state dictionary filed as {i} has id {d.dict_id()}")
        self._compress = (lambda raw: raw) if current is None else zstandard.ZstdCompressor(
            level=LEVEL, dict_data=loaded[current], write_checksum=False, write_content_size=True
        ).compress
        self._decompressors = {i: zstandard.ZstdDecompressor(dict_data=d) for i, d in loaded.items()}

    @classmethod
    def shipped(cls, directory: Path = DICT_DIR, current: int = CURRENT) -> StateCodec:
        return cls({int(p.stem): p.read_bytes() for p in directory.glob("*.zdict")}, current)

    def encode(self, state: AccountState) -> bytes:
        return self._compress(orjson.dumps(state.to_dict()))

    def decode(self, raw: bytes) -> AccountState:
        return AccountState.from_dict(orjson.loads(self.json(raw)))

    def json(self, raw: bytes) -> bytes:
        """The state's JSON, whichever way it was stored."""
        if raw[:1] == b"{":
            return raw
        if raw[:4] == ZSTD_MAGIC:
            dict_id = zstandard.get_frame_parameters(raw).dict_id
            decompressor = self._decompressors.get(dict_id)
            if decompressor is None:
                raise ValueError(f"state written with zstd dictionary {dict_id}, which this release does not have")
            data: bytes = decompressor.decompress(raw)
            return data
        return zlib.decompress(raw)


_codec: StateCodec | None = None


def codec() -> StateCodec:
    global _codec
    if _codec is None:
        _codec = StateCodec.shipped()
    return _codec


def encode_state(state: AccountState) -> bytes:
    return codec().encode(state)


def decode_state(raw: bytes) -> AccountState:
    return codec().decode(raw)


def train(dict_id: int, samples: list[bytes], size: int = DICT_BYTES) -> bytes:
    """A dictionary for state JSON; the same samples give the same bytes."""
    buffers: list[bytes | bytearray | memoryview] = list(samples)
    trained = zstandard.train_dictionary(size, buffers, dict_id=dict_id, level=LEVEL, threads=0)
    data: bytes = trained.as_bytes()
    return data
