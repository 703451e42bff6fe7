"""The simulator's configuration and the bad-actor catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from streams.batch.recorded import RecordedEvent

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
MINUTE_MS = 60_000

# Bad actor kind -> the policy ids its accounts truly violate.
BAD_KINDS: dict[str, tuple[str, ...]] = {
    "off_platform_payer": ("off_platform_payment",),
    "contact_sharer": ("off_platform_contact",),
    "cover_letter_paster": ("spam_scam",),
    "feedback_beggar": ("feedback_manipulation",),
    "harasser": ("harassment",),
    "spammer": ("spam_scam",),
    # DOMAIN lists a scam client moving freelancers to Telegram under both: the scam, and a
    # conversation taken off the platform before any contract
    "scam_client": ("spam_scam", "off_platform_contact"),
    "duplicate_ring": ("duplicate_account",),
    "friends_family": ("feedback_manipulation",),
    # DOMAIN: reciprocal-feedback deals; here accounts hiring one another in turn, sharing nothing
    "rating_ring": ("feedback_manipulation",),
    # DOMAIN: message bursts; here 16-20 messages within a minute that straddle a minute boundary
    "burster": ("spam_scam",),
    "poor_client": ("client_risk",),
    "low_quality": ("low_quality",),
}



@dataclass(frozen=True, slots=True)
class SimConfig:
    accounts: int = 400  # total accounts (clients + freelancers)
    days: float = 7.0  # simulated period
    seed: int = 1
    bad_share: float = 0.15  # share of accounts that are bad actors, spread over every kind
    malformed_share: float = 0.002  # share of extra malformed events (for the dead-letter path)
    start_ts: int = 1767225600000  # 2026-01-01T00:00:00Z

    @property
    def end_ts(self) -> int:
        return self.start_ts + int(self.days * DAY_MS)


@dataclass(frozen=True)
class Simulation:
    events: list[RecordedEvent]  # sorted by ts (stable)
    truth: dict[str, Any]
