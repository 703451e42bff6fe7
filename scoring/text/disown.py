"""Whether the speaker disowns the words a model-only flag quotes: someone else's words
("don't listen to anyone who says you're a bad designer"), refused or reported, or negated by the
speaker's own "I" or "we" ("I'm not going to leave you a bad review").

An insult in the clause keeps the speaker to it ("I won't pay a useless idiot like you"), unless
the clause denies saying it ("I never told anyone you were a scammer"). A condition makes a
negation a bargain, not a refusal ("I won't send the files until you rate me", "give me my money
back and I won't write it in my review"). A negation that is not the speaker's own is an order
or a statement about something else ("do not leave less than 5 stars", "nobody would miss you").
"""

from __future__ import annotations

from scoring.text import negation
from scoring.text.harassment import INSULT_WORDS
from scoring.text.rx import Rx

_OWN_NEGATION = Rx(
    r"\b(?:i|we)\s*(?:'m|'re|am|are|will|'ll|would|'d|do|did|have|'ve|was|were|had|could|can|shall)?\s*"
    r"(?:not|never|n't|won'?t|don'?t|didn'?t|can'?t|cannot|couldn'?t|wouldn'?t|haven'?t|wasn'?t|weren'?t)\b"
)
_DENIAL = Rx(
    r"\b(?:i|we)\s*(?:'ve|have|had)?\s*(?:never|didn'?t|did\s+not|haven'?t|have\s+not|wouldn'?t|would\s+never)\s+"
    r"(?:\w+\s+)?(?:said|say|called|call|told|tell|meant|mean|wrote|write|thought|think)\b"
)
_OTHERS_SAY = Rx(
    r"\b(?:anyone|anybody|whoever|someone|somebody|people|those)\s+(?:who\s+|that\s+)?"
    r"(?:says?|said|tells?|told|calls?|called|claims?|claimed|thinks?|thought)\b"
)
_INSULT = Rx(r"\b" + INSULT_WORDS + r"\b")
_CONDITION = Rx(
    r"\b(?:until|till|unless|or\s+else|otherwise|if\s+you|before\s+you|as\s+long\s+as|you'?d\s+better"
    r"|you\s+better|and\s+(?:i|we)\s+(?:won'?t|will\s+not|will\s+never))\b"
)


def disowned(low: str, start: int, end: int) -> bool:
    """Whether the speaker disowns the words at [start, end) of the lowered text `low`."""
    lo, hi = negation.clause(low, start, end)
    clause = low[lo:hi]
    others = _OTHERS_SAY.test(clause) or negation.reported(low, start, end)
    if _INSULT.test(clause) and not others and not _DENIAL.test(clause):
        return False
    if others or negation.refused(low, start, end):
        return True
    own = _OWN_NEGATION.search(clause)
    if own is None or start < lo + own.start:
        return False
    s_lo, s_hi = negation.sentence(low, start, end)
    return not _CONDITION.test(low[s_lo:s_hi])
