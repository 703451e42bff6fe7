"""Labelled examples for the text model: where each comes from, and which are kept for measuring.

Sources, each with a weight in training:
- the seed set the project wrote (package data `scoring/text/seed/*.jsonl`);
- the public labelled sets in the shared text data folder (MANIFEST.md there), of which one
  item in five, chosen by a hash of the text, is held out for measuring and never trained on;
- the `dev` split of the real quoted marketplace messages (the `test` split is read here only to
  keep its texts out of training, `measured`);
- reviewers' verdicts on escalations (`streams.training.verdicts`).

An example says which policies it shows (`positive`) and which it is known not to show
(`negative`); a policy in neither is unknown, and that example does not train it (a dismissed
payment escalation says nothing about harassment).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from scoring.text.types import KINDS, POLICIES

PUBLIC = (
    "sms_spam_uci", "smishing_mendeley", "youtube_spam_uci", "davidson_offensive",
    "bitext_support", "changelog_lines",
)
# Positives not trained on: most of the smishing set's "spam" and "smishing" rows read as
# everyday chat ("Ok i thk i got it. Then u wan me 2 come now or wat?"); its labels look shifted
# against its texts. Its "ham" rows (chat, bank and carrier notices) are kept as innocent text,
# but for those the UCI set, which it overlaps, labels spam (prize and premium-number spam, 276
# rows): those are not innocent, and are dropped.
UNRELIABLE_POSITIVES = frozenset({"smishing_mendeley"})
QUOTES = "marketplace_quotes"
# Public labels in the policy vocabulary. The offensive tweets are abusive language, mostly
# aimed at someone: the nearest policy is harassment (MANIFEST.md: "map it yourself").
PUBLIC_LABELS = {"spam_scam": "spam_scam", "offensive": "harassment"}
HELD_OUT = 5  # one public item in this many is held out


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    kind: str
    positive: frozenset[str]
    negative: frozenset[str]
    source: str

    def known(self, policy: str) -> bool:
        return policy in self.positive or policy in self.negative


def labelled(text: str, kind: str, labels: Iterable[str], source: str) -> Example:
    """An example fully labelled: its policies positive, every other policy negative."""
    positive = frozenset(label for label in labels if label in POLICIES)
    return Example(text, kind if kind in KINDS else "message", positive, frozenset(POLICIES) - positive, source)


def _folded(text: str) -> str:
    return " ".join(text.lower().split())


def held_out(text: str) -> bool:
    """Whether a public item is kept for measuring (a stable hash of its folded text)."""
    digest = hashlib.sha256(_folded(text).encode()).digest()
    return digest[0] % HELD_OUT == 0


def _lines(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip():
                obj = json.loads(line)
                if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                    raise ValueError(f"{path}:{number}: expected an object with a 'text' string")
                yield obj


def _labels(obj: dict[str, object]) -> list[str]:
    raw = obj.get("labels", [])
    return [str(label) for label in raw] if isinstance(raw, list) else []


def _positives_of_reliable(folder: Path) -> frozenset[str]:
    """Folded texts that a set with reliable labels marks positive."""
    return frozenset(
        _folded(str(obj["text"]))
        for name in PUBLIC if name not in UNRELIABLE_POSITIVES
        for obj in _lines(folder / f"{name}.jsonl")
        if any(x in PUBLIC_LABELS for x in _labels(obj))
    )


def public(folder: Path, measuring: bool) -> list[Example]:
    """The public sets: their training part, or (`measuring`) their held-out part."""
    out = []
    positive_elsewhere = _positives_of_reliable(folder)
    for name in PUBLIC:
        for obj in _lines(folder / f"{name}.jsonl"):
            text = str(obj["text"])
            content = _content(text, name)
            if not content or held_out(text) != measuring:
                continue  # nothing left to learn from, or kept for the other part
            labels = [PUBLIC_LABELS[x] for x in _labels(obj) if x in PUBLIC_LABELS]
            if labels and name in UNRELIABLE_POSITIVES and not measuring:
                continue
            if not labels and name in UNRELIABLE_POSITIVES and _folded(text) in positive_elsewhere:
                continue  # an innocent label another set contradicts
            out.append(_public_example(text if measuring else content, labels, name))
    return out


# What a tweet carries besides its words: retweet marks, handles, links, HTML entities.
_TWEET_MARKS = re.compile(r"\bRT\b|@\w+:?|https?://\S*|&#?\w+;")


def _content(text: str, source: str) -> str:
    """A public item's words as trained on: the offensive tweets without their register, which
    their positives carry five times as often as their innocent rows and marketplace text never."""
    return " ".join(_TWEET_MARKS.sub(" ", text).split()) if source == "davidson_offensive" else text


def _public_example(text: str, labels: list[str], source: str) -> Example:
    """A public item: innocent of every policy when the set calls it innocent; when the set marks
    it positive, known for that policy only. A set labels one policy: its spam may well ask for
    contact or payment ("call 0906..."), and its abuse may be spam; it says nothing of those."""
    example = labelled(text, "message", labels, source)
    return replace(example, negative=frozenset()) if example.positive else example


def quotes(folder: Path, split: str) -> list[Example]:
    """One split of the real quoted marketplace messages."""
    return [
        labelled(str(obj["text"]), str(obj.get("kind", "message")), _labels(obj), f"{QUOTES}:{split}")
        for obj in _lines(folder / f"{QUOTES}.jsonl")
        if obj.get("split") == split
    ]


def measured(folder: Path) -> frozenset[str]:
    """The folded texts kept for measuring: the public sets' held-out part and the quoted
    messages' `test` split. No other source (a reviewer's verdict) trains on them."""
    kept = {_folded(e.text) for e in public(folder, measuring=True)}
    kept.update(_folded(str(obj["text"])) for obj in _lines(folder / f"{QUOTES}.jsonl") if obj.get("split") == "test")
    return frozenset(kept)


def not_measured(examples: list[Example], folder: Path, excerpt: int = 500) -> list[Example]:
    """The examples whose text is not kept for measuring (`measured`), nor part of one: a
    verdict keeps at most `excerpt` characters of a longer text
    (`scoring.detectors.text.MAX_EXAMPLE_CHARS`)."""
    kept = measured(folder)
    longer = [t for t in kept if len(t) > excerpt]

    def is_measured(text: str) -> bool:
        folded = _folded(text)
        return folded in kept or (len(text) >= excerpt and any(folded in t for t in longer))

    return [e for e in examples if not is_measured(e.text)]


def seed() -> list[Example]:
    """The seed set the project wrote for the policies no public set covers."""
    folder = resources.files("scoring.text").joinpath("seed")
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".jsonl"):
            for line in entry.read_text(encoding="utf-8").splitlines():
                obj = json.loads(line) if line.strip() else {}
                # a text labelled in a context (an active contract, earlier messages) is not
                # labelled for the text alone
                if obj and not obj.get("context"):
                    out.append(labelled(obj["text"], obj.get("kind", "message"), obj["labels"], "seed"))
    return out
