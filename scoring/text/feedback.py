"""feedback_manipulation: begging or bargaining for a rating.

Fires on a request for a particular rating ("leave me 5 stars"), a rating tied to a
discount, refund or free work, work withheld until feedback is left, reciprocal deals,
bought or fake reviews, rating threats, and a feedback request repeated across messages.
One neutral reminder ("feedback is appreciated") and asking why a rating was given do not.
"""

from __future__ import annotations

import re

from scoring.text import negation
from scoring.text.normalize import Normalized, fold
from scoring.text.rx import Rx
from scoring.text.types import FEEDBACK_MANIPULATION, TextContext, TextHit

_RATING_STEMS = ("*", "star", "review", "rating", "feedback", "rate")
_TOP = r"(?:5|five|5\.0|full|perfect|top|max(?:imum)?|highest|10/10|5/5)"
_SOFT = r"(?:good|great|positive|excellent|nice|glowing|best|awesome|amazing)"
_RATING = r"(?:[\s-]*(?:\*|stars?|star\s+(?:review|rating|feedback)s?|reviews?|ratings?|feedbacks?|rate))"
_ASK = Rx(
    r"\b(?:leave|leaving|give|giving|rate|drop|post|put|write|provide|grant|send|mark|submit|need|want|expect"
    r"|deserve"
    r"|hoping\s+for"
    r"|hope\s+(?:to\s+get|for)|would\s+(?:love|appreciate|like)|request|ask(?:ing)?\s+(?:you\s+)?for|please"
    r"|pls|plz|kindly)"
    r"\s+(?:me\s+|us\s+|my\s+(?:profile|work)\s+)?(?:an?\s+|the\s+|your\s+|with\s+)?(?:\w+\s+)?"
    + _TOP
    + _RATING
    + r"|\b(?:(?:please|pls|plz|kindly)\s+(?:leave|give|drop|post|write|provide)\s+(?:me\s+|us\s+)?"
    + r"|(?:leave|give|drop|post|write|provide)\s+(?:me|us)\s+)(?:an?\s+|some\s+)?(?:really\s+|very\s+)?"
    + _SOFT
    + _RATING
    + r"|\brate\s+(?:me|us|my\s+work)\s+(?:with\s+)?(?:a\s+)?(?:5|five|10|full|top)\b"
    + r"|\b(?:5|five)[\s-]*stars?\s+(?:review\s+|rating\s+|feedback\s+)?(?:please|pls|plz|would\s+be"
    r"|will\s+help|is\s+all|means)",
    _RATING_STEMS,
    (
        "5",
        "five",
        "full",
        "perfect",
        "top",
        "max",
        "highest",
        "10",
        "good",
        "great",
        "positive",
        "excellent",
        "nice",
        "glowing",
        "best",
        "awesome",
        "amazing",
    ),
)
_FEEDBACK_TERM = (
    r"(?:(?:5|five)[\s-]*stars?|(?:a|an|the|your|good|great|positive|nice|honest|5-star|top|glowing)\s+"
    r"(?:review|rating|feedback)|feedback|ratings?|stars)"
)
_BARGAIN_TERM = (
    r"(?:discount|for\s+free|free\s+(?:of\s+charge|revisions?|work|extra)|extra\s+(?:work|revisions?|pages?|hours?)"
    r"|bonus|refund|%\s*off|cheaper|lower\s+(?:the\s+)?price|reduce\s+(?:the\s+)?price|waive"
    r"|no\s+charge"
    r"|\$\s?\d+\s+(?:off|back)|money\s+back|pay\s+you\s+back|at\s+no\s+cost|gift|tip|\$\s?\d+\s+extra)"
)
_BARGAIN = Rx(
    r"\b"
    + _FEEDBACK_TERM
    + r"\b[^.!?\n]{0,60}?\b"
    + _BARGAIN_TERM
    + r"|\b"
    + _BARGAIN_TERM
    + r"[^.!?\n]{0,60}?\b(?:for|if|in\s+exchange|in\s+return|when|once"
    r"|after)\b[^.!?\n]{0,30}?" + _FEEDBACK_TERM,
    _RATING_STEMS,
    (
        "discount",
        "free",
        "extra",
        "bonus",
        "refund",
        "%",
        "cheaper",
        "lower",
        "reduce",
        "waive",
        "no charge",
        "off",
        "back",
        "no cost",
        "gift",
        "tip",
    ),
)
_WITHHOLD = Rx(
    r"\b(?:after|once|when|until|till|as\s+soon\s+as|only\s+(?:after|if|when))\s+(?:you\s+)?(?:have\s+)?"
    r"(?:rate|rated|review|reviewed)\s+(?:me|us|my\s+work)\b"
    r"|\b(?:after|once|when|until|till|as\s+soon\s+as|only\s+(?:after|if|when)|first)\s+(?:you\s+)?(?:have\s+)?"
    r"(?:leave|left|give|gave|post|posted|submit|submitted|write|wrote|rate|rated|leaving"
    r"|giving)\b[^.!?\n]{0,40}?"
    r"\b(?:review|feedback|rating|stars?)"
    # "upon receiving your positive feedback", "once your 5 star review is live"
    r"|\b(?:after|once|when|until|till|as\s+soon\s+as|upon|on)\s+(?:receiving|receipt\s+of|seeing|getting)\s+(?:your"
    r"|the|a)\s+(?:\w+\s+){0,2}?(?:review|feedback|rating|stars?)\b"
    r"|\b(?:after|once|when|until|till|as\s+soon\s+as)\s+(?:your|the)\s+(?:\w+\s+){0,2}?(?:review|feedback|rating)"
    r"\s+(?:is|has\s+been|goes|gets)\s+(?:live|posted|up|left|submitted|in|visible|published)\b",
    _RATING_STEMS,
    ("after", "once", "when", "until", "till", "as soon as", "only", "first", "upon", " on "),
)
_DELIVERY = Rx(
    r"\b(?:send|deliver|release|share|give|upload|hand\s+over|unlock|access|files?|source|final|rest|remaining"
    r"|password|code|work|logo|design|high[\s-]?res|hd|original)\b"
)
_RECIPROCAL = Rx(
    r"\b(?:i'?ll|i\s+will|we'?ll|we\s+will|let'?s|i\s+can|i'?d)\s+(?:both\s+)?(?:give|leave|rate"
    r"|post)[^.!?\n]{0,40}?"
    r"(?:5|five|good|positive|great|top)[^.!?\n]{0,40}?\b(?:if\s+you|and\s+you|as\s+long\s+as\s+you|in\s+return"
    r"|in\s+exchange|each\s+other|back|too|as\s+well)\b"
    r"|\b(?:5|five)\s+stars?\s+for\s+(?:5|five)\s+stars?|\bmutual\s+(?:5|five|good|positive)[\s-]*(?:star"
    r"|review|feedback)"
    r"|\b(?:if|when)\s+you\s+(?:give|leave)\s+me\s+(?:5|five|good|positive)[^.!?\n]{0,40}?\bi'?(?:ll"
    r"|\s+will)\s+"
    r"(?:give|leave|do)\s+(?:you\s+)?(?:the\s+same|5|five|good|positive|same)",
    _RATING_STEMS,
    (
        "i'll",
        "i will",
        "we'll",
        "we will",
        "let's",
        "lets",
        "i can",
        "i'd",
        "5 star",
        "five star",
        "mutual",
        "if you",
        "when you",
        "for 5",
        "for five",
    ),
    ("5", "five", "good", "positive", "great", "top", "mutual"),
)
# Stars or reviews swapped one for one, with no rating named: "rate my app and I'll rate yours",
# "if we star your plugin, could you star ours", "anyone up for a review swap". A review for a
# review in a sentence about code ("review my pull request and I'll review yours") is a code
# review (`_NOT_IN`).
_SWAP = Rx(
    r"\bif\s+(?:i|we)\s+(?:star|rate|review|upvote)\s+(?:your|ur)\b[^.!?\n]{0,40}?\b(?:you|u)\s+(?:star|rate"
    r"|review|upvote)\s+(?:mine|ours)\b"
    r"|\b(?:star|rate|review|upvote)\s+(?:mine|ours|my\s+\w+)\s+and\s+(?:i'?ll|i\s+will|we'?ll|we\s+will)\s+"
    r"(?:star|rate|review|upvote)\s+(?:yours|your)\b"
    r"|\b(?:star|review|rating)s?\s+for\s+(?:star|review|rating)s?\b"
    r"|\b(?:stars?\s*4\s*stars?|reviews?\s*4\s*reviews?|ratings?\s*4\s*ratings?)\b"  # "star 4 star"
    r"|\b(?:star|review|rating)\s+(?:swap|exchange)s?\b",
    _RATING_STEMS,
    ("mine", "ours", "your", " for ", "4", "swap", "exchange"),
)
# Orders swapped for ratings: "order my gig and I'll order yours", "let's buy each other's gigs".
_ORDER_SWAP = Rx(
    r"\b(?:order|buy|purchase)\s+(?:from\s+)?(?:my|our)\s+(?:\w+\s+)?(?:gigs?|services?|products?|packages?)\b"
    r"[^.!?\n]{0,40}?\b(?:i'?ll|i\s+will|we'?ll|we\s+will|and\s+i|i\s+can)\s+(?:\w+\s+)?(?:order|buy|purchase)\s+"
    r"(?:from\s+)?(?:yours|your)\b"
    r"|\b(?:order|buy|purchase)\s+(?:from\s+)?(?:each\s+other'?s?|one\s+another'?s?)\s+(?:\w+\s+)?(?:gigs?|services?"
    r"|products?|packages?)\b"
    r"|\border\s+(?:swaps?|exchanges?|for\s+(?:an?\s+)?order)\b",
    ("order", "buy", "purchas"),
    ("your", "each other", "one another", "swap", "exchange", "for an order", "for order"),
)
_CODE = Rx(r"\b(?:pull\s+requests?|merge\s+requests?|prs?|(?:my|your|the|this|our)\s+code|code\s+reviews?|commits?"
           r"|patch(?:es)?|diffs?)\b")
