"""What the cross-account link index knows about an account at one of its events.

Built by the stream layer from Redis (or an in-memory fake) and handed to the
pure linked-account detectors; only for the events that could show a new link
(the others get none).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LinkedAccount:
    account_id: str
    role: str  # "client" | "freelancer" | "" when unknown
    # its first sighting with the fingerprint: (time, event id; "" if stored before ids were kept)
    first: tuple[int, str] = (0, "")


@dataclass(frozen=True, slots=True)
class SharedFingerprint:
    kind: str  # "device" | "ip" | "payment" | "phone"
    fingerprint: str  # the hashed value, as received
    accounts: tuple[LinkedAccount, ...]  # other accounts seen with it (bounded), never this one
    own: tuple[int, str] = (0, "")  # the view's account's first sighting with it (time, event id)


@dataclass(frozen=True, slots=True)
class LinkView:
    account_id: str
    role: str
    shared: tuple[SharedFingerprint, ...] = ()
    # Accounts first seen with a fingerprint after this event's time, already in the index (their
    # events were read first). A replay of the event may find more of them than the first reading
    # did, so they are kept apart from `shared` (cut at the event's time); but they never saw this
    # account: the detectors count them as links, and tell them (`notices`).
    later: tuple[SharedFingerprint, ...] = ()

    def with_later(self) -> LinkView:
        """The view with the later accounts as if shared."""
        return LinkView(self.account_id, self.role, self.shared + self.later) if self.later else self
