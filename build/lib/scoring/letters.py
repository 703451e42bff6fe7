"""What the cross-account cover-letter index knows about a proposal: earlier letters of other
accounts that share an LSH band with it. Built by the stream layer (Redis, or an in-memory
fake) and handed to the pure cover-letter farm detector."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LetterMatch:
    account_id: str
    proposal_id: str
    similarity: float  # estimated Jaccard similarity of the two letters' word 3-shingles
    ts: int  # when the other account sent its letter
