"""off_platform_payment: asking to be paid outside the platform.

Fires on a payment provider named with payment intent in the same sentence, on an
obfuscated provider name (nobody writes ``p@yp@l`` innocently), on "pay me directly" /
"outside Upwork" phrasing, and on fee-avoidance talk. Stays quiet for integration work
(``PayPal API``), withdrawals from the platform, refusals and reported offers.
"""

from __future__ import annotations

from scoring.text import negation
from scoring.text.gate import Gate, NameHit
from scoring.text.lexicon import PAY
from scoring.text.normalize import Normalized
from scoring.text.rx import Rx, words
from scoring.text.types import OFF_PLATFORM_PAYMENT, TextContext, TextHit

_WORD_PROVIDERS = Rx(
    r"\b("
    + words(
        "(?:via|through|thru|by|with|on|to|my|your|using|use|have|in|accept) wise",
        "wise (?:account|transfer|email|details|me|tag)",
        "(?:by|via|through|thru|to my|to your) bank",
        "bank transfer",
        "bank wire",
        "bank deposit",
        "bank account",
        "bank details",
        "bank info",
        "wire transfer",
        "direct deposit",
        "crypto",
        "cryptocurrency",
        "usdt",
        "btc",
        "eth",
        "trc-?20",
        "erc-?20",
        "wallet address",
        "crypto wallet",
        "iban",
        "swift code",
        "routing number",
        "sort code",
        "gcash",
        "paymaya",
        "paytm",
        "upi",
        "m-?pesa",
        "apple pay",
        "google pay",
        "gpay",
        "alipay",
        "payeer",
        "perfect money",
        "western union",
        "moneygram",
        "e-?transfer",
        "interac",
    )
    + r")\b",
    (
        " wise",
        "bank",
        "wire",
        "deposit",
        "crypto",
        " usdt",
        " btc",
        " eth",
        " trc",
        " erc",
        "wallet",
        "iban",
        "swift",
        "routing",
        "sort code",
        "gcash",
        "paymaya",
        "paytm",
        " upi",
        "pesa",
        "apple pay",
        "google pay",
        "gpay",
        "alipay",
        "payeer",
        "perfect money",
        "western union",
        "moneygram",
        "transfer",
        "interac",
    ),
)
_INTENT = Rx(
    r"\b"
    + words(
        "pay",
        "paid",
        "paying",
        "payment",
        "payments",
        "send",
        "sending",
        "sent",
        "transfer",
        "receive",
        "accept",
        "take",
        "invoice",
        "money",
        "funds",
        "deposit",
        "tip",
        "bonus",
        "rest",
        "balance",
        "remaining",
        "advance",
        "upfront",
        "up front",
        "salary",
        "my account",
        "your account",
        "email for",
        "address",
        "details",
        "info",
        "prefer",
        "use",
        "have",
        "settle",
        "compensate",
        "cash out",
        "wire",
        "do you",
        "can you",
        "via",
        "thru",
        "through",
        "instead",
        "easiest",
        "easier",
        "better for me",
        "works for me",
        "fine for me",
        "friends and family",
        "f&f",
        "no fees?",
        "fees?",
        "directly",
        "half",
        "account",
    )
    + r"\b"
)
_TECH = Rx(
    r"\b"
    + words(
        "api",
        "apis",
        "sdk",
        "integrat\\w*",
        "webhooks?",
        "ipn",
        "gateway",
        "checkout",
        "plugin",
        "module",
        "button",
        "sandbox",
        "endpoint",
        "woocommerce",
        "shopify",
        "stripe",
        "braintree",
        "magento",
        "merchant",
        "e-?commerce",
        "cart",
        "donations?",
        "subscriptions?",
        "clone",
        "dashboard",
        "backend",
        "front-?end",
        "implement\\w*",
        "payment methods?",
        "payment options?",
        "customers",
        "users",
        "buyers",
        "visitors",
        "donors",
        "subscribers",
        "code",
        "bug",
        "error",
        "logo",
        "icon",
        "ui",
        "checkout page",
        "test mode",
        "refund flow",
        "invoice template",
        "website accepts",
        "app",
        "apps",
        "blockchain",
        "smart contracts?",
        "tokens?",
        "nfts?",
        "dapps?",
        "defi",
        "exchange",
        "trading",
        "bots?",
        "web3",
        "wallet app",
        "invest\\w*",
        "double your",
        "payment processing",
        "processor",
        "fintech",
        "landing page",
        "charts?",
        "price charts?",
        "tickers?",
        "price tracker",
        "portfolio tracker",
    )
    + r"\b"
)
_PLATFORM_WITHDRAW = Rx(
    r"\b"
    + words(
        "withdraw\\w*",
        "payout method",
        "linked",
        "link my",
        "verify",
        "verified",
        "verification",
        "get paid by upwork",
        "upwork pays",
        "from upwork",
        "upwork sends",
        "to fund",
        "funding",
        "fund the (?:contract|milestone|account)",
        "billing method",
        "through upwork",
        "via upwork",
        "on upwork",
        "through the platform",
        "via the platform",
        "in escrow",
        "escrow",
        "conversion fee",
        "direct contract",
        "payment protection",
    )
    + r"\b"
)
_NOT_PLATFORM = Rx(
    r"\b" + words("instead of", "rather than", "outside", "off", "not", "avoid", "skip", "bypass") + r"\s+\S*$"
)
_DIRECT = Rx(
    r"\b(?:pay(?:ing)?|send(?:ing)?|transfer(?:ring)?)\s+(?:me|you|us|it|the (?:money|payment|rest|balance))\s+"
    r"(?:directly|direct|privately|personally|in cash|outside|off (?:the )?(?:platform|upwork|site)"
    r"|without (?:upwork|the platform))\b"
    r"|\b(?:pay|paid|payment|work|deal|transaction|contract|job|jobs|project|proceed|work together|invoice)"
    r"\s+(?:\w+\s+){0,3}?(?:outside|off|out(?:side)? of|around|bypass(?:ing)?|without(?: using)?|instead of)\s+"
    r"(?:of\s+)?(?:the\s+)?(?:upwork|platform|site|website|marketplace|fiverr|freelancer(?:\.com)?|escrow)\b"
    r"|\b(?:pay|paid|paying|payment)\s+(?:\w+\s+)?(?:outside|off[\s-]platform|privately)\b"
    r"|\b(?:bypass(?:ing)?|go(?:ing)? around|cut(?:ting)? out|skip(?:ping)?)\s+(?:the\s+)?(?:upwork|platform"
    r"|middleman)\b"
    r"|\b(?:send|pay|transfer)\s+(?:you\s+)?(?:the\s+)?(?:rest|remaining|remainder|balance|other half"
    r"|second half)"
    r"(?:\s+\w+){0,3}\s+(?:directly|outside|privately|personally)\b",
    (
        "pay",
        "paid",
        "send",
        "transfer",
        "work",
        "deal",
        "transaction",
        "contract",
        "job",
        "project",
        "proceed",
        "invoice",
        "bypass",
        "go around",
        "going around",
        "cut out",
        "skip",
    ),
    (
        "direct",
        "privately",
        "personally",
        "in cash",
        "outside",
        "upwork",
        "platform",
        " site",
        "website",
        "marketplace",
        "fiverr",
        "freelancer",
        "escrow",
        "middleman",
    ),
)
_FEES = Rx(
    r"\b(?:avoid(?:ing)?|sav(?:e|ing)|skip(?:ping)?|bypass(?:ing)?|dodg(?:e|ing)|evad(?:e|ing)|escap(?:e|ing)"
    r"|get(?:ting)? around|cut(?:ting)? out|no more|don'?t (?:want to )?pay|not pay(?:ing)?|without paying)\s+"
    r"(?:on\s+)?(?:\w+\s+){0,2}?(?:the\s+)?(?:upwork'?s?|platform|site'?s?|service|their|those|these|20%|10%"
    r"|extra|huge)?"
    r"\s*(?:fees?|commission|cut|charges?|percentage)\b"
    r"|\b(?:fees?|commission)\s+(?:free|\w+\s+free)\b.{0,40}\b(?:directly|outside|paypal|bank)",
    ("fee", "commission", "cut", "charge", "percentage"),
)
_YOURS = Rx(r"\b(?:send|give|share|provide|need|want|forward)\s+(?:me\s+|us\s+)?(?:your|ur)\s+(?:full\s+)?$")
_EXEMPT_FEES = Rx(
    r"\b" + words("conversion fee", "direct contract", "fee structure", "sliding", "service fee is") + r"\b"
)


