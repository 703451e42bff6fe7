"""off_platform_payment: asking to be paid outside the platform.

Fires on a payment provider named with payment intent in the same sentence, on an
obfuscated provider name (nobody writes ``p@yp@l`` innocently), on "pay me directly" /
"outside Upwork" phrasing, and on fee-avoidance talk. Stays quiet for integration work
(``PayPal API``), withdrawals from the platform, refusals and reported offers.
"""

from __future__ import annotations

import re

from scoring.text import negation
from scoring.text import payment_words as wording
from scoring.text.gate import Gate, NameHit
from scoring.text.lexicon import PAY
from scoring.text.normalize import Normalized
from scoring.text.types import OFF_PLATFORM_PAYMENT, TextContext, TextHit


def _hit(doc: Normalized, detector: str, weight: float, start: int, end: int, reason: str) -> TextHit:
    return TextHit(OFF_PLATFORM_PAYMENT, detector, weight, (doc.orig_span(start, end),), reason)


def _innocent_context(norm: str, start: int, end: int) -> bool:
    lo, hi = negation.sentence(norm, start, end)
    if wording.TECH.test(norm[max(lo, start - 60) : start]) or wording.TECH.test(norm[end : min(hi, end + 60)]):
        return True
    found = wording.PLATFORM_WITHDRAW.search(norm[lo:hi])
    if found is None or negation.asks(norm[lo:hi]):  # "5 years on Upwork, but pay me via PayPal"
        return False
    return not wording.NOT_PLATFORM.test(norm[max(lo, lo + found.start - 14) : lo + found.start])


def _asks_for_theirs(norm: str, start: int) -> bool:
    """ "send me your PayPal details": the other party's account, to pay or be paid outside."""
    return wording.YOURS.test(norm[max(0, start - 30) : start])


# A provider's name used as the verb ("just cashapp me 40", "I'll Revolut you 70%", "can you venmo
# us"): after a subject, an auxiliary or "just", "please", or opening the sentence before "me"; not
# "the PayPal you set up", "the Zelle you designed", "Apple Pay you'll need".
_AS_VERB = re.compile(r"\s+(me|you|u|us)\b(?!['\u2019])")
_VERB_BEFORE = re.compile(
    r"\b(?:i|we|you|u|i'?ll|ill|we'?ll|will|can|could|just|pls|plz|please|then|gonna|and|or|n)\s+$")


def _as_verb(norm: str, start: int, end: int, lo: int) -> bool:
    after = _AS_VERB.match(norm, end)
    if after is None:
        return False
    before = norm[lo:start]
    return _VERB_BEFORE.search(before) is not None or (not before.strip() and after.group(1) == "me")


def _intent(norm: str, start: int, end: int, lo: int, hi: int) -> bool:
    if wording.INTENT.test(norm[lo:start]) or wording.INTENT.test(norm[end:hi]) or _as_verb(norm, start, end, lo):
        return True
    return hi - lo < 40 and "?" in norm[end : hi + 2]


def _provider_hit(doc: Normalized, name: str, start: int, end: int, obfuscated: bool) -> TextHit | None:
    norm = doc.norm
    # Cheapest first: integration talk is the usual innocent reason to name a provider.
    if _innocent_context(norm, start, end) or negation.suppressed(norm, start, end):
        return None
    lo, hi = negation.sentence(norm, start, end)
    shown = doc.text[slice(*doc.orig_span(start, end))]
    if _asks_for_theirs(norm, start):  # their account itself, not a name or a screenshot of it
        if not wording.ACCOUNT_NOUN.test(norm[start : end + 30]):
            return None
        return _hit(doc, "payment_provider_intent", 0.8, start, end,
                    f"asks for the other party's {name} details, to pay or be paid outside the platform")
    if _intent(norm, start, end, lo, hi):
        extra = f" (obfuscated as '{shown}')" if obfuscated else ""
        weight = 0.9 if obfuscated else 0.8
        return _hit(doc, "payment_provider_intent", weight, start, end,
                    f"asks to pay or be paid via {name}{extra}")
    if obfuscated:
        return _hit(
            doc, "payment_provider_obfuscated", 0.7, start, end, f"names {name} in disguised spelling '{shown}'"
        )
    return None


# the words before a provider that its phrase matches with ("by bank", "to my wise"), not part of its name
_LEADING = re.compile(r"^(?:(?:via|through|thru|by|with|on|to|using|use|have|in|accept)\s+)?(?:(?:my|your)\s+)?")


def _word_provider_names(doc: Normalized, names: tuple[NameHit, ...]) -> list[tuple[str, int, int, bool]]:
    taken = [(n.start, n.end) for n in names]
    found: list[tuple[str, int, int, bool]] = []
    for match in wording.WORD_PROVIDERS.scan(doc.norm, doc.triggers):
        if not any(s < match.end and match.start < e for s, e in taken):
            found.append((_LEADING.sub("", match.groups[0] or ""), match.start, match.end, False))
    return found


def _providers(doc: Normalized, gate: Gate) -> list[TextHit]:
    names = gate.names_of(PAY)
    candidates = [(n.name, n.start, n.end, n.obfuscated) for n in names]
    candidates += _word_provider_names(doc, names)
    hits = (_provider_hit(doc, *c) for c in candidates)
    return [h for h in hits if h is not None]


def _moved(norm: str, start: int, end: int) -> bool:
    """A direct payment or a sale in one's own shop that is asked for: not refused or negated, not
    about building a shop, not the platform's own way."""
    if negation.suppressed(norm, start, end) or negation.quoted(norm, start, end):
        return False
    lo, hi = negation.sentence(norm, start, end)
    return not wording.TECH.test(norm[lo:hi]) and not wording.PLATFORM_WITHDRAW.test(norm[lo:hi])


def _phrases(doc: Normalized) -> list[TextHit]:
    hits: list[TextHit] = []
    norm = doc.norm
    for match in wording.DIRECT.scan(norm, doc.triggers):
        if not negation.suppressed(norm, match.start, match.end):
            reason = (
                f"asks to move payment off the platform ('{doc.text[slice(*doc.orig_span(match.start, match.end))]}')"
            )
            hits.append(_hit(doc, "payment_direct", 0.8, match.start, match.end, reason))
    for rx in (wording.DIRECTLY, wording.OWN_STORE):
        for match in rx.scan(norm, doc.triggers):
            if _moved(norm, match.start, match.end):
                shown = doc.text[slice(*doc.orig_span(match.start, match.end))]
                hits.append(_hit(doc, "payment_direct", 0.8, match.start, match.end,
                                 f"asks to move payment off the platform ('{shown}')"))
    for match in wording.FEES.scan(norm, doc.triggers):
        lo, hi = negation.sentence(norm, match.start, match.end)
        if not negation.suppressed(norm, match.start, match.end) and not wording.EXEMPT_FEES.test(norm[lo:hi]):
            hits.append(
                _hit(doc, "payment_fee_avoidance", 0.75, match.start, match.end, "proposes to avoid the platform fees")
            )
    return hits


def detect(doc: Normalized, gate: Gate, context: TextContext) -> list[TextHit]:
    """Payment hits for one text."""
    if context.direct_contract:
        return []
    return _providers(doc, gate) + _phrases(doc)
