"""Refusal, negation, reported speech and quotation around a match.

A match is judged inside its sentence (split at ``. ! ? ; newline``) and its clause (also
split at commas and "but"). Strong cues ("I refused", "only through Upwork", "against the
ToS", "the client asked me to") clear the whole sentence; a plain negator ("don't", "can't")
must sit in the same clause before the match.
"""

from __future__ import annotations

import re

from scoring.text.register import DEVTALK
from scoring.text.rx import Rx, words

_WINDOW = 220
_SAYING = re.compile(
    r"\b(?:says?|said|saying|wr[io]tes?|written|writing|messaged|messages|texted|told|tells?|telling|called|calls"
    r"|calling|sent|replied|replies|asked|posted|commented|claimed|claims|threatened|yelled|screamed)\b"
)
# words someone else said to the speaker, whoever the subject: "I received '...'", "I got '...'",
# "his exact words were '...'"
_RECEIVING = re.compile(
    r"\b(?:received|receiving|receives?|got|gets|getting|answered|responded|responds|sends|words\s+(?:were|was))\b"
)
_FRAME_CHARS = 60  # how far from a quotation its verb of saying is looked for
# The speaker as subject, with or without the apostrophe chat drops ("im", "ive").
SPEAKER = r"(?:i'm|im|i've|ive|i'd|i'll|we're|we've|we'd|we'll|i|we)"
# the speaker as the subject of a verb of saying, in the few characters before it ("i said",
# "as i told", "we're writing", "i have already said"); not "i was told", "i got sent" (someone
# else said it to them) nor "i think he said" (someone else's words)
_OWN_SUBJECT = re.compile(
    r"\b" + SPEAKER
    + r"(?:\s+(?:have|had|already|just|also|literally|clearly|even|really|did|do|once|specifically|never))*\s*$"
)
_SUBJECT_CHARS = 40
# Windows are at most 2 * _WINDOW characters, so these greedy scans stay short.
_SENTENCE_END = r"(?:[\n!?;]|\.\s)"
_CLAUSE_END = r"(?:[\n!?;,]|\.\s| but | though | however | so | and then )"
_SENTENCE_LAST = re.compile(r"(?s).*" + _SENTENCE_END)
_SENTENCE_FIRST = re.compile(_SENTENCE_END)
_CLAUSE_LAST = re.compile(r"(?s).*" + _CLAUSE_END)
_CLAUSE_FIRST = re.compile(_CLAUSE_END)