def _hit(doc: Normalized, detector: str, weight: float, start: int, end: int, reason: str) -> TextHit:
    return TextHit(OFF_PLATFORM_PAYMENT, detector, weight, (doc.orig_span(start, end),), reason)


def _innocent_context(norm: str, start: int, end: int) -> bool:
    lo, hi = negation.sentence(norm, start, end)
    if _TECH.test(norm[max(lo, start - 60) : start]) or _TECH.test(norm[end : min(hi, end + 60)]):
        return True
    found = _PLATFORM_WITHDRAW.search(norm[lo:hi])
    if found is None:
        return False
    return not _NOT_PLATFORM.test(norm[max(lo, lo + found.start - 14) : lo + found.start])


def _asks_for_theirs(norm: str, start: int) -> bool:
    """ "send me your bank details" is a scam pattern, not a request to be paid off-platform."""
    return _YOURS.test(norm[max(0, start - 30) : start])


def _intent(norm: str, start: int, end: int, lo: int, hi: int) -> bool:
    if _INTENT.test(norm[lo:start]) or _INTENT.test(norm[end:hi]):
        return True
    return hi - lo < 40 and "?" in norm[end : hi + 2]


def _provider_hit(doc: Normalized, name: str, start: int, end: int, obfuscated: bool) -> TextHit | None:
    norm = doc.norm
    # Cheapest first: integration talk is the usual innocent reason to name a provider.
    if _innocent_context(norm, start, end) or _asks_for_theirs(norm, start) or negation.suppressed(norm, start, end):
        return None
    lo, hi = negation.sentence(norm, start, end)
    shown = doc.text[slice(*doc.orig_span(start, end))]
    if _intent(norm, start, end, lo, hi):
        extra = f" (obfuscated as '{shown}')" if obfuscated else ""
        weight = 0.9 if obfuscated else 0.8
        return _hit(doc, "payment_provider_intent", weight, start, end, f"asks to be paid via {name}{extra}")
    if obfuscated:
        return _hit(
            doc, "payment_provider_obfuscated", 0.7, start, end, f"names {name} in disguised spelling '{shown}'"
        )
    return None


