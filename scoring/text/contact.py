"""off_platform_contact: moving the conversation off the platform before a contract.

Concrete details (addresses, numbers, handles, contact links) fire unless they are
placeholders, part of a technical discussion, or reported speech. Messenger names fire
with contact intent or when disguised; "same name on the green app" style euphemisms and
"let's talk outside Upwork" fire on their own. Nothing fires when the context allows
sharing contact details (contract started, Direct Contract).
"""

from __future__ import annotations

from scoring.text import contact_details, negation
from scoring.text import contact_words as wording
from scoring.text.contact_details import Detail
from scoring.text.gate import Gate
from scoring.text.lexicon import MAILHOST, MESSENGER
from scoring.text.normalize import Normalized
from scoring.text.types import OFF_PLATFORM_CONTACT, TextContext, TextHit

_WEIGHTS = {
    "contact_email": 0.9,
    "contact_email_spelled": 0.95,
    "contact_phone": 0.85,
    "contact_phone_spelled": 0.95,
    "contact_handle": 0.9,
    "contact_link": 0.8,
}


def _hit(doc: Normalized, detector: str, weight: float, start: int, end: int, reason: str) -> TextHit:
    return TextHit(OFF_PLATFORM_CONTACT, detector, weight, (doc.orig_span(start, end),), reason)


def _tech(norm: str, start: int, end: int) -> bool:
    """Technical talk around the detail, which is not the speaker's own given as such."""
    if wording.OWN_DETAIL.search(norm, max(0, start - 40), start):
        return False
    lo, hi = negation.sentence(norm, start, end)
    around = norm[lo:start], norm[end:hi]
    return any(wording.TECH.test(part) or wording.CODE.test(part) for part in around)


def detail_ok(norm: str, detail: Detail) -> bool:
    """A concrete detail counts unless technical, reported or quoted."""
    if _tech(norm, detail.start, detail.end):
        return False
    return not (negation.refused(norm, detail.start, detail.end) or negation.quoted(norm, detail.start, detail.end))


def _details(doc: Normalized, gate: Gate) -> list[TextHit]:
    hits: list[TextHit] = []
    for detail in contact_details.all_details(doc.norm, gate.digit_words, doc.triggers):
        if detail.detector == "contact_link" or detail_ok(doc.norm, detail):
            shown = doc.text[slice(*doc.orig_span(detail.start, detail.end))]
            hits.append(
                _hit(
                    doc,
                    detail.detector,
                    _WEIGHTS[detail.detector],
                    detail.start,
                    detail.end,
                    f"shares {detail.what}: '{shown}'",
                )
            )
    return hits


def _sites(doc: Normalized) -> list[TextHit]:
    hits: list[TextHit] = []
    if not wording.PERSONAL_SITE.gated(doc.triggers):
        return hits
    for detail in contact_details.urls(doc.norm, doc.triggers):
        lo, hi = negation.sentence(doc.norm, detail.start, detail.end)
        if wording.PERSONAL_SITE.test(doc.norm[lo:hi]) and not negation.suppressed(doc.norm, detail.start, detail.end):
            hits.append(
                _hit(
                    doc,
                    "contact_personal_site",
                    0.65,
                    detail.start,
                    detail.end,
                    "points to a personal site for contact",
                )
            )
    return hits


def _mention_hit(doc: Normalized, name: str, start: int, end: int, obfuscated: bool) -> TextHit | None:
    norm = doc.norm
    if _tech(norm, start, end) or negation.suppressed(norm, start, end):
        return None
    shown = doc.text[slice(*doc.orig_span(start, end))]
    lo, hi = negation.clause(norm, start, end)
    if obfuscated:
        return _hit(
            doc, "contact_messenger_obfuscated", 0.8, start, end, f"names {name} in disguised spelling '{shown}'"
        )
    if wording.INTENT.test(norm[lo:start]) or wording.INTENT.test(norm[end:hi]):
        return _hit(doc, "contact_messenger", 0.75, start, end, f"invites contact on {name}")
    return None


def _mentions(doc: Normalized, gate: Gate) -> list[TextHit]:
    named = [n for n in gate.names if n.kind in (MESSENGER, MAILHOST)]
    hits = [_mention_hit(doc, n.name, n.start, n.end, n.obfuscated) for n in named if n.kind == MESSENGER]
    for match in wording.WORD_MESSENGERS.scan(doc.norm, doc.triggers):
        lo, hi = negation.clause(doc.norm, match.start, match.end)
        if (
            wording.MESSENGER_INTENT.test(doc.norm[lo:hi])
            and not negation.suppressed(doc.norm, match.start, match.end)
            and not _tech(doc.norm, match.start, match.end)
        ):
            hits.append(
                _hit(doc, "contact_messenger", 0.7, match.start, match.end, f"invites contact on {match.groups[0]}")
            )
    return [h for h in hits if h is not None]


_ASK = "asks to continue contact off the platform"


def _phrases(doc: Normalized) -> list[TextHit]:
    hits: list[TextHit | None] = []
    for rx, detector, weight, reason in (
        (wording.EUPHEMISM, "contact_euphemism", 0.8, "hints at an outside messenger"),
        (wording.REQUEST, "contact_request", 0.75, _ASK),
    ):
        hits += [_phrase(doc, detector, weight, reason, m.start, m.end) for m in rx.scan(doc.norm, doc.triggers)]
    for m in wording.ASKED_DETAIL.scan(doc.norm, doc.triggers):
        end = m.end - len(next(g for g in m.groups if g is not None))  # what ends the ask: not evidence
        if _asked(doc.norm, m.start, end):
            hits.append(_phrase(doc, "contact_request", 0.75, _ASK, m.start, end))
    return [h for h in hits if h is not None]


def _asked(norm: str, start: int, end: int) -> bool:
    """Whether the words are an ask made: not the speaker's own act ("should I leave your number on
    the card?"), a question about one made ("did you leave your number?"), or quoted ("translate
    'leave your number'")."""
    lo, _ = negation.clause(norm, start, end)
    return not wording.NOT_ASKED.test(norm[max(lo, start - 40):start]) and not negation.quoted(norm, start, end)


def _phrase(doc: Normalized, detector: str, weight: float, reason: str, start: int, end: int) -> TextHit | None:
    """A phrase's hit, unless negated or refused, or in software talk."""
    if negation.suppressed(doc.norm, start, end) or _tech(doc.norm, start, end):
        return None
    shown = doc.text[slice(*doc.orig_span(start, end))]
    return _hit(doc, detector, weight, start, end, f"{reason}: '{shown}'")


def detect(doc: Normalized, gate: Gate, context: TextContext) -> list[TextHit]:
    """Contact hits for one text."""
    if context.contact_allowed or context.direct_contract:
        return []
    return _details(doc, gate) + _sites(doc) + _mentions(doc, gate) + _phrases(doc)
