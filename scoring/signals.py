"""Signals: what a detector saw, with the evidence a reviewer can check."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

# What a signal quotes is bounded, whatever the event held: its evidence is kept in the account's
# state, its Redis profile and every escalation that cites it (a 20 KB message quoted in full
# made a 221 KB escalation). Offsets still point into the original text.
REASON_MAX = 300  # characters of a reason
EXCERPT_MAX = 120  # characters of a span's text
SPANS_MAX = 5
COUNTERS_MAX = 8
ACCOUNTS_MAX = 20  # other accounts an evidence item names (a ring, a fan-out's recipients)
ELLIPSIS = "…"


_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp"})  # controls, format marks (bidi, zero-width), separators


def _code(char: str) -> str:
    point = ord(char)
    return f"\\u{point:04x}" if point <= 0xFFFF else f"\\U{point:08x}"


def shown(text: str) -> str:
    """`text` with each control, format mark (bidi, zero-width, tags) and line or paragraph
    separator written as its code point (`\\u202e`, `\\U000e0041`): a reason quoting a
    sender's text can then neither reorder nor hide the words around it."""
    if text.isprintable():  # none of them (the usual text)
        return text
    return "".join(_code(c) if unicodedata.category(c) in _HIDDEN else c for c in text)


def excerpt(text: str, limit: int) -> str:
    """`text`, or its first characters and an ellipsis when longer than `limit`."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


@dataclass(frozen=True, slots=True)
class Counter:
    """A windowed counter value that crossed a threshold."""

    name: str
    value: int
    window_s: int
    threshold: int


@dataclass(frozen=True, slots=True)
class Span:
    """A matched piece of an event's text, as offsets into the original text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class TextRef:
    """The text a text signal read (cut to a bound), its kind, and the model that read it: what a
    reviewer's verdict turns into a labelled example, unless it was flagged with the room's
    earlier messages (`with_earlier`: a detail split across them, a repeated ask), when a verdict
    says nothing of the text alone."""

    kind: str
    body: str
    model_version: str
    with_earlier: bool = False
    offset: int = 0  # where `body` starts in the text (cut from a longer one): the spans count from 0 there


@dataclass(frozen=True, slots=True)
class Signal:
    policy: str
    detector: str
    weight: float
    reason: str
    event_id: str
    ts: int
    counters: tuple[Counter, ...] = ()
    spans: tuple[Span, ...] = ()
    text: TextRef | None = None
    # the name a finding that can be withdrawn has in the account's findings (a poor record, a
    # risky client, a ring): the id of the escalation published for it is kept under it
    finding: str = ""
    # the other accounts it links this one to, for a reviewer to open (the reason names them too,
    # but a reason is cut to its bound)
    accounts: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = {
            "policy": self.policy,
            "detector": self.detector,
            "weight": round(self.weight, 4),
            "reason": excerpt(shown(self.reason), REASON_MAX),
            "event_id": self.event_id,
            "ts": self.ts,
            "counters": [
                {"name": c.name, "value": c.value, "window_s": c.window_s, "threshold": c.threshold}
                for c in self.counters[:COUNTERS_MAX]
            ],
            "spans": [{"start": s.start, "end": s.end, "text": excerpt(s.text, EXCERPT_MAX)}
                      for s in self.spans[:SPANS_MAX]],
        }
        if self.accounts:
            out["accounts"] = list(self.accounts[:ACCOUNTS_MAX])
        if self.text is not None:
            text: dict[str, object] = {"kind": self.text.kind, "body": self.text.body,
                                       "model_version": self.text.model_version}
            if self.text.with_earlier:
                text["with_earlier"] = True
            if self.text.offset:
                text["offset"] = self.text.offset
            out["text"] = text
        return out


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """A standing finding made before an earlier event arrived that the reading in event time,
    with that event in its place, does not make: its escalation is withdrawn."""

    policy: str
    detector: str
    weight: float  # the finding's
    finding: str  # its name (`Signal.finding`)
    reason: str  # why, in plain words
    event_id: str  # the event received late
    ts: int

    def to_dict(self) -> dict[str, Any]:
        """The record withdrawing a finding published without an escalation (a shadow rule's)."""
        return {"withdraws": self.finding, "policy": self.policy, "detector": self.detector,
                "reason": excerpt(self.reason, REASON_MAX), "event_id": self.event_id, "ts": self.ts}
