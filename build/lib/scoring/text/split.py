"""Contact details split across consecutive messages of one sender ("john.smith" / "@gmail.com").

The sender's recent messages are joined to the current one and searched for concrete
details; a detail counts only when it starts in an earlier message and ends in the current
one, so each message is blamed once and details wholly inside one message are left to it.
"""

from __future__ import annotations

from scoring.text import contact, contact_details
from scoring.text.gate import gate
from scoring.text.normalize import normalize
from scoring.text.types import OFF_PLATFORM_CONTACT, TextContext, TextHit

_KEEP = 4
_TAIL = 300


def _joined(previous: tuple[str, ...], text: str) -> tuple[str, int]:
    head = " ".join(p[-_TAIL:] for p in previous[-_KEEP:]) + " "
    return head + text, len(head)


def detect(text: str, context: TextContext) -> list[TextHit]:
    """Split-message contact hits; spans are clipped to the current text."""
    if not context.previous or context.contact_allowed or context.direct_contract:
        return []
    joined, offset = _joined(context.previous, text)
    doc = normalize(joined)
    hits: list[TextHit] = []
    for detail in contact_details.all_details(doc.norm, gate(doc).digit_words, doc.triggers):
        start, end = doc.orig_span(detail.start, detail.end)
        if start >= offset or end <= offset or not contact.detail_ok(doc.norm, detail):
            continue
        reason = f"shares {detail.what} split across messages: '{joined[start:end]}'"
        hits.append(TextHit(OFF_PLATFORM_CONTACT, "contact_split", 0.85, ((0, end - offset),), reason))
    return hits
