"""The text stage: normalise once, gate once, run the detectors that have something to read."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from scoring.text import contact, feedback, harassment, payment, scam, split
from scoring.text.contact_details import PHONE_SHAPE, SPELLED_SHAPE
from scoring.text.gate import Gate, gate
from scoring.text.lexicon import (
    FAM_CONTACT,
    FAM_FEEDBACK,
    FAM_HARASS,
    FAM_PAY,
    FAM_SCAM,
    INSULT,
    MAILHOST,
    MESSENGER,
    PAY,
)
from scoring.text.normalize import Normalized, normalize
from scoring.text.types import KINDS, TextContext, TextHit

_DEFAULT = TextContext()
_SPLIT_MARKS = frozenset("0123456789@")
_HAS_DIGIT = re.compile(r"\d")


_PAY_NAMES = frozenset({PAY})
_CONTACT_NAMES = frozenset({MESSENGER, MAILHOST})
_INSULTS = frozenset({INSULT})


def _run(doc: Normalized, found: Gate, context: TextContext) -> list[TextHit]:
    hits: list[TextHit] = []
    families = found.families
    if found.has_any(FAM_PAY, _PAY_NAMES):
        hits += payment.detect(doc, found, context)
    if found.has_any(FAM_CONTACT, _CONTACT_NAMES) or doc.triggers & (PHONE_SHAPE | SPELLED_SHAPE):
        hits += contact.detect(doc, found, context)
    if families & FAM_FEEDBACK:
        hits += feedback.detect(doc, context)
    if found.has_any(FAM_HARASS, _INSULTS):
        hits += harassment.detect(doc, found, context)
    if families & FAM_SCAM:
        hits += scam.detect(doc, context)
    return hits


def _split_worth_trying(text: str, context: TextContext) -> bool:
    if not context.previous:
        return False
    head = text[:64].lower()
    return not _SPLIT_MARKS.isdisjoint(head) or " at " in f" {head}" or "dot" in head or "." in head


def detect_text(text: str, context: TextContext = _DEFAULT) -> tuple[TextHit, ...]:
    """All policy hits for one text, strongest first, one per (detector, span)."""
    if context.kind not in KINDS:
        raise ValueError(f"unknown text kind {context.kind!r}; expected one of {', '.join(KINDS)}")
    doc = normalize(text)
    hits = _run(doc, gate(doc), context)
    if _split_worth_trying(text, context):
        hits += split.detect(text, context)
    if not hits:
        return ()
    unique = {(h.detector, h.spans): h for h in hits}
    return tuple(sorted(unique.values(), key=lambda h: (-h.weight, h.spans, h.detector)))


def labels(hits: Iterable[TextHit]) -> list[str]:
    """Sorted unique policy ids of some hits."""
    return sorted({h.policy for h in hits})


def hit_to_dict(hit: TextHit) -> dict[str, Any]:
    """A JSON-ready view of one hit."""
    return {
        "policy": hit.policy,
        "detector": hit.detector,
        "weight": hit.weight,
        "spans": [[s, e] for s, e in hit.spans],
        "reason": hit.reason,
    }
