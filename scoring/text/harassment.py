"""harassment: insults, curses and threats aimed at the other party, and pestering.

An insult counts when it is aimed at "you" ("you are an idiot", "you idiot", "f*** you");
threats are matched as whole phrases ("I will find you", "you'll regret this"). Quoted or
reported abuse ("he called me an idiot") and swearing at things ("this damn build") do not.
"""

from __future__ import annotations

from scoring.text import negation
from scoring.text.gate import Gate
from scoring.text.lexicon import INSULT
from scoring.text.normalize import Normalized, fold
from scoring.text.rx import Rx
from scoring.text.types import HARASSMENT, TextContext, TextHit

# A masked f-word as published or typed: "f***ing", "fu**ing", "f***king", "f**kin"; the mask
# comes right after "f" or "fu", so "you fixed** it" (a footnote asterisk) is no f-word.
_MASKED_F = r"fu?\*+[\w*]*"
# Words that insult a person, wherever they stand (also read by `scoring.text.disown`).
INSULT_WORDS = (
    r"(?:idiot|idiots|moron|morons|stupid|dumb|dumbass|loser|retard(?:ed)?|bitch|bastard|asshole|a-hole|jerk"
    r"|fool"
    r"|clown|pathetic|useless|incompetent|worthless|trash|garbage|scum(?:bag)?|liar|thief|scammer|fraud|cheater"
    r"|imbecile|dickhead|dick|prick|cunt|slut|whore|piece\s+of\s+(?:shit|crap|garbage|trash|sh\*t)"
    r"|brainless|clueless|halfwit|dimwit|jackass|douche(?:bag)?|parasite|joke|disgrace|waste\s+of\s+(?:space"
    r"|time|air)"
    r"|1d10t|id10t|fucking\s+\w+|effing\s+\w+|" + _MASKED_F + r"\s+\w+)"
)
_VOCATIVE = (
    r"(?:idiot|idiots|moron|morons|dumbass|loser|losers|retard|bitch|bastard|asshole|jerk|fool|clown|imbecile"
    r"|scumbag"
    r"|dickhead|cunt|jackass|douche(?:bag)?|halfwit|dimwit|piece\s+of\s+(?:shit|crap|garbage|trash|sh\*t)"
    r"|1d10t|id10t"
    r"|stupid\s+\w+|fucking\s+\w+|dumb\s+\w+|" + _MASKED_F + r"\s+\w+)"
)
_AT_YOU = Rx(
    r"\b(?:you|u|ya|ur|you\s+guys|y'?all)\s*(?:are|r|'re|re|is|were|'r)\s+(?:not\s+only\s+)?(?:such\s+|so\s+"
    r"|a\s+|an\s+|just\s+"
    r"|really\s+|totally\s+|completely\s+|the\s+|nothing\s+but\s+|one\s+|an?\s+\w+\s+|the\s+most\s+|very\s+"
    r"|fucking\s+|f\*+ing\s+|absolute\s+|bunch\s+of\s+){0,3}"
    + INSULT_WORDS
    + r"\b"
    + r"|\b(?:you|u|ya)\s+(?:\w+\s+)?"
    + _VOCATIVE
    + r"\b"
    + r"|\byour\s+(?:work|code|design|job|english|brain|skills?|writing)\s+(?:is|are)\s+(?:\w+\s+)?"
    r"(?:shit|crap|garbage|trash|a\s+joke|pathetic|worthless)\b"
    + r"|\b(?:stupid|dumb|fucking|f\*+ing|lazy|useless|incompetent|pathetic|scammer)\s+(?:indian|pakistani"
    r"|filipino|woman"
    r"|man|girl|boy|client|freelancer|person|people|guy)\b"
    + r"|\bare\s+(?:you|u)\s+(?:\w+\s+)?(?:retarded|stupid|dumb|an?\s+idiot|a\s+moron|blind|brain\s*dead"
    r"|mental)\b"
    # "are you deaf or just stupid", not "are you testing or just blind guessing"
    + r"|\bare\s+(?:you|u)\s+\w+\s+or\s+(?:just\s+|simply\s+)?(?:retarded|stupid|dumb|an?\s+idiot|a\s+moron"
    r"|blind|brain\s*dead|mental)(?:[ \t]*[?!.,;:]|[ \t]*$)",
    (
        "idiot",
        "moron",
        "stupid",
        "dumb",
        "loser",
        "retard",
        "bitch",
        "bastard",
        "asshole",
        "a-hole",
        "jerk",
        "fool",
        "clown",
        "pathetic",
        "useless",
        "incompetent",
        "worthless",
        "trash",
        "garbage",
        "scum",
        "liar",
        "thief",
        "scammer",
        "fraud",
        "cheat",
        "imbecile",
        "dick",
        "prick",
        "cunt",
        "slut",
        "whore",
        "piece of",
        "brain",
        "clueless",
        "halfwit",
        "dimwit",
        "jackass",
        "douche",
        "parasite",
        "joke",
        "disgrace",
        "waste of",
        "1d10t",
        "id10t",
        "f*",
        "fuck",
        "effing",
        "shit",
        "crap",
        "lazy",
        "blind",
        "mental",
        "insane",
        "deaf",
    ),
)
_CURSE = Rx(
    r"\b(?:f+u+c*k+|f\*+c?k|f\*+|fck|fuk|fk|screw|damn|to\s+hell\s+with|shut\s+up)\s+(?:you|u|ya|off|yourself"
    r"|your\s+\w+)\b"
    r"|\bgo\s+(?:to\s+hell|die|kill\s+yourself|fuck\s+yourself|f\*+\s+yourself)\b|\bkys\b|\bstfu\b|\bgtfo\b"
    r"|\bget\s+lost\b|\bsuck\s+my\b|\byou\s+(?:suck|stink)\b",
    (
        "fu",
        "f*",
        "fck",
        "fk",
        "screw",
        "damn",
        "hell",
        "shut up",
        "go die",
        "kill yourself",
        "yourself",
        "kys",
        "stfu",
        "gtfo",
        "get lost",
        "suck",
        "stink",
    ),
)
_THREAT = Rx(
    r"\b(?:i|we)\s*(?:'ll|will|am\s+going\s+to|'m\s+going\s+to|gonna)\s+(?:find|hunt|track)\s+(?:you"
    r"|u)\s*(?:down)?"
    r"(?:\s*[.!,]|\s*$|\s+and\b|\s+wherever|\s+where|\s+in\s+real\s+life|\s+irl)"
    r"|\bi\s+know\s+where\s+you\s+(?:live|work|are)\b|\bwatch\s+your\s+back\b|\bwatch\s+out\s+for\s+me\b"
    r"|\byou(?:'ll|\s+will|'re\s+going\s+to|\s+are\s+going\s+to|\s+gonna)\s+(?:really\s+)?(?:regret\s+(?:this"
    r"|it|that|messing"
    r"|crossing|the\s+day|ever|what)|be\s+sorry|pay\s+for\s+(?:this|it|that)|see\s+what\s+happens)"
    r"|\b(?:i|we)\s*(?:'ll|will|am\s+going\s+to|'m\s+going\s+to|gonna)\s+(?:destroy|ruin|end|kill|hurt|beat"
    r"|break)\s+"
    r"(?:you|u|your\s+(?:life|career|reputation|business|family|account|face))\b"
    r"|\bmake\s+sure\s+you\s+never\s+(?:work|get\s+(?:a\s+)?(?:job|work|hired))\s+again\b"
    r"|\byou\s+(?:don'?t|do\s+not)\s+know\s+who\s+you'?re\s+(?:dealing|messing)\s+with\b"
    r"|\b(?:your|ur)\s+family\s+(?:will|is\s+going\s+to|are\s+going\s+to)\s+(?:pay|suffer|regret|be\s+sorry"
    r"|be\s+next|get\s+hurt|be\s+hurt|find\s+out|hear\s+(?:about|from)|see\s+what|know\s+what|not\s+be\s+safe"
    r"|never\s+be\s+safe)\b"
    r"|\bwait\s+and\s+see\s+what\s+(?:i|happens)\b",
    (
        "find you",
        "hunt you",
        "track you",
        "find u",
        "hunt u",
        "track u",
        "where you",
        "watch your",
        "watch out for me",
        "regret",
        "be sorry",
        "pay for",
        "see what happens",
        "destroy",
        "ruin",
        "end you",
        "end your",
        "kill",
        "hurt",
        "beat",
        "break you",
        "break your",
        "break u",
        "never work",
        "never get",
        "who you",
        "family",
        "wait and see",
    ),
)
_PESTER = Rx(
    r"\b(?:why\s+(?:are|r)\s+(?:you|u)\s+ignoring\s+me|answer\s+me|reply\s+(?:to\s+me\s+)?(?:now|asap|already)"
    r"|respond\s+(?:now|already|immediately)|hello\s*\?{2,}|are\s+you\s+there\s*\?{2,}"
    r"|hire\s+me\s+(?:already|now)"
    r"|why\s+(?:won'?t|don'?t)\s+you\s+(?:answer|reply|respond|hire\s+me))"
)
_REPORTED = Rx(
    r"\b(?:called|calls|call|calling)\s+(?:me|him|her|us|them)\b|\b(?:said|says|told|wrote|write|writes|saying|"
    r"accused|accuses|accusing)\b|\bnot\s+(?:a|an|calling)\b|\bdon'?t\s+(?:call|think|feel)\b"
    r"|\bif\s+i\s+"
    r"(?:sound|seem)\b|\bnot\s+(?:stupid|dumb|an\s+idiot)\b"
)

