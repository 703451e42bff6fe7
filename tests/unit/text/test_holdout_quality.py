"""Quality bars on the project's held-out corpus (never trained or tuned on) and sanity of both
corpora. The development corpus is part of the text model's seed set: a training set, so no
quality is measured on it here (bench/text_quality.py measures on text nobody here wrote)."""

import pytest

from scoring.text.types import KINDS, POLICIES
from streams.training import examples
from tests.unit.text.corpus import load, score

FILES = ("text_dev.jsonl", "text_holdout.jsonl", "negation_probe.jsonl", "refusal_probe.jsonl")


@pytest.mark.parametrize("name", FILES)
def test_corpus_well_formed(name: str) -> None:
    items = load(name)
    assert len({i["id"] for i in items}) == len(items)
    for item in items:
        assert item["kind"] in KINDS
        assert set(item["labels"]) <= set(POLICIES)  # type: ignore[arg-type]
        assert item["note"]
        if name == "refusal_probe.jsonl":
            assert item["half"] in ("tune", "measure")


def test_corpora_do_not_share_texts() -> None:
    dev = {i["text"] for i in load("text_dev.jsonl")} | {ex.text for ex in examples.seed()}
    assert not dev & {i["text"] for i in load("text_holdout.jsonl")}
    assert not dev & {i["text"] for i in load("negation_probe.jsonl")}
    assert not dev & {i["text"] for i in load("refusal_probe.jsonl")}


def test_holdout_quality() -> None:
    report = score("text_holdout.jsonl")
    print("\n" + report.table())
    assert report.macro_f1 >= 0.85
    assert report.innocent_flag_rate <= 0.10
    for policy_score in report.scores:
        assert policy_score.f1 >= 0.8, policy_score.policy


def test_negation_probe_quality() -> None:
    """Negated violations and innocent negations (`tests/corpus/negation_probe.jsonl`): a floor
    under what the text stage reads there (macro 0.80, 17% of innocents flagged, 2026-12-06)."""
    report = score("negation_probe.jsonl")
    print("\n" + report.table())
    assert report.macro_f1 >= 0.75
    assert report.innocent_flag_rate <= 0.20
