"""The learned stage: one calibrated score per text policy, linear over a text's features.

A score is a logistic function of a sum of feature weights, so every score splits exactly
into what each word, word pair, name or rule hit added: the evidence a reviewer reads. The
model is data (a versioned, gzipped JSON file trained by `riskscorer train-text`); this
module only reads it.
"""

from __future__ import annotations

import gzip
import json
import math
import struct
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import chain
from typing import Any, TypeVar

from scoring.text.features import Feature, pair_name, word_names
from scoring.text.types import POLICIES

FORMAT = 1
PACKAGED = "text-model.json.gz"
WORD_CACHE = 1 << 16  # words, and word pairs, whose rows a model keeps at hand (chat repeats them)
RECENT_TEXTS = 4096  # texts whose readings a model keeps (greetings, thanks, a spammer's one letter)
RECENT_MAX_CHARS = 2000  # longer texts are not kept: the memo stays under ~8 MB

Row = tuple[float, ...]
K = TypeVar("K")
V = TypeVar("V")


class ModelError(ValueError):
    """A model file is unreadable or inconsistent; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class TextModel:
    version: str
    policies: tuple[str, ...]
    bias: tuple[float, ...]  # per policy, in logit space
    scale: tuple[float, ...]  # calibration: probability = sigmoid(scale * logit + shift)
    shift: tuple[float, ...]
    thresholds: tuple[float, ...]  # calibrated probability from which a policy is flagged
    weights: Mapping[str, tuple[float, ...]]  # feature -> weight per policy
    # The thresholds as raw logits: calibration is monotone (scale > 0), so a logit at its bar is
    # a score at its threshold, and a text needs no sigmoid unless it is flagged.
    logit_thresholds: tuple[float, ...] = field(init=False, compare=False, repr=False)
    # word -> its names the model knows, with their rows; word pair -> its row; other name -> its
    # row (empty: unknown). A text's words and pairs are looked up here, not each of their names
    # in the whole table (a memory miss each). Rows are kept packed (native doubles): a text's
    # rows are joined in one buffer and summed from it, where the tuples' float objects, scattered
    # through the heap, cost a cache miss or two a row in the pipeline.
    _words: _Cache[str, tuple[tuple[str, bytes], ...]] = field(init=False, compare=False, repr=False)
    _pairs: _Cache[tuple[str, str], bytes] = field(init=False, compare=False, repr=False)
    _named: _Cache[str, bytes] = field(init=False, compare=False, repr=False)
    # Readings of recent texts by the text and what it depends on (`scoring.text.detect`): an
    # analysis is a function of the model, the text and its context, and chat repeats its lines.
    recent: Recent = field(init=False, compare=False, repr=False)
    # Cover letters are kept apart: each is long and most are new, and in one memo with the chat
    # they would push out the lines chat repeats.
    recent_letters: Recent = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if any(a <= 0 for a in self.scale) or not all(0 < t < 1 for t in self.thresholds):
            raise ModelError("model calibration scales must be positive and thresholds between 0 and 1")
        bars = tuple((math.log(t / (1 - t)) - c) / a for t, a, c in zip(self.thresholds, self.scale, self.shift,
                                                                          strict=True))
        object.__setattr__(self, "logit_thresholds", bars)
        get, pack = self.weights.get, struct.Struct(f"{len(self.policies)}d").pack

        def packed(name: str) -> bytes:
            row = get(name)
            return pack(*row) if row else b""

        object.__setattr__(self, "_words", _Cache(lambda word: tuple(
            (name, row) for name in word_names(word) if (row := packed(name)))))
        object.__setattr__(self, "_pairs", _Cache(lambda pair: packed(pair_name(*pair))))
        object.__setattr__(self, "_named", _Cache(packed))
        object.__setattr__(self, "recent", Recent())
        object.__setattr__(self, "recent_letters", Recent())

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (to the scoring processes) without its caches, which hold functions."""
        return (TextModel, (self.version, self.policies, self.bias, self.scale, self.shift, self.thresholds,
                            self.weights))

    def logits(self, names: Iterable[str]) -> list[float]:
        """Raw logit per policy of a text with these distinct feature names."""
        rows = list(filter(None, map(self.weights.get, names)))
        if not rows:
            return list(self.bias)
        return list(map(sum, zip(self.bias, *rows, strict=True)))

    def text_logits(self, tokens: Sequence[str], others: Iterable[str]) -> list[float]:
        """The same as `logits` of a text's names (`features.names`), from its shaped words and
        the names neither they nor their pairs give: each name still counts once. Each policy's
        sum adds the same numbers in the same order as `sum` of the bias and the rows' values
        (which starts from 0 + bias), so the logits are the same to the bit."""
        known = dict(chain.from_iterable(map(self._words.__getitem__, set(tokens))))  # one row per name
        rows = [
            *known.values(),
            *filter(None, map(self._pairs.__getitem__, set(zip(tokens, tokens[1:], strict=False)))),
            *filter(None, map(self._named.__getitem__, others)),
        ]
        if not rows:
            return list(self.bias)
        values, n = memoryview(b"".join(rows)).cast("d"), len(self.bias)
        return [sum(values[i::n], 0.0 + b) for i, b in enumerate(self.bias)]

    def threshold(self, policy: str) -> float:
        """The calibrated score at which `policy` is flagged."""
        return self.thresholds[self.policies.index(policy)]

    def calibrate(self, logits: Iterable[float]) -> list[float]:
        return [_sigmoid(a * z + c) for a, z, c in zip(self.scale, logits, self.shift, strict=True)]

    def contributions(self, found: Iterable[Feature], policy: int) -> list[tuple[float, str, tuple[int, int]]]:
        """What each distinct feature added to one policy's logit, largest first, with its first span."""
        seen: dict[str, tuple[int, int]] = {}
        for name, span in found:
            seen.setdefault(name, span)
        parts = [(row[policy], name, span) for name, span in seen.items() if (row := self.weights.get(name))]
        return sorted(parts, key=lambda p: (-p[0], p[2], p[1]))