_FAKE = Rx(
    r"\b(?:buy|sell|purchase|paid|fake|trade|exchange)\s+(?:\w+\s+)?(?:reviews|review|feedbacks?|ratings?"
    r"|5[\s-]*star\s+reviews?)\b"
    r"|\bhire\s+me\s+(?:just|only)\s+(?:for|to)\s+(?:get\s+|leave\s+)?(?:a\s+)?(?:review|feedback|rating)"
    r"|\bpay\s+you\s+(?:\$?\d+\s+)?(?:for|to\s+leave)\s+(?:a\s+)?(?:5[\s-]*star\s+|good\s+"
    r"|positive\s+)?(?:review|feedback|rating)"
    r"|(?:\bfake|\bdummy|\bsmall|\btiny|\$\d+)\s+(?:job|contract|project|task)s?\b[^.!?\n]{0,60}?\b(?:review"
    r"|feedback|rating|stars)",
    _RATING_STEMS,
    (
        "buy",
        "sell",
        "purchase",
        "paid",
        "fake",
        "trade",
        "exchange",
        "hire me",
        "pay you",
        "dummy",
        "small",
        "tiny",
        "$",
    ),
)
_THREAT = Rx(
    r"\b(?:anything\s+)?(?:less|lower)\s+than\s+(?:5|five|a\s+5|a\s+five)[\s-]*(?:stars?|\*)"
    r"|\b(?:1|one|low|bad|negative|terrible|poor)[\s-]*(?:star|review|feedback"
    r"|rating)s?\b[^.!?\n]{0,40}?\b(?:unless|if\s+you\s+"
    r"(?:don'?t|do\s+not|refuse|won'?t))"
    r"|\b(?:unless|if\s+you\s+(?:don'?t|do\s+not|won'?t))\b[^.!?\n]{0,60}?\b(?:1|one|low|bad"
    r"|negative)[\s-]*(?:star|review|feedback|rating)"
    r"|\b(?:refund|money\s+back|discount|compensat\w*|redo|for\s+free|pay\s+me)\b[^.!?\n]{0,60}?\b(?:or"
    r"|otherwise|or\s+else)\s+(?:i'?ll|i\s+will|i'?m\s+(?:going\s+to|gonna)|we'?ll|we\s+will)\s+(?:\w+\s+){0,2}?"
    r"(?:leave|post|write|give|put|drop|share)\s+(?:you\s+)?(?:an?\s+|my\s+|the\s+|this\s+)?(?:\w+\s+){0,2}?"
    r"(?:review|rating|feedback|stars?)\b"
    r"|\b(?:unless\s+you|if\s+you\s+(?:don'?t|do\s+not|won'?t|refuse\s+to|can'?t))\s+(?:\w+\s+)?(?:refund|give\s+me"
    r"\s+(?:a\s+|my\s+)?(?:refund|money|discount)|return\s+my\s+money|pay\s+me\s+back|redo|compensate)\b"
    r"[^.!?\n]{0,60}?\b(?:an?|my|the|this|\d|one)\s+(?:\w+\s+)?"
    r"(?:review|rating|feedback|stars?)\b"
    r"|\b(?:change|update|edit|remove|delete|raise|improve)\s+(?:your|the)\s+(?:review|feedback"
    r"|rating)\b[^.!?\n]{0,60}?"
    r"\b(?:refund|discount|free|bonus|pay|money)",
    _RATING_STEMS,
    (
        "less than",
        "lower than",
        "unless",
        "if you don",
        "if you do not",
        "if you won",
        "change",
        "update",
        "edit",
        "remove",
        "delete",
        "raise",
        "improve",
        "or i",
        "or we",
        "otherwise",
        "or else",
    ),
)
# A veiled review threat: a bad review disowned in a text that asks for money back ("I have no
# wish to leave a bad review, but I'd appreciate a refund"). The disowning is the veil, so the
# negation that quiets other rules is what this one reads.
_DISOWNED = Rx(
    r"\b(?:don'?t|do\s+not|no\s+(?:intention|wish|desire|plan)\s+(?:of|to)|wouldn'?t|would\s+not|(?:would|'d)\s+hate\s+to"
    r"|rather\s+not|not\s+going\s+to|never|won'?t|will\s+not)\s+(?:want\s+to\s+|like\s+to\s+|have\s+to\s+)?"
    r"(?:\w+\s+)?(?:leave|leaving|write|writing|post|posting|give|giving)\s+(?:you\s+)?(?:a\s+|any\s+)?(?:bad|negative"
    r"|poor|low|harsh|1[\s-]?star|one[\s-]star)\s+(?:review|rating|feedback)",
    ("review", "rating", "feedback"),
    ("bad", "negative", "poor", "low", "harsh", "1 star", "1-star", "1star", "one star", "one-star"),
)
_MONEY_BACK = Rx(r"\b(?:appreciate|expect|want|need|would\s+like|'d\s+like|ask(?:ing)?\s+for|request|give\s+me"
                 r"|hop(?:e|ing)\s+for|deserve|owe\s+me|get|receive)\s+(?:\w+\s+){0,3}?(?:refund|money\s+back"
                 r"|discount|compensation|something\s+back)\b")