_NEGATOR = Rx(
    r"\b"
    + words(
        "no",
        "not",
        "never",
        "don't",
        "dont",
        "do not",
        "doesn't",
        "does not",
        "didn't",
        "did not",
        "won't",
        "will not",
        "wont",
        "can't",
        "cant",
        "cannot",
        "can not",
        "couldn't",
        "shouldn't",
        "should not",
        "mustn't",
        "must not",
        "isn't",
        "is not",
        "aren't",
        "are not",
        "wasn't",
        "nor",
        "without asking",
        "refuse to",
        "unable to",
        "not able to",
        "not allowed to",
        "no need to",
    )
    + r"\b"
)
_NOT_A_NEGATION = Rx(
    r"\b"
    + words(
        "don't worry",
        "dont worry",
        "do not worry",
        "don't hesitate",
        "dont hesitate",
        "do not hesitate",
        "no worries",
        "no problem",
        "not a problem",
        "no prob",
        "don't mind",
        "no matter",
        "not sure",
        "why not",
        "why don't you",
        "why dont you",
        "why won't you",
        "why wont you",
        "why can't you",
        "why cant you",
        "no rush",
        "don't want to pay the fee",
        "don't want to lose",
        "not only",
    )
    + r"\b"
)
# Contact put off until a contract starts, which the policy allows then.
_ONCE_CONTRACTED = (
    "after (?:the |a )?contract (?:starts|is signed|begins|is active)",
    "once (?:the |a )?contract (?:starts|is signed|begins|is active|is in place|is open)",
)
_LATER = Rx(r"\b" + words(*_ONCE_CONTRACTED) + r"\b", ("contract",))
_REFUSAL = Rx(
    r"\b"
    + words(
        "refused",
        "refuse",
        "declined",
        "decline",
        "said no",
        "told (?:him|her|them) no",
        "rejected",
        "reported",
        "report (?:him|her|them|it|this)",
        "flagged",
        "against (?:the |upwork'?s? )?(?:tos|terms|rules|policy|policies)",
        "violat\\w*",
        "prohibited",
        "forbidden",
        "not allowed",
        "isn't allowed",
        "is not allowed",
        "not permitted",
        "breach",
        "get (?:me )?banned",
        "get (?:my account )?suspended",
        "terms of service",
        "only (?:accept|work|take|get paid|communicate|talk|chat|use)\\w* (?:\\w+ ){0,3}(?:here|(?:through"
        "|via|on|within|inside|thru) (?:the |this )?(?:upwork|fiverr|freelancer|platform|site|app|escrow|chat"
        "|messages?|milestones?))",
        "only (?:through|via|thru|on|within|inside) (?:the )?(?:upwork|platform|here|site|this)",
        "only (?:\\w+ ){1,2}(?:through|via|thru|on|within|inside) (?:the )?(?:upwork|fiverr|platform|site|escrow)",
        "keep (?:all |everything |it |this |the )?(?:\\w+ )?(?:here|(?:on|within|inside) (?:the |this )?(?:upwork"
        "|fiverr|platform|site|app|chat))",
        "stay on (?:upwork|the platform)",
        "(?:i|we) (?:don'?t|do not|won'?t|will not|never) (?:accept|take|work|deal|go)\\w* "
        "(?:\\w+ ){0,3}(?:outside|off)",
        "is it (?:ok|okay|allowed|safe|legal|legit|against|possible|normal)",
        "am i allowed",
        "are we allowed",
        "is this (?:a )?scam",
        "is this legit",
        "red flag",
        "scammer",
        "be careful",
        "beware",
        "watch out",
        "never (?:share|give|send)",
        "never pay (?:\\w+ )?(?:outside|off|upfront|up front|in advance|before|anyone|strangers)",
        "not comfortable",
        "i'm not comfortable",
        *_ONCE_CONTRACTED,
    )
    + r"\b"
)
# One party asking or offering the other: "pay me", "send you", "add me", "leave me", "give you"
# (a refusal or a rule question does not ask; a warning that goes on to ask does).
_DIRECT_ASK = Rx(
    r"\b(?:pay|paying|send|sending|transfer|wire|contact|email|e-mail|mail|text|call|message|add|reach|whatsapp"
    r"|telegram|skype|dm|ping|give|giving|leave|rate|refund|tip|offer)\s+(?:me|you)\b",
    ("pay", "send", "transfer", "wire", "contact", "mail", "text", "call", "message", "add", "reach", "whatsapp",
     "telegram", "skype", "dm", "ping", "give", "leave", "rate", "refund", "tip", "offer"),
)
_THIRD_PARTY = (
    "(?:the |my |a |this |one |that )?(?:client|freelancer|buyer|seller|guy|person|someone"
    "|somebody|recruiter|he|she|they|people)"
    " (?:keeps? |kept |has |had |was |is |just |always |often )?(?:asked|asking|asks|ask|wants|wanted|told"
    "|offered|offering|suggested"
    "|insisted|insists|want|tried|trying|sent|said|wrote|write|writes|messaged|requested|requesting|called|proposed|demanded|invited)",
    "asked me (?:to|for|if)",
    "ask(?:ed|ing)? (?:a|the|my) (?:client|freelancer) (?:to|for|if)",
    "(?:got|received|get) (?:a |an |this |these )?(?:message|messages|invite|invitation|offer|email|proposal|dm)s?",
    "someone on upwork",
)
# Asides of a question or an example: they report no ask of the speaker's, unless the sentence
# makes one ("for example, you can pay me via PayPal").
_ASIDES = (
    "what should i do",
    "what do i do",
    "how do i",
    "anyone else",
    "has anyone",
    "does anyone",
    "did anyone",
    "in the seed",
    "for example",
    "e\\.g\\.",
    "such as",
)
_REPORTED = Rx(r"\b" + words(*_THIRD_PARTY) + r"\b")
_ASIDE = Rx(r"\b" + words(*_ASIDES) + r"\b")
_REPORTED_CUE = Rx(r"\b" + words(*_THIRD_PARTY, *_ASIDES) + r"\b")  # either: what the model weighs


def _bounds(text: str, start: int, end: int, last: re.Pattern[str], first: re.Pattern[str]) -> tuple[int, int]:
    lo_limit, hi_limit = max(0, start - _WINDOW), min(len(text), end + _WINDOW)
    before = last.match(text, lo_limit, start)
    after = first.search(text, end, hi_limit)
    return (before.end() if before else lo_limit), (after.start() if after else hi_limit)


def sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence around [start, end), at most ``_WINDOW`` characters each side."""
    return _bounds(text, start, end, _SENTENCE_LAST, _SENTENCE_FIRST)


def clause(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the clause around [start, end)."""
    return _bounds(text, start, end, _CLAUSE_LAST, _CLAUSE_FIRST)


def negated_before(text: str, start: int, end: int) -> bool:
    """A negator earlier in the same clause ("I don't accept PayPal")."""
    lo, _ = clause(text, start, end)
    before = text[lo:start]
    return _NEGATOR.test(before) and not _NOT_A_NEGATION.test(before)


def negated_just_before(text: str, start: int, words_before: int = 3) -> bool:
    """A negator among the few words right before a match: for a match that holds its own verb
    ("you could build it for free"), a negator further back belongs to another verb ("as you are
    not busy this week, I thought you could build it for free")."""
    lo, _ = clause(text, start, start)
    before = " ".join(text[lo:start].split()[-words_before:])
    return _NEGATOR.test(before) and not _NOT_A_NEGATION.test(before)


def asks(window: str) -> bool:
    """One party asks the other in `window` ("pay me", "send you", "add me")."""
    return _DIRECT_ASK.test(window)