class _Cache(dict[K, V]):
    """A bounded memo that the lookups of a text read at C speed (`__getitem__`), computing what it
    lacks; when full it starts over (what chat repeats is soon back)."""

    def __init__(self, compute: Callable[[K], V]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, key: K) -> V:
        if len(self) >= WORD_CACHE:
            self.clear()
        value = self[key] = self._compute(key)
        return value


class Recent(dict[tuple[Any, ...], Any]):
    """A bounded memo of whole readings, keyed by a tuple whose first item is the text; when full
    it starts over."""

    def keep(self, key: tuple[Any, ...], value: Any) -> None:
        if len(key[0]) > RECENT_MAX_CHARS:
            return
        if len(self) >= RECENT_TEXTS:
            self.clear()
        self[key] = value


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _floats(doc: Mapping[str, Any], key: str, n: int) -> tuple[float, ...]:
    value = doc.get(key)
    if not isinstance(value, list) or len(value) != n or not all(isinstance(v, int | float) for v in value):
        raise ModelError(f"model field {key!r} must be a list of {n} numbers")
    return tuple(float(v) for v in value)


def from_document(doc: Mapping[str, Any]) -> TextModel:
    """Validate a parsed model document."""
    if doc.get("format") != FORMAT:
        raise ModelError(f"model format {doc.get('format')!r} is not {FORMAT}")
    version, policies = doc.get("version"), doc.get("policies")
    if not isinstance(version, str) or not version:
        raise ModelError("model field 'version' must be a non-empty string")
    if not isinstance(policies, list) or sorted(policies) != sorted(POLICIES):
        raise ModelError(f"model field 'policies' must list {', '.join(POLICIES)}")
    n = len(policies)
    names, rows = doc.get("features"), doc.get("weights")
    if not isinstance(names, list) or not isinstance(rows, list) or len(names) != len(rows):
        raise ModelError("model fields 'features' and 'weights' must be lists of one length")
    weights = {str(name): tuple(float(v) for v in row) for name, row in zip(names, rows, strict=True)}
    if any(len(row) != n for row in weights.values()):
        raise ModelError(f"every weight row must have {n} numbers")
    return TextModel(
        version, tuple(policies), _floats(doc, "bias", n), _floats(doc, "scale", n),
        _floats(doc, "shift", n), _floats(doc, "thresholds", n), weights,
    )


def to_document(model: TextModel) -> dict[str, Any]:
    names = sorted(model.weights)
    return {
        "format": FORMAT,
        "version": model.version,
        "policies": list(model.policies),
        "bias": list(model.bias),
        "scale": list(model.scale),
        "shift": list(model.shift),
        "thresholds": list(model.thresholds),
        "features": names,
        "weights": [list(model.weights[name]) for name in names],
    }


def loads(data: bytes) -> TextModel:
    """A model from the bytes of its file (gzipped JSON, or plain JSON)."""
    try:
        raw = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
        doc = json.loads(raw)
    except (OSError, EOFError, ValueError) as exc:
        raise ModelError(f"model file is not gzipped JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise ModelError("model file must hold a JSON object")
    return from_document(doc)


def dumps(model: TextModel) -> bytes:
    """The bytes of a model file: the same model always gives the same bytes."""
    text = json.dumps(to_document(model), separators=(",", ":"), sort_keys=True)
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


@cache
def packaged() -> TextModel:
    """The model shipped with the package."""
    return loads(resources.files("scoring.text").joinpath("data", PACKAGED).read_bytes())