# Legal action threatened at the other party: "I will sue you", "we'll take you to court", "I'll
# report you to the police" (always "you": "we will take legal action" alone names no one). The act
# in full: it flags by itself (`explain.WHOLE_ACT`) unless told as said ("some buyers write I will
# sue you").
_LEGAL_ACTION = Rx(
    r"\b(?:(?:i|we)\s*(?:'ll|ll|will|shall|am\s+going\s+to|'m\s+going\s+to|m\s+going\s+to|are\s+going\s+to"
    r"|'re\s+going\s+to|r\s+going\s+to|am\s+gonna|'m\s+gonna|m\s+gonna|are\s+gonna|'re\s+gonna|r\s+gonna|gonna"
    r"|(?:'ll|will)\s+be\s+forced\s+to|(?:'d|would)\s+be\s+forced\s+to))(?:\s+\w+ly)?\s+"
    r"(?:sue\s+(?:you|u|your\s+(?:company|business|agency|ass))\b|take\s+(?:you|u)\s+to\s+court\b"
    r"|(?:take\s+legal\s+action|press\s+charges|file\s+(?:a\s+)?(?:lawsuit|charges|suit))"
    r"\s+against\s+(?:you|u)\b"
    r"|(?:report|turn)\s+(?:you|u)\s+(?:in\s+)?to\s+the\s+(?:police|cops|authorities)\b"
    r"|call\s+the\s+(?:police|cops)\s+on\s+(?:you|u)\b)",
    ("sue", "suit", "court", "legal action", "charges", "police", "cops", "authorities"),
)
# A lawyer sent at the other party, or court named: "my lawyer will contact you", "see you in
# court". Left to the model, which weighs the words around it: "my lawyer will call you about the
# NDA" and "see you in court on Monday for the hearing" are no threats.
_LEGAL = Rx(
    r"\bmy\s+(?:lawyers?|attorneys?|solicitors?|legal\s+team)\s+(?:will|is\s+going\s+to|are\s+going\s+to)\s+"
    r"(?:contact|call|be\s+in\s+touch\s+with|hear\s+from|sue|deal\s+with)\s+(?:you|u)\b"
    r"|\bsee\s+you\s+in\s+court\b",
    ("lawyer", "attorney", "solicitor", "legal team", "court"),
)
# Words that make what follows them a thing said, not said now ("they write I will sue you").
_SAID = Rx(r"\b(?:write|writes|wrote|say|says|said|type|types|typed|tell|tells|told|threaten|threatens"
           r"|threatened|saying|writing|sent|sends|reads|shouts|shouted|was)(?:\s+me)?\s*(?::\s*)?(?:[\"']\s*)?$")
