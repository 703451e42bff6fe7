"""Quality of the text stage on text it was not trained on, and on what it was, said apart.

Run: python bench/text_quality.py [--model FILE] [--public DIR] [--show-misses]

- `marketplace_quotes` `test` split: real quoted marketplace messages, never trained or tuned on;
- the public sets' held-out fifth (`streams.training.examples.held_out`): SMS spam and
  smishing, YouTube spam, offensive tweets (read as harassment), support questions and changelog
  lines (innocent: their false alarms);
- the project's own held-out corpus (`tests/corpus/text_holdout.jsonl`), and its negation probe
  (`tests/corpus/negation_probe.jsonl`: innocent texts that negate, refuse, deny or report
  violation words, and violations that hold negations; written from DOMAIN.md by someone who had
  not read the code; a measure, never tuned on), and its refusal probe
  (`tests/corpus/refusal_probe.jsonl`: payment and contact asks, and innocent texts sharing their
  words, written the same way; its `tune` half was read to try rules, its `measure` half only
  measured);
- for contrast, `marketplace_quotes` `dev` (trained on) and the pattern stage alone.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring.text.detect import analyze, read  # noqa: E402
from scoring.text.evaluate import Report, evaluate  # noqa: E402
from scoring.text.model import TextModel, loads, packaged  # noqa: E402
from scoring.text.types import TextContext  # noqa: E402
from streams.training import examples as ex  # noqa: E402
from streams.training.command import DEFAULT_PUBLIC  # noqa: E402
from tests.unit.text.corpus import context_of, load  # noqa: E402

Predict = Callable[[str, TextContext], list[str]]


def model_labels(model: TextModel) -> Predict:
    return lambda text, ctx: sorted({h.policy for h in analyze(text, ctx, model).hits})


def pattern_labels(text: str, ctx: TextContext) -> list[str]:
    return sorted({h.policy for h in read(text, ctx)[0]})


def report(items: Sequence[ex.Example], predict: Predict, misses: bool = False) -> Report:
    pairs = []
    for item in items:
        got = predict(item.text, TextContext(kind=item.kind))
        pairs.append((sorted(item.positive), got))
        if misses and got != sorted(item.positive):
            print(f"    gold {sorted(item.positive)} got {got}: {item.text[:120]!r}")
    return evaluate(pairs)


def holdout_corpus(predict: Predict, name: str = "text_holdout.jsonl", half: str | None = None) -> Report:
    return evaluate((list(i["labels"]), predict(str(i["text"]), context_of(i)))  # type: ignore[call-overload]
                    for i in load(name) if half is None or i.get("half") == half)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--public", type=Path, default=DEFAULT_PUBLIC)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    model = loads(args.model.read_bytes()) if args.model else packaged()
    predict = model_labels(model)
    print(f"model {model.version}; thresholds " + ", ".join(
        f"{p} {t:.2f}" for p, t in zip(model.policies, model.thresholds, strict=True)))
    test = ex.quotes(args.public, "test")
    print(f"\n## marketplace_quotes test ({len(test)} items, never trained or tuned on)")
    print(report(test, predict, args.show_misses).table())
    print("\n  pattern stage alone:")
    print(report(test, pattern_labels).table())
    held = ex.public(args.public, measuring=True)
    for source in ex.PUBLIC:
        items = [e for e in held if e.source == source]
        rep = report(items, predict)
        positives = [s for s in rep.scores if s.tp + s.fn]
        line = "; ".join(f"{s.policy} P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f}" for s in positives)
        print(f"\n## {source} held out ({len(items)} items): innocent flagged {rep.innocent_flagged}/{rep.innocent}"
              f" = {rep.innocent_flag_rate:.4f}" + (f"; {line}" if line else ""))
    print("\n## project held-out corpus (tests/corpus/text_holdout.jsonl)")
    print(holdout_corpus(predict).table())
    print("\n## project negation probe (tests/corpus/negation_probe.jsonl)")
    print(holdout_corpus(predict, "negation_probe.jsonl").table())
    for half in ("measure", "tune"):
        print(f"\n## project refusal probe, {half} half (tests/corpus/refusal_probe.jsonl)")
        print(holdout_corpus(predict, "refusal_probe.jsonl", half).table())
    dev = ex.quotes(args.public, "dev")
    print(f"\n## marketplace_quotes dev ({len(dev)} items, trained on: not a measure)")
    print(report(dev, predict).table())


if __name__ == "__main__":
    main()
