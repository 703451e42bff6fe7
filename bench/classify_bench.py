"""`riskscorer classify` end to end: JSONL in and out through the command, startup included.

Run: python bench/classify_bench.py [--messages 100000] [--runs 3]

The input mixes the realistic chat of bench/text_bench.py (95% innocent, 5% risky) with the
public sets' texts (SMS, comments, support questions, changelog lines) when they are present,
half and half, so that cached word shapes do not flatter the figure.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from text_bench import messages  # noqa: E402

from streams.training.command import DEFAULT_PUBLIC  # noqa: E402

PUBLIC = ("sms_spam_uci", "youtube_spam_uci", "bitext_support", "changelog_lines")


def corpus(count: int) -> list[str]:
    texts = messages(count)
    public = [json.loads(line)["text"] for name in PUBLIC if (DEFAULT_PUBLIC / f"{name}.jsonl").is_file()
              for line in (DEFAULT_PUBLIC / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
    if public:
        rng = random.Random(11)
        texts = texts[: count // 2] + [rng.choice(public) for _ in range(count - count // 2)]
    return texts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        src.write_text("".join(json.dumps({"id": str(i), "kind": "message", "text": t}) + "\n"
                               for i, t in enumerate(corpus(args.messages))), encoding="utf-8")
        rates = []
        for _ in range(args.runs):
            start = time.perf_counter()
            with src.open("rb") as fin, (Path(tmp) / "out.jsonl").open("wb") as fout:
                subprocess.run([sys.executable, "-m", "streams", "classify"], stdin=fin, stdout=fout, check=True,
                               cwd=ROOT)
            rates.append(args.messages / (time.perf_counter() - start))
        lines = (Path(tmp) / "out.jsonl").read_text(encoding="utf-8").count("\n")
    assert lines == args.messages, f"{lines} lines out for {args.messages} in"
    print(f"classify end to end: {statistics.median(rates):,.0f} messages/s (median of {args.runs}: "
          + ", ".join(f"{r:,.0f}" for r in rates) + f"; {args.messages} messages, startup included)")


if __name__ == "__main__":
    main()
