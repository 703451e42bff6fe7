"""A flagged policy in plain words: which family carried it, the pattern that fired, the words
that added most to the model's score, each with its span in the original text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from scoring.text.disown import lowered
from scoring.text.families import CONTACT_PAYMENT, MEANING, PATTERN_FAMILY, SCAM_CONTACT, WORDING_FAMILY
from scoring.text.features import Feature
from scoring.text.model import TextModel
from scoring.text.types import OFF_PLATFORM_CONTACT, OFF_PLATFORM_PAYMENT, Span, TextHit

# Patterns that flag by themselves: what they see spans the sender's earlier messages (a detail
# split across them, a request repeated, unanswered pestering), which no single text the model
# was trained on can show.
EXACT = frozenset({"contact_split", "feedback_repeat_request", "harassment_pestering", "scam_phishing"})
# Patterns that flag by themselves too: their wording is the violation (an account to rent, work
# asked for free, a prize won, a hardship told beside a way to pay outside, another's account
# worked by remote control; a bad review disowned while money is asked back), and none fires on an
# innocent text of the seed or public sets. The model, trained mostly on SMS spam and on short
# requests for ratings, scores such chat low for lack of their words.
SELF_EVIDENT = frozenset({"scam_account_rent", "scam_free_work", "scam_prize", "scam_hardship_payment",
                          "scam_remote_account", "feedback_veiled_threat"})
# Patterns that flag by themselves as well: each names its act in full (a disguised insult, legal
# action threatened at the other party, a rating swapped or withheld, a messenger or provider spelt
# to slip past a filter), and none fires on an innocent text of the seed or public sets, where the
# model, reading the words around them ("email", "later"), may score them low. Threats, a lawyer
# sent and spelt-out numbers stay with the model: "your family will love the design", "my lawyer
# will call you about the NDA" and a count from one to ten match them too.
WHOLE_ACT = frozenset({"harassment_disguised_insult", "harassment_legal_action", "feedback_swap",
                       "feedback_reciprocal", "feedback_withhold", "contact_messenger_obfuscated",
                       "payment_provider_obfuscated"})
FLAG_ALONE = EXACT | SELF_EVIDENT | WHOLE_ACT
# Contact patterns that, in a text read as a scam, make it a contact move as well: an address,
# number, handle or messenger link given, a messenger named to move to, contact asked for.
SCAM_CONTACT_PATTERNS = frozenset({
    "contact_email", "contact_email_spelled", "contact_phone", "contact_phone_spelled", "contact_handle",
    "contact_link", "contact_messenger", "contact_messenger_obfuscated", "contact_request",
})
TOP_WORDS = 3
MAX_QUOTE = 60  # characters quoted per span in a reason
MAX_PATTERN_REASON = 200


def quote(text: str, span: Span, limit: int = MAX_QUOTE) -> str:
    """The text of a span, cut to `limit` characters."""
    start, end = span
    piece = text[start:end]
    return piece if len(piece) <= limit else piece[: limit - 3] + "..."


def _lead(policy: str, parts: Sequence[tuple[float, str, Span]], hits: Sequence[TextHit]) -> TextHit | None:
    """The policy's pattern hit that added most to the score (an exact one first)."""
    own = {"r:" + h.detector: h for h in hits if h.policy == policy}
    exact = [h for h in own.values() if h.detector in FLAG_ALONE]
    if exact:
        return exact[0]
    return next((own[name] for weight, name, _ in parts if name in own and weight > 0), None)


# Words that tell a reviewer nothing alone ("Our", "am the", "you on"): a quoted span of them only
# is passed over for the next one that weighed most.
FUNCTION_WORDS = frozenset((
    "a", "an", "the", "and", "or", "but", "if", "so", "as", "of", "to", "in", "on", "at", "for", "from", "by",
    "with", "into", "about", "than", "then", "i", "me", "my", "mine", "we", "us", "our", "ours", "you", "your",
    "yours", "u", "ur", "he", "him", "his", "she", "her", "it", "its", "they", "them", "their", "this", "that",
    "these", "those", "there", "here", "who", "whom", "which", "what", "am", "is", "are", "was", "were", "be",
    "been", "being", "do", "does", "did", "done", "have", "has", "had", "having", "will", "would", "shall",
    "should", "can", "could", "may", "might", "must", "i'm", "im", "i'll", "ill", "i've", "ive", "i'd", "we're",
    "we'll", "we've", "you're", "you'll", "you've", "it's",
))
_WORD = re.compile(r"[a-z']+|[^a-z'\s]+")