_REQUEST = Rx(
    r"\b(?:leave|give|write|post|submit|drop|share|provide)\s+(?:me\s+|us\s+)?(?:an?\s+|some\s+|your\s+)?(?:\w+\s+)?"
    r"(?:feedback|review|rating|stars)\b|\b(?:feedback|review|rating)\s+(?:please|pls|plz"
    r"|would\s+be\s+(?:great|appreciated))"
    r"|\bplease\s+rate\b|\bdon'?t\s+forget\s+(?:to\s+)?(?:the\s+|my\s+)?(?:feedback|review|rating)"
)

_RULES = (
    (_ASK, "feedback_rating_request", 0.8, "asks for a specific top rating"),
    (_BARGAIN, "feedback_bargain", 0.9, "offers something in exchange for a rating"),
    (_RECIPROCAL, "feedback_reciprocal", 0.85,
     "offers a rating as part of a deal (a rating back, or something else in return)"),
    (_FAKE, "feedback_fake_review", 0.9, "arranges bought or fake feedback"),
    (_THREAT, "feedback_threat", 0.8, "ties a rating to a demand"),
    (_SWAP, "feedback_swap", 0.85, "proposes to swap stars or reviews"),
    (_ORDER_SWAP, "feedback_reciprocal", 0.85, "proposes to swap orders (for each other's ratings)"),
)
# A rule's sentences that say it is something else: a review for a review about code.
_NOT_IN = {"feedback_swap": _CODE}
# A top rating the speaker gives the other party ("I'll give you 5 stars", "you deserve 5 stars"):
# the rater's praise or promise, not an ask (a condition on it is a bargain, `_BARGAIN`).
_GIVEN_TO_THEM = re.compile(r"(?:give|giving|leave|leaving|send|grant|mark|rate|put|post|drop)\s+(?:you|u|ya)\b")
_THEY_DESERVE = re.compile(r"\b(?:you|u)\s+(?:\w+\s+)?$")