def refused(text: str, start: int, end: int) -> bool:
    """The sentence refuses, reports, quotes a third party, or asks about the rules. A sentence
    that asks the other party itself ("is it ok if I pay you through Wise?", "be careful with
    fees, pay me on PayPal") is not a refusal, whatever words of one it holds, unless it puts
    the contact off until a contract starts."""
    lo, hi = sentence(text, start, end)
    window = text[lo:hi]
    return ((_REFUSAL.test(window) or _ASIDE.test(window)) and not asks(window)) or _LATER.test(window) \
        or reported_in(window)


def reported_in(window: str) -> bool:
    """A third party's words or asks reported in `window` ("they always write you are a fraud")."""
    return _REPORTED.test(window)


def quoted(text: str, start: int, end: int) -> bool:
    """The match sits inside quotation marks, double ones opened in its sentence, or single ones
    opened before it and closed after it, in its sentence or across several ("they wrote 'you
    have won a prize. Claim it here.' I reported them"), within `_WINDOW` characters either side."""
    return quotation(text, start, end) is not None


def quotation(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the quotation around the match opens and closes (the closing mark's offset, or the
    text's end for a double quote left open), if it sits inside one (`quoted`)."""
    s_lo, _ = sentence(text, start, end)
    if text.count('"', s_lo, start) % 2 == 1:
        closing = text.find('"', end)
        return text.rfind('"', s_lo, start), len(text) if closing == -1 else closing
    lo, hi = max(0, start - _WINDOW), min(len(text), end + _WINDOW)
    if "'" not in text[lo:start]:
        return None
    opening = _single_open(text, lo, start)
    closing = _single_closed(text, end, hi) if opening >= 0 else -1
    return (opening, closing) if closing >= 0 else None


def framed(text: str, start: int, end: int) -> bool:
    """The match is inside someone else's words the speaker reports: quoted, with a verb of saying
    just before the quotation or just after it ("the client wrote 'you idiot'", "'pay me on
    PayPal', he said"), not a message merely put in quotation marks or quoted to comment on."""
    around = quotation(text, start, end)
    if around is None:
        return False
    before, after = text[max(0, around[0] - _FRAME_CHARS) : around[0]], text[around[1] + 1 : around[1] + _FRAME_CHARS]
    return _reports(before) or _reports(after)


def _reports(window: str) -> bool:
    """A verb of saying in `window` whose subject is not the speaker: "he said", "the client
    wrote", not "I said", "as I told you", "we're writing" (the speaker quoting their own words
    holds to them); or words received ("I got this: ...")."""
    if _RECEIVING.search(window):
        return True
    for verb in _SAYING.finditer(window):
        if _OWN_SUBJECT.search(window, max(0, verb.start() - _SUBJECT_CHARS), verb.start()) is None:
            return True
    return False


def _single_open(text: str, lo: int, start: int) -> int:
    """Where a single quote opened in text[lo:start] that is still open at `start` opens (-1:
    none). An opening quote follows no letter or digit and precedes one; a closing quote follows
    one and precedes none. Apostrophes inside words ("you've", "don't") are neither."""
    opened = -1
    at = text.find("'", lo, start)
    while at != -1:
        before = text[at - 1] if at > lo else " "
        after = text[at + 1] if at + 1 < len(text) else " "
        if opened < 0:
            opened = at if not before.isalnum() and after.isalnum() else -1
        elif not after.isalnum():
            opened = -1
        at = text.find("'", at + 1, start)
    return opened


def _single_closed(text: str, end: int, hi: int) -> int:
    """Where a closing single quote follows in text[end:hi] (or right at its end), -1 when none:
    an apostrophe dropping letters ("'cause") opens nothing."""
    at = text.find("'", end, hi + 1)
    while at != -1:
        after = text[at + 1] if at + 1 < len(text) else " "
        if at > 0 and not text[at - 1].isspace() and not after.isalnum():
            return at
        at = text.find("'", at + 1, hi + 1)
    return -1


def suppressed(text: str, start: int, end: int) -> bool:
    """Any reason not to hold the speaker to the match: negated, refused, or someone else's words
    the speaker reports in a quotation (`framed`)."""
    return negated_before(text, start, end) or refused(text, start, end) or framed(text, start, end)


_CUES = (("refusal", _REFUSAL), ("reported", _REPORTED_CUE), ("devtalk", DEVTALK))
# most texts hold none: one scan says so
_ANY_CUE = Rx("|".join(f"(?:{rx.pattern})" for _, rx in _CUES))


def cues(norm: str) -> list[tuple[str, tuple[int, int]]]:
    """Whole-text cues the learned stage weighs (a refusal, the rules invoked, a third party's
    words reported, software or support talk), each with its first match in the folded text."""
    if not _ANY_CUE.test(norm):
        return []
    out = []
    for name, rx in _CUES:
        found = rx.search(norm) if rx.test(norm) else None  # the test is the cheaper, and cues are rare
        if found is not None:
            out.append((name, (found.start, found.end)))
    return out