# ... unless the one saying it is the speaker ("whenever I say I will sue you", "as I told you, we
# will take you to court"): their own threat, said again.
_OWN_SAYING = Rx(r"^\s*(?:(?:as|like|again|listen|look|remember|believe\s+me|trust\s+me)\s*,?\s+)?"
                 r"(?:(?:whenever|when)\s+(?:i|we)\s+say"
                 r"|(?:i|we)(?:'ve|\s+have|'m|\s+am)?\s+(?:\w+ly\s+|just\s+|already\s+)?(?:said|saying"
                 r"|told\s+(?:you|u)(?:\s+(?:many\s+times|twice|before|already|again))?|telling\s+(?:you|u)"
                 r"|promise(?:\s+(?:you|u))?|swear))(?:\s+that)?\s*:?\s*$")
# ... and taken back: an apology or regret in the text makes "I said I will sue you" a retraction.
_RETRACTED = Rx(r"\b(?:sorry|apologi[sz]e|apologies|regret|take\s+it\s+back|was\s+wrong|out\s+of\s+line"
                r"|shouldn'?t\s+have|in\s+anger|didn'?t\s+mean)\b")
# Words right before it that make the threat a thing wondered about or denied ("do you think I will
# sue you", "I doubt we will", "it's not like we'll sue you", "sorry if it sounded like I will").
_HEDGED = Rx(r"\b(?:(?:think|thinks|thought|afraid|doubt|doubts|imagine|whether|sounded|sounds|seemed|seems)"
             r"(?:\s+(?:that|like|if))?|as\s+if|not\s+(?:that|like)|no\s+chance(?:\s+that)?)\s*$")
