"""The tuning measure for the text stage: a model trained without `marketplace_quotes` `dev`,
the whole pipeline (patterns and model) read on `dev`.

Run: python bench/text_proxy.py [--public DIR] [--model FILE] [--reuse] [--show-misses]

Trains on what `riskscorer train-text` trains on but `dev` (the seed set and the public sets'
training part; no verdicts), writes the model to `--model`, then prints per-policy precision,
recall and F1 and the innocent texts flagged on `dev`, and the innocent texts flagged in each
public set's held-out part. `--reuse` reads the model written before instead of training (1-4
minutes). `--show-misses` prints `dev`'s misses and false alarms; `test` is never read here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from text_quality import model_labels, report  # noqa: E402

from scoring.text.model import dumps, loads  # noqa: E402
from streams.training import examples as ex  # noqa: E402
from streams.training.command import DEFAULT_PUBLIC  # noqa: E402


def _say(line: str) -> None:
    print(f"  train: {line}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--public", type=Path, default=DEFAULT_PUBLIC)
    parser.add_argument("--model", type=Path, default=Path("/tmp/text-proxy-model.json.gz"))
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    if not args.reuse:
        from streams.training.fit import train  # needs the 'train' extra

        args.model.write_bytes(dumps(train(ex.seed() + ex.public(args.public, measuring=False), "proxy",
                                           progress=_say)))
    predict = model_labels(loads(args.model.read_bytes()))
    dev = ex.quotes(args.public, "dev")
    print(f"## marketplace_quotes dev ({len(dev)} items), model trained without it")
    print(report(dev, predict, args.show_misses).table())
    held = ex.public(args.public, measuring=True)
    for source in ex.PUBLIC:
        rep = report([e for e in held if e.source == source], predict)
        print(f"{source} held out: innocent flagged {rep.innocent_flagged}/{rep.innocent}")


if __name__ == "__main__":
    main()
