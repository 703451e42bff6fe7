"""Whether the speaker disowns the words a model-only flag quotes (harassment, feedback or scam):
someone else's words, quoted or in the sentence ("they always write you are a fraud, ignore it"; "don't
listen to anyone who says you're a bad designer"), negated by the speaker's own "I" or "we"
before them in their clause ("I'm not going to leave you a bad review"), or, for feedback and
scams, refused ("be careful, nobody pays to get a job").

What keeps the speaker to the words:
- a condition that makes the negation a bargain ("I won't send the files until you rate me",
  "refund me and I won't write about it in my review"); "if you need anything" is a courtesy;
- for harassment, an insult in the clause, unless the clause denies saying it ("I never told
  anyone you were a scammer") or reports it; refusal words excuse no threat ("watch out");
- a negation that is not the speaker's own: an order ("do not leave less than 5 stars"), a
  statement about someone else ("nobody would miss you"), or a turn of phrase that negates
  nothing ("I won't lie, I need that 5 star review").
"""

from __future__ import annotations

from scoring.text import negation
from scoring.text.harassment import INSULT_WORDS
from scoring.text.rx import Rx, words
from scoring.text.types import HARASSMENT

# The speaker as subject, with or without the apostrophe chat drops ("im", "ive"), then perhaps
# an auxiliary and an adverb, then the negator. Blanks are `\s+` between words so that a run of
# them is matched one way only.
_SUBJECT = negation.SPEAKER
_AUX = r"(?:am|are|will|would|do|did|have|has|had|was|were|could|can|shall|should)"
_ADVERB = r"(?:really|just|honestly|definitely|certainly|absolutely|simply|truly|also|still|even|surely)"
_NEGATOR = (r"(?:not|never|won't|wont|don't|dont|didn't|didnt|can't|cant|cannot|couldn't|couldnt|wouldn't"
            r"|wouldnt|haven't|havent|wasn't|wasnt|weren't|werent|shouldn't|shouldnt)")
_OWN_NEGATION = Rx(rf"\b{_SUBJECT}(?:\s+{_AUX})?(?:\s+{_ADVERB})?\s+{_NEGATOR}\b")
_DENIAL = Rx(rf"\b{_SUBJECT}(?:\s+{_AUX})?\s+(?:never|didn't|didnt|did\s+not|haven't|havent|have\s+not|wouldn't"
             r"|would\s+never)\s+(?:\w+\s+)?(?:said|say|called|call|told|tell|meant|mean|wrote|write)\b")
# Turns of phrase whose negator negates nothing the speaker disowns.
_NOT_DISOWNING = Rx(r"\b" + words(
    "won't lie", "wont lie", "not gonna lie", "not going to lie", "don't care", "dont care", "not kidding",
    "not joking", "don't know", "dont know", "can't wait", "cant wait", "can't believe", "cant believe",
    "can't imagine", "cant imagine", "can't stand", "cant stand", "don't think", "dont think",
) + r"\b")
_OTHERS_SAY = Rx(
    r"\b(?:anyone|anybody|whoever|someone|somebody|people|those)\s+(?:who\s+|that\s+)?"
    r"(?:says?|said|tells?|told|calls?|called|claims?|claimed)\b"
)
_INSULT = Rx(r"\b" + INSULT_WORDS + r"\b")
_CONDITION = Rx(r"\b(?:until|till|unless|or\s+else|otherwise|before\s+you|as\s+long\s+as|you'?d\s+better"
                r"|you\s+better|in\s+return\s+for)\b")
_IF_YOU = Rx(r"\bif\s+you\s+(\w+)")
_UNLESS = Rx(r"\bunless\b")
# "let me know if you need...": a courtesy, not a condition
_COURTESY = frozenset({"need", "needs", "want", "wants", "have", "has", "prefer", "like", "would", "wish", "can",
                       "could", "get", "are", "feel", "think", "ask", "asked", "were", "saw", "read", "missed",
                       "wonder", "wondered"})
# A demand, then "and I won't ...": the negation is the price ("refund me and I won't review you").
_DEMAND_THEN_NEGATION = Rx(
    r"\b(?:give|pay|send|refund|return|release|change|remove|delete|update|leave|rate|transfer|wire|fix)\s+"
    r"(?:me|us|it|my|our|your|this|that|the|back|\$|\d)[^.!?;\n]{0,80}\band\s+(?:i|we)\s+"
    r"(?:won't|wont|will\s+not|will\s+never)\b"
)
# Folded so that offsets stay those of the text: a typographic apostrophe is the ASCII one, and the
# dotted capital I lowers to one character.
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u0130": "i"})


def lowered(text: str) -> str:
    """The text as `disowned` reads it: lowered, apostrophes folded, same length and offsets."""
    return text.translate(_FOLD).lower()


def disowned(low: str, start: int, end: int, policy: str) -> bool:
    """Whether the speaker disowns the words at [start, end) of `low` (`lowered`) flagged for
    `policy` (harassment, feedback or scam)."""
    if negation.framed(low, start, end):  # someone else's words, quoted
        return True
    lo, hi = negation.clause(low, start, end)
    clause = low[lo:hi]
    if policy == HARASSMENT and _INSULT.test(clause):
        return _DENIAL.test(clause) or _others(clause)
    sentence = low[slice(*negation.sentence(low, start, end))]
    if _others(sentence):
        return True
    if _conditional(low, lo, hi, sentence):
        return False
    if policy != HARASSMENT and negation.refused(low, start, end):
        return True
    own = _OWN_NEGATION.search(clause)
    return own is not None and start >= lo + own.start and not _NOT_DISOWNING.test(clause)


def _others(window: str) -> bool:
    """Someone else's words: reported, or "anyone who says"."""
    return _OTHERS_SAY.test(window) or negation.reported_in(window)


def _conditional(low: str, lo: int, hi: int, sentence: str) -> bool:
    """A condition in the clause [lo, hi) or the one after it, "if you ..." or "unless" in the
    clause before it in the sentence ("if you do not accept my cancellation, I will leave a 1 star
    review"), or a demand before "and I won't" in the sentence, makes any negation there a
    bargain."""
    after = negation.clause(low, hi + 1, hi + 1)[1] if hi < len(low) else hi
    region = low[lo:after]
    if _CONDITION.test(region) or _DEMAND_THEN_NEGATION.test(sentence):
        return True
    first = negation.sentence(low, lo, hi)[0]
    if lo - 2 >= first:
        region = low[max(first, negation.clause(low, lo - 2, lo - 2)[0]):after]
        if _UNLESS.test(region):
            return True
    return any(found.groups[0] not in _COURTESY for found in _IF_YOU.finditer(region))
