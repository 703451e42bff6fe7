"""Loading the labelled corpora under tests/corpus."""

import json
from pathlib import Path

from scoring.text import TextContext, detect_text, labels
from scoring.text.evaluate import Report, evaluate

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def load(name: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in (CORPUS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def context_of(item: dict[str, object]) -> TextContext:
    raw = dict(item.get("context") or {})  # type: ignore[call-overload]
    if "previous" in raw:
        raw["previous"] = tuple(raw["previous"])
    return TextContext(kind=str(item["kind"]), **raw)


def score(name: str) -> Report:
    pairs = [
        (list(item["labels"]), labels(detect_text(str(item["text"]), context_of(item))))  # type: ignore[call-overload]
        for item in load(name)
    ]
    return evaluate(pairs)