def _hit(doc: Normalized, detector: str, weight: float, start: int, end: int, reason: str) -> TextHit:
    return TextHit(FEEDBACK_MANIPULATION, detector, weight, (doc.orig_span(start, end),), reason)


def _rules(doc: Normalized) -> list[TextHit]:
    hits: list[TextHit] = []
    for rx, detector, weight, reason in _RULES:
        unless = _NOT_IN.get(detector)
        for match in rx.scan(doc.norm, doc.triggers):
            start, end = match.start, match.end
            if negation.suppressed(doc.norm, start, end) or negation.quoted(doc.norm, start, end):
                continue
            if unless is not None and unless.test(doc.norm[slice(*negation.sentence(doc.norm, start, end))]):
                continue
            if detector == "feedback_rating_request" and _given_to_them(doc.norm, start, end):
                continue
            if detector == "feedback_swap" and _counted_ratings(doc.norm, start, end):
                continue
            hits.append(_hit(doc, detector, weight, start, end, reason))
    return hits


# A number right before "star 4 star" makes it a count of ratings ("5 star 4 star 3 star").
_NUMBER_BEFORE = re.compile(r"(?:^|\s)(?:\d+(?:[.,]\d+)?\+?|one|two|three|four|five|six|seven|eight|nine|ten)"
                            r"(?:\s+|\s*-\s*)$")


