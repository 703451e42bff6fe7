"""Records the text stage exchanges with its callers: a hit, the context of a text, policy ids."""

from __future__ import annotations

from dataclasses import dataclass

OFF_PLATFORM_PAYMENT = "off_platform_payment"
OFF_PLATFORM_CONTACT = "off_platform_contact"
FEEDBACK_MANIPULATION = "feedback_manipulation"
HARASSMENT = "harassment"
SPAM_SCAM = "spam_scam"

POLICIES: tuple[str, ...] = (
    OFF_PLATFORM_PAYMENT,
    OFF_PLATFORM_CONTACT,
    FEEDBACK_MANIPULATION,
    HARASSMENT,
    SPAM_SCAM,
)
KINDS: tuple[str, ...] = ("message", "proposal", "feedback", "profile")

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class TextHit:
    """One rule firing on one text; spans index the original, un-normalised text."""

    policy: str
    detector: str
    weight: float
    spans: tuple[Span, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class TextContext:
    """What the caller knows about the text beyond its characters."""

    kind: str = "message"
    contact_allowed: bool = False
    direct_contract: bool = False
    previous: tuple[str, ...] = ()