# A condition the threat hangs on ("if you don't pay I will sue you"): its negator is not the threat's.
_CONDITION = Rx(r"\b(?:if|unless|until|when)\s+(?:you|u)\b")


def _aimed(norm: str, start: int, end: int) -> bool:
    lo, _ = negation.clause(norm, start, end)
    return _aimed_in(norm, lo, start, end)


def _aimed_in(norm: str, lo: int, start: int, end: int) -> bool:
    """`_aimed`, the clause beginning at `lo`."""
    return not _REPORTED.test(norm[lo:start]) and not negation.quoted(norm, start, end)


def _told_by_another(norm: str, lo: int, start: int, end: int) -> bool:
    """Whether words in the clause beginning at `lo` are told as someone else's, not the speaker's
    own said again ("I said I will sue you" is a threat; "he said", a quote, or "I said I will sue
    you, sorry, I take it back" is not)."""
    before = norm[lo:start]
    if _aimed_in(norm, lo, start, end) and not _SAID.test(before):
        return False
    return not _OWN_SAYING.test(before) or negation.quoted(norm, start, end) or _RETRACTED.test(norm)


def _threatened(norm: str, start: int, end: int) -> bool:
    """Legal action threatened now: aimed; not the object of a verb of saying ("they write I will sue
    you"), asked ("do you think I will sue you?"), wondered about or denied ("it's not that we will
    sue you", "I doubt we will"); not "U.S." for "us"."""
    lo, hi = negation.clause(norm, start, end)
    before = norm[lo:start]
    if _told_by_another(norm, lo, start, end) or _HEDGED.test(before) or norm[end - 1:end + 3] == "u.s.":
        return False
    if negation.negated_before(norm, start, end) and not _CONDITION.test(before):
        return False
    return "?" not in norm[end:hi + 1]  # asked in its own clause ("... sue you over a typo?")


_RULES = (
    (_AT_YOU, "harassment_insult", 0.85, "insults the other party", _aimed),
    (_CURSE, "harassment_curse", 0.85, "curses at the other party", _aimed),
    (_THREAT, "harassment_threat", 0.9, "threatens the other party", _aimed),
    (_LEGAL_ACTION, "harassment_legal_action", 0.85, "threatens the other party with legal action", _threatened),
    (_LEGAL, "harassment_legal_threat", 0.85, "threatens the other party with the law", _aimed),
)


def _rules(doc: Normalized) -> list[TextHit]:
    hits: list[TextHit] = []
    for rx, detector, weight, reason, stands in _RULES:
        for match in rx.scan(doc.norm, doc.triggers):
            if stands(doc.norm, match.start, match.end):
                shown = doc.text[slice(*doc.orig_span(match.start, match.end))]
                hits.append(
                    TextHit(
                        HARASSMENT, detector, weight, (doc.orig_span(match.start, match.end),), f"{reason}: '{shown}'"
                    )
                )
    return hits


def pestering(doc: Normalized, context: TextContext) -> list[TextHit]:
    """Demands for an answer after several earlier messages count as pestering (the one hit that
    reads earlier messages)."""
    if len(context.previous) < 2:
        return []
    match = _PESTER.search(doc.norm)
    if match is None:
        return []
    pushes = sum(1 for text in context.previous[-6:] if _PESTER.test(fold(text)) or "?" in text)
    if pushes < 2:
        return []
    return [
        TextHit(
            HARASSMENT,
            "harassment_pestering",
            0.6,
            (doc.orig_span(match.start, match.end),),
            f"keeps demanding an answer ({len(context.previous) + 1} messages in a row)",
        )
    ]


_YOU = Rx(r"\b(?:you|u|ya|ur|your|y0u)\b")


def _disguised(doc: Normalized, gate: Gate) -> list[TextHit]:
    """A disguised insult ("1d10t", "f*ck") next to "you": disguise shows intent."""
    hits: list[TextHit] = []
    for name in gate.names_of(INSULT):
        lo, hi = negation.clause(doc.norm, name.start, name.end)
        if name.obfuscated and _YOU.test(doc.norm[lo:hi]) and _aimed(doc.norm, name.start, name.end):
            shown = doc.text[slice(*doc.orig_span(name.start, name.end))]
            hits.append(
                TextHit(
                    HARASSMENT,
                    "harassment_disguised_insult",
                    0.8,
                    (doc.orig_span(name.start, name.end),),
                    f"aims a disguised {name.name} ('{shown}') at the other party",
                )
            )
    return hits


def detect(doc: Normalized, gate: Gate, context: TextContext) -> list[TextHit]:
    """Harassment hits for one text."""
    return _rules(doc) + _disguised(doc, gate) + pestering(doc, context)
