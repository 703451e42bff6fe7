"""Schema of the account events topic (keyed by `account_id`)."""

from scoring.records import ACCOUNT_EVENT_TYPES, ROLES, AccountEvent
from streams.batch.schemas.base import Schema
from streams.batch.schemas.fields import EVENT_ID, TS, Field

SCHEMA = Schema(
    name="account",
    description=(
        "Signup, login or profile update, with hashed fingerprints (never raw device ids, "
        "addresses or card numbers). Kafka key: account_id."
    ),
    record=AccountEvent,
    fields=(
        EVENT_ID,
        TS,
        Field("type", "enum", choices=ACCOUNT_EVENT_TYPES, description="what happened"),
        Field("account_id", "id", description="the account"),
        Field("role", "enum", choices=ROLES, description="client or freelancer"),
        Field("country", "country", required=False, description="ISO 3166 alpha-2 code of the session, upper case"),
        Field("device_fp", "hash", required=False, description="hashed device fingerprint"),
        Field("ip_fp", "hash", required=False, description="hashed IP address"),
        Field("payment_fp", "hash", required=False, description="hashed payment instrument"),
        Field("phone_fp", "hash", required=False, description="hashed phone number"),
        Field("profile_text", "text", required=False, description="profile overview text"),
        Field("family_fp", "hash", required=False, description=(
            "hashed surname plus home location, e.g. sha256 of 'surname|city|country' lower-cased: "
            "a weak link (common surnames share it), counted only with another shared fingerprint")),
    ),
)
