"""`riskscorer train-text`: gather the examples, train, write a model file, say what was used."""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
from redis.asyncio import Redis

from scoring.detectors.text import MAX_EXAMPLE_CHARS
from scoring.text.model import TextModel, dumps
from streams.training import examples as ex
from streams.training.verdicts import ExampleStore, VerdictError, to_examples

# The public labelled sets, beside the checkout (MANIFEST.md there says what each is).
DEFAULT_PUBLIC = Path(__file__).resolve().parents[2].parent / "shared" / "textdata"


def _say(line: str) -> None:
    print(f"train-text: {line}", file=sys.stderr, flush=True)  # noqa: T201


def exported_examples(exported: Path) -> list[ex.Example]:
    """Reviewers' verdicts from a JSONL export of the store; `VerdictError` names a bad line."""
    records = []
    for number, line in enumerate(exported.read_bytes().splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(orjson.loads(line))
        except orjson.JSONDecodeError as exc:
            raise VerdictError(f"{exported}:{number}: not JSON ({exc})") from None
    try:
        return to_examples(records)
    except VerdictError as exc:
        raise VerdictError(f"{exported}: {exc}") from None


async def verdict_examples(
    redis_url: str | None, app_id: str, exported: Path | None, redis_options: dict[str, Any] | None = None,
) -> list[ex.Example]:
    """Reviewers' verdicts: from a JSONL export, else from the store in Redis when one is set
    (`redis_options`: password, TLS files and timeouts, as the worker connects)."""
    if exported is not None:
        return exported_examples(exported)
    if redis_url is None:
        return []
    redis = Redis.from_url(redis_url, **(redis_options or {}))
    try:
        return to_examples(await ExampleStore(redis, app_id).read())
    finally:
        await redis.aclose()


def gather(public: Path | None, verdicts: list[ex.Example]) -> list[ex.Example]:
    """Seed set, public sets (their training part), the quoted messages' dev split, verdicts
    (those on a text kept for measuring left out)."""
    found = ex.seed()
    if public is not None:
        found += ex.public(public, measuring=False) + ex.quotes(public, "dev")
    if public is not None and verdicts:
        trained = ex.not_measured(verdicts, public, MAX_EXAMPLE_CHARS)
        if len(trained) < len(verdicts):
            _say(f"{len(verdicts) - len(trained)} verdict texts left out: they are kept for measuring")
        verdicts = trained
    return found + verdicts


def version_of(model: TextModel) -> str:
    """A version naming exactly what the model holds: the same model, the same version."""
    return "text-" + hashlib.sha256(dumps(replace(model, version="-"))).hexdigest()[:12]


def train_to_file(examples: list[ex.Example], out: Path, version: str | None, c: float, min_count: int = 2) -> str:
    """Train, write the model file, return its version (`min_count`: see `fit.Options`)."""
    from streams.training.fit import Options, train  # needs the 'train' extra

    counts = Counter(e.source for e in examples)
    _say(", ".join(f"{source} {n}" for source, n in sorted(counts.items())))
    model = train(examples, "-", Options(c=c, min_count=min_count), progress=_say)
    version = version or version_of(model)
    out.write_bytes(dumps(replace(model, version=version)))
    _say(f"wrote {out} ({out.stat().st_size} bytes), version {version}")
    return version
