"""Throughput of the text stage over a realistic chat mix, and worst-case time on hostile inputs.

Run: python bench/text_bench.py
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scoring.text import detect_text  # noqa: E402

INNOCENT = [
    "Hi {name}, thanks for the invite! I had a look at the brief and I can start on {day}. Quick question: do you "
    "already have the brand colours, or should I propose a palette?",
    "Sounds good. I pushed the fix for the login redirect to the staging branch, could you check it when you have a "
    "minute? The tests are green on my side.",
    "Thanks for the payment, really appreciate it. I'll send the next batch of {n} product descriptions by {day}.",
    "No worries about the delay. I reviewed the mockups and left comments on pages 2 and 5; the rest looks great.",
    "Could you share the admin access to the WordPress site? I need to update the plugin before the migration.",
    "I've attached the revised logo in three sizes. Let me know which version you prefer and I'll prepare the files.",
    "The API returns a 500 when the cart is empty, I added a guard and a unit test, deploying in {n} minutes.",
    "Good morning! Just a heads-up that I'll be offline on {day} for a family event, back Tuesday.",
    "The invoice for milestone {n} is submitted on Upwork, thanks again for the smooth collaboration.",
    "I can do the translation for $0.08 per word, delivery in {n} days, with one free revision round.",
    "We need to integrate the PayPal API into the checkout, can you estimate how long it takes?",
    "If you're happy with the result, feedback is appreciated. Thanks!",
    "this damn build keeps failing on CI, looking into it now 😅",
    "Our app is a Skype clone for clinics; the video module needs a rewrite.",
]
RISKY = [
    "can you pay me via p@yp@l? the fees here are too high",
    "email me at {name}.dev{n} at gmail dot com",
    "my whatsapp is +1 917 555 {n}{n}",
    "please leave me 5 stars, I'll do the revisions for free",
    "you are an idiot, I will find you",
    "Please add our HR on Telegram @hr_{name} for an interview",
]
NAMES = ["anna", "mark", "li", "priya", "tom", "sara"]
DAYS = ["Monday", "Friday", "tomorrow", "next week"]

ADVERSARIAL = {
    "'p a y ' * 200000": "p a y " * 200000,
    "'a@' * 500000": "a@" * 500000,
    "digits with separators": "1 2-3." * 200000,
    "'paypal ' * 150000": "paypal " * 150000,
    "spelled digits": "one two " * 130000,
    "'you idiot ' * 100000": "you idiot " * 100000,
    "no separators '1' * 1e6": "1" * 1_000_000,
    # Beyond ASCII: a fold per character, and offsets that shift when one folds to none or several.
    "Cyrillic look-alikes": "рау ра1 " * 125000,
    "Cyrillic words": "привет как дела " * 62500,
    "Greek look-alikes": "ραγ ρα1 " * 125000,
    "one emoji * 1e6": "😀" * 1_000_000,
    "emoji between words": "ok 😀 " * 200000,
    "ligature 'ﬁ' * 1e6": "ﬁ" * 1_000_000,
    "'ß' * 1e6": "ß" * 1_000_000,
    "ligatures in words": "ﬁne ﬂow " * 125000,
    "zero-width interleaved": "p\u200ba\u200by " * 166666,
    "zero-width only": "\u200b" * 1_000_000,
    "full-width letters": "ｐａｙ ｐａｌ " * 125000,
    "full-width digits": "１２３ ４５６ " * 125000,
    "accented words": "café résumé " * 83333,
    "combining accents": "e\u0301" * 500000,
    "CJK": "你好世界" * 250000,
    "all of them mixed": "pаy ｐａｌ ﬁ ß 😀 \u200b é " * 55555,
}


def messages(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        pool = RISKY if rng.random() < 0.05 else INNOCENT
        out.append(rng.choice(pool).format(name=rng.choice(NAMES), day=rng.choice(DAYS), n=rng.randint(2, 99)))
    return out


def throughput(batch: list[str]) -> float:
    start = time.perf_counter()
    for text in batch:
        detect_text(text)
    return len(batch) / (time.perf_counter() - start)


def main() -> None:
    batch = messages(20000)
    detect_text(batch[0])  # warm caches and compiled patterns
    rates = [throughput(batch) for _ in range(5)]
    mean_len = statistics.mean(len(t) for t in batch)
    print(
        f"text stage: {statistics.median(rates):,.0f} messages/s (median of 5, {len(batch)} msgs, "
        f"mean {mean_len:.0f} chars)"
    )
    for name, text in ADVERSARIAL.items():
        times = []
        for _ in range(3):
            start = time.perf_counter()
            detect_text(text)
            times.append(time.perf_counter() - start)
        worst = max(times) * 1000
        print(f"adversarial {name:28} {len(text) / 1e6:.1f} MB: {worst:6.1f} ms {'ok' if worst < 50 else 'SLOW'}")


if __name__ == "__main__":
    main()
