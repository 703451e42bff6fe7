"""Loading the labelled corpora under tests/corpus."""

import json
from pathlib import Path

from scoring.text import TextContext, detect_text, labels
from scoring.text.evaluate import Report, evaluate

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
# The project's own development corpus is part of the text model's seed set.
SEED = Path(__file__).resolve().parents[3] / "scoring" / "text" / "seed"


def load(name: str) -> list[dict[str, object]]:
    path = SEED / "project.jsonl" if name == "text_dev.jsonl" else CORPUS / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


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