def _counted_ratings(norm: str, start: int, end: int) -> bool:
    """A "star 4 star" match that continues a list of ratings counted by stars or reviews."""
    return "4" in norm[start:end] and _NUMBER_BEFORE.search(norm, max(0, start - 16), start) is not None


def _given_to_them(norm: str, start: int, end: int) -> bool:
    """The top rating matched at [start, end) is one the speaker gives the other party."""
    matched = norm[start:end]
    if _GIVEN_TO_THEM.match(matched):
        return True
    return matched.startswith("deserve") and _THEY_DESERVE.search(norm[max(0, start - 20):start]) is not None


def _withhold(doc: Normalized) -> list[TextHit]:
    hits: list[TextHit] = []
    for match in _WITHHOLD.scan(doc.norm, doc.triggers):
        lo, hi = negation.sentence(doc.norm, match.start, match.end)
        delivery = _DELIVERY.test(doc.norm[lo : match.start]) or _DELIVERY.test(doc.norm[match.end : hi])
        if delivery and not negation.refused(doc.norm, match.start, match.end):
            hits.append(
                _hit(doc, "feedback_withhold", 0.9, match.start, match.end, "holds back work until feedback is left")
            )
    return hits


def _veiled(doc: Normalized) -> list[TextHit]:
    """A bad review disowned beside money asked back: the first such disowning, if any."""
    for match in _DISOWNED.scan(doc.norm, doc.triggers):
        asks = [m for m in _MONEY_BACK.finditer(doc.norm) if not negation.negated_before(doc.norm, m.start, m.end)]
        if asks and not negation.quoted(doc.norm, match.start, match.end):
            return [_hit(doc, "feedback_veiled_threat", 0.7, match.start, match.end,
                         "disowns a bad review while asking for money back (a veiled review threat)")]
    return []


def repeated(doc: Normalized, context: TextContext) -> list[TextHit]:
    """A request for feedback made again in the room: the one hit that reads earlier messages."""
    if not context.previous or context.kind != "message":
        return []
    match = _REQUEST.search(doc.norm)
    if match is None:
        return []
    earlier = sum(1 for text in context.previous[-5:] if _REQUEST.test(fold(text)))
    if earlier < 1:
        return []
    return [
        _hit(
            doc,
            "feedback_repeat_request",
            0.6,
            match.start,
            match.end,
            f"asks for feedback again ({earlier + 1} requests in recent messages)",
        )
    ]


def detect(doc: Normalized, context: TextContext) -> list[TextHit]:
    """Feedback-manipulation hits for one text."""
    return _rules(doc) + _withhold(doc) + _veiled(doc) + repeated(doc, context)
