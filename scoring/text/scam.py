"""spam_scam: scam "clients" and mass outreach.

Fires on interviews or onboarding moved to Telegram/WhatsApp, requests for bank details,
card numbers, IDs or logins, upfront fees and deposits, fake-check and overpayment
schemes and money sent back another way, guaranteed-income and crypto-investment pitches,
task-for-commission jobs, prizes won, hardship stories beside a way to pay outside, and
begging "hire me" outreach. Warnings about scams and reported offers do not fire. The
wording is in `scam_words`.
"""

from __future__ import annotations

import re

from scoring.text import negation
from scoring.text import scam_words as wording
from scoring.text.normalize import Normalized
from scoring.text.payment_words import TECH
from scoring.text.rx import Rx
from scoring.text.types import SPAM_SCAM, TextContext, TextHit

_LINK = re.compile(r"https?://\S+|www\.\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|xyz|top|info|link|site"
                   r"|online|click|ly)\b\S*")
_PLATFORM_LINK = re.compile(r"^(?:https?://)?(?:www\.)?(?:upwork|fiverr|freelancer)\.com(?:[/:?#]|$)")


def _platform_links_only(sentence: str) -> bool:
    """Whether every link of a sentence is to the platform's own site."""
    links = _LINK.findall(sentence)
    return bool(links) and all(_PLATFORM_LINK.match(link) for link in links)


_PRODUCT = Rx(
    r"\b(?:app|apps|checkout|feature|form|page|website|plugin|api|bot|dashboard|users|customers|transaction"
    r"|transactions|field|upload|export|csv|database|stripe|module|screen|flow)\b"
)
_MOVES_ONLY = "scam_messenger_interview"
# Scripts read whatever product words the sentence holds (a task scam's app, a remote tool).
_ANY_SENTENCE = frozenset({_MOVES_ONLY, "scam_paid_task", "scam_remote_account", "scam_free_work"})
# Work asked for free, or a task paid per rating, names what is made ("could you build the page for
# free"); only a sentence about what a product does for its users is about a product.
_BUILT_ONLY = frozenset({"scam_paid_task", "scam_free_work"})

_RULES = (
    (wording.MOVE, "scam_messenger_interview", 0.85, "moves a job interview or onboarding to an outside messenger"),
    (wording.SENSITIVE, "scam_sensitive_data", 0.85, "asks for bank, card, ID or login details"),
    (wording.FEE, "scam_upfront_fee", 0.85, "asks for an upfront fee, deposit or gift card"),
    (wording.CHECK, "scam_check_overpayment", 0.85, "fake-check or overpayment scheme"),
    (wording.INCOME, "scam_income_pitch", 0.85, "promises guaranteed income or an investment return"),
    (wording.HIRE_ME, "scam_hire_me_spam", 0.6, "begging mass-outreach phrasing"),
    (wording.FREE_WORK, "scam_free_work", 0.7, "asks for work without pay (for free, for exposure, for future work)"),
    (wording.ACCOUNT_RENT, "scam_account_rent", 0.85, "asks to rent, buy or work through another freelancer's account"),
    (wording.PHISH, "scam_phishing", 0.9, "asks to verify or claim an account, payment or prize at a link"),
    (wording.PAID_TASK, "scam_paid_task", 0.85, "offers pay per rating, review or like (a task scam)"),
    (wording.REMOTE_ACCOUNT, "scam_remote_account", 0.85, "works another's platform account by remote control"),
    (wording.PRIZE, "scam_prize", 0.85, "announces a prize, lottery or giveaway win"),
    (wording.HARDSHIP, "scam_hardship_payment", 0.75, "tells a hardship beside a payment off the platform"),
)
# A rule's sentences that say it is something else: a contest the reader entered.
_NOT_IN = {"scam_prize": wording.CONTEST}
# A rule that holds only with this elsewhere in the text: a hardship story with a way to pay outside.
_WITH = {"scam_hardship_payment": wording.HARDSHIP_PAY}


def _lacks(norm: str, detector: str) -> bool:
    """Whether a rule's text lacks what the rule needs besides its match: a way to pay named
    outside talk about building one ("I'll check the PayPal integration")."""
    needs = _WITH.get(detector)
    if needs is None:
        return False
    for found in needs.finditer(norm):
        lo, hi = negation.sentence(norm, found.start, found.end)
        if not TECH.test(norm[lo:hi]):
            return False
    return True


# What is being built: a product that lets its users rate or like things is no task scam.
_BUILT = Rx(r"\b(?:users|feature|features|checkout|api|plugin|dashboard|module|database|spec|loyalty)\b")
# Scripts that hold their own ask ("you could build it for free"): only a negator right before
# them takes the ask back.
_OWN_ASK = "scam_free_work"


def _suppressed(norm: str, start: int, end: int, detector: str) -> bool:
    if detector == _OWN_ASK:
        negated = negation.negated_just_before(norm, start) or negation.refused(norm, start, end)
    else:
        negated = negation.suppressed(norm, start, end)
    return negated or negation.quoted(norm, start, end)


def _other(norm: str, lo: int, hi: int, detector: str) -> bool:
    """Whether a rule's sentence says it is something else, or its text lacks what it needs."""
    unless = _NOT_IN.get(detector)
    return (unless is not None and unless.test(norm[lo:hi])) or _lacks(norm, detector)


def detect(doc: Normalized, context: TextContext) -> list[TextHit]:
    """Spam and scam hits for one text."""
    hits: list[TextHit] = []
    for rx, detector, weight, reason in _RULES:
        for match in rx.scan(doc.norm, doc.triggers):
            if _suppressed(doc.norm, match.start, match.end, detector):
                continue
            lo, hi = negation.sentence(doc.norm, match.start, match.end)
            if detector not in _ANY_SENTENCE and _PRODUCT.test(doc.norm[lo:hi]):
                continue
            if detector in _BUILT_ONLY and _BUILT.test(doc.norm[lo:hi]):
                continue
            fee = detector == "scam_upfront_fee"
            if fee and (context.direct_contract or not wording.FEE_ASK.test(doc.norm[lo:hi])):
                continue  # a direct contract's fee is the platform's; a fee nobody is asked to pay
            if detector == "scam_phishing" and _platform_links_only(doc.norm[lo:hi]):
                continue  # a link to the platform's own pages
            if _other(doc.norm, lo, hi, detector):
                continue
            shown = doc.text[slice(*doc.orig_span(match.start, match.end))]
            hits.append(
                TextHit(SPAM_SCAM, detector, weight, (doc.orig_span(match.start, match.end),), f"{reason}: '{shown}'")
            )
    return hits
