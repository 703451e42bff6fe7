"""CPU time of the text stage per text, on a mix of chat and public texts, for any checkout.

Run: python bench/text_cost.py [--root CHECKOUT] [--texts 20000]

`--root` points at another checkout (an older commit, say) so that two versions are measured
alternately in one session with the same texts: half the chat mix of bench/text_bench.py,
half SMS, comments and support questions from the public sets (when present).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
PUBLIC = HERE.parent / "shared" / "textdata"


def corpus(root: Path, count: int) -> list[str]:
    sys.path.insert(0, str(root / "bench"))
    from text_bench import messages

    public = [json.loads(line)["text"] for name in ("sms_spam_uci", "bitext_support", "youtube_spam_uci")
              if (PUBLIC / f"{name}.jsonl").is_file()
              for line in (PUBLIC / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
    rng = random.Random(3)
    half = count // 2 if public else count
    return messages(half) + [rng.choice(public) for _ in range(count - half)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=HERE)
    parser.add_argument("--texts", type=int, default=20_000)
    args = parser.parse_args()
    sys.path.insert(0, str(args.root))
    from scoring.text import detect_text

    texts = corpus(args.root, args.texts)
    detect_text(texts[0])
    runs = []
    for _ in range(3):
        start = time.process_time()
        for text in texts:
            detect_text(text)
        runs.append((time.process_time() - start) / len(texts) * 1e6)
    print(f"{args.root}: text stage {statistics.median(runs):.1f} µs/text CPU (median of 3: "
          + ", ".join(f"{r:.1f}" for r in runs) + f"; {len(texts)} texts)")


if __name__ == "__main__":
    main()