def _words(parts: Sequence[tuple[float, str, Span]], text: str | None = None) -> list[Span]:
    """The spans of the words that weighed most; with `text`, only those that say something alone
    (what a reason quotes)."""
    spans: list[Span] = []
    for weight, name, span in parts:
        if weight <= 0 or len(spans) >= TOP_WORDS:
            break
        if name[0] in "wbnc" and span not in spans and span[1] > span[0] and (
                text is None or _telling(text[span[0]:span[1]])):
            spans.append(span)
    return spans


def _telling(piece: str) -> bool:
    """Whether a quoted span holds a word other than a function word."""
    return any(w not in FUNCTION_WORDS for w in _WORD.findall(lowered(piece)))


def decision(
    text: str, policy: str, index: int, p: float, found: Sequence[Feature], hits: Sequence[TextHit],
    model: TextModel,
) -> TextHit:
    """The hit of a flagged policy: its family, evidence spans and reason."""
    parts = model.contributions(found, index)
    lead = _lead(policy, parts, hits)
    words = _words(parts)
    # quoted: those of them that say something alone, or failing any, the next that do
    said = [w for w in words if _telling(text[w[0]:w[1]])] or _words(parts, text)
    family = PATTERN_FAMILY[lead.detector] if lead is not None else WORDING_FAMILY[policy]
    detector = f"{family}.{lead.detector if lead is not None else 'model'}"
    spans = tuple(sorted(dict.fromkeys([*(lead.spans if lead is not None else ()), *words, *said])))
    reason = f"{MEANING[policy]} (model score {p:.2f}"
    reason += f", threshold {model.thresholds[index]:.2f})"
    if lead is not None:
        reason += ": " + quote(lead.reason, (0, MAX_PATTERN_REASON), MAX_PATTERN_REASON)
    if said:
        reason += "; words that weighed most: " + ", ".join(f"'{quote(text, s)}'" for s in said)
    return TextHit(policy, detector, round(p, 4), spans, reason)


def scam_contact(scam: TextHit, detail: TextHit, weight: float) -> TextHit:
    """The contact move of a text flagged as a scam (`scam`) that gives or asks for contact off
    the platform (`detail`, a pattern hit): the detail's spans, the scam's score (`weight`: on
    the contact scale)."""
    reason = f"{MEANING[OFF_PLATFORM_CONTACT]}: read as a scam (model score {scam.weight:.2f}) that gives or asks for"
    reason += " contact off the platform: " + quote(detail.reason, (0, MAX_PATTERN_REASON), MAX_PATTERN_REASON)
    return TextHit(OFF_PLATFORM_CONTACT, f"{SCAM_CONTACT}.{detail.detector}", weight, detail.spans, reason)


def contact_payment(detail: TextHit, promise: Span, said: str, weight: float) -> TextHit:
    """The payment offered outside the platform of a text that moves the conversation off it
    (`detail`, a contact pattern hit) and offers to pay (`promise`, its span; `said`, its words):
    both spans; `weight` on the payment scale."""
    reason = (f"{MEANING[OFF_PLATFORM_PAYMENT]}: offers to pay (\"{said[:MAX_QUOTE]}\") while moving the "
              "conversation off the platform: " + quote(detail.reason, (0, MAX_PATTERN_REASON), MAX_PATTERN_REASON))
    return TextHit(OFF_PLATFORM_PAYMENT, f"{CONTACT_PAYMENT}.{detail.detector}", weight, (*detail.spans, promise),
                   reason)