def _word_provider_names(doc: Normalized, names: tuple[NameHit, ...]) -> list[tuple[str, int, int, bool]]:
    taken = [(n.start, n.end) for n in names]
    found: list[tuple[str, int, int, bool]] = []
    for match in _WORD_PROVIDERS.scan(doc.norm, doc.triggers):
        if not any(s < match.end and match.start < e for s, e in taken):
            found.append((match.groups[0] or "", match.start, match.end, False))
    return found


def _providers(doc: Normalized, gate: Gate) -> list[TextHit]:
    names = gate.names_of(PAY)
    candidates = [(n.name, n.start, n.end, n.obfuscated) for n in names]
    candidates += _word_provider_names(doc, names)
    hits = (_provider_hit(doc, *c) for c in candidates)
    return [h for h in hits if h is not None]


def _phrases(doc: Normalized) -> list[TextHit]:
    hits: list[TextHit] = []
    norm = doc.norm
    for match in _DIRECT.scan(norm, doc.triggers):
        if not negation.suppressed(norm, match.start, match.end):
            reason = (
                f"asks to move payment off the platform ('{doc.text[slice(*doc.orig_span(match.start, match.end))]}')"
            )
            hits.append(_hit(doc, "payment_direct", 0.8, match.start, match.end, reason))
    for match in _FEES.scan(norm, doc.triggers):
        lo, hi = negation.sentence(norm, match.start, match.end)
        if not negation.suppressed(norm, match.start, match.end) and not _EXEMPT_FEES.test(norm[lo:hi]):
            hits.append(
                _hit(doc, "payment_fee_avoidance", 0.75, match.start, match.end, "proposes to avoid the platform fees")
            )
    return hits


def detect(doc: Normalized, gate: Gate, context: TextContext) -> list[TextHit]:
    """Payment hits for one text."""
    if context.direct_contract:
        return []
    return _providers(doc, gate) + _phrases(doc)
