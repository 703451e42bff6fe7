"""Text rule families: what each pattern detector and each policy's wording belong to.

Every family is its own rule in the rules file (`text_<family>`), so that reviewers'
verdicts measure it and can demote it alone. A text flagged for a policy is attributed to
the family of the pattern that added most to its score, or to the policy's wording family
when words alone carried it.
"""

from __future__ import annotations

from scoring.text.types import (
    FEEDBACK_MANIPULATION,
    HARASSMENT,
    OFF_PLATFORM_CONTACT,
    OFF_PLATFORM_PAYMENT,
    SPAM_SCAM,
)

PREFIX = "text_"

# pattern detector -> family
PATTERN_FAMILY: dict[str, str] = {
    "payment_provider_intent": "provider_ask",
    "payment_provider_obfuscated": "provider_ask",
    "payment_direct": "pay_directly",
    "payment_fee_avoidance": "fee_avoidance",
    "contact_email": "contact_detail",
    "contact_email_spelled": "contact_detail",
    "contact_phone": "contact_detail",
    "contact_phone_spelled": "contact_detail",
    "contact_handle": "contact_detail",
    "contact_link": "contact_detail",
    "contact_personal_site": "contact_detail",
    "contact_split": "contact_detail",
    "contact_messenger": "contact_move",
    "contact_messenger_obfuscated": "contact_move",
    "contact_request": "contact_move",
    "contact_euphemism": "contact_move",
    "feedback_bargain": "rating_bribe",
    "feedback_rating_request": "rating_bribe",
    "feedback_fake_review": "rating_bribe",
    "feedback_reciprocal": "rating_bribe",
    "feedback_swap": "rating_bribe",
    "feedback_threat": "review_extortion",
    "feedback_withhold": "review_extortion",
    "feedback_veiled_threat": "review_extortion",
    "feedback_repeat_request": "rating_bribe",
    "harassment_threat": "threat",
    "harassment_legal_action": "legal_threat",
    "harassment_legal_threat": "legal_threat",
    "harassment_insult": "insult",
    "harassment_curse": "insult",
    "harassment_disguised_insult": "insult",
    "harassment_pestering": "insult",
    "scam_account_rent": "scam_script",
    "scam_phishing": "scam_script",
    "scam_check_overpayment": "scam_script",
    "scam_free_work": "scam_script",
    "scam_hire_me_spam": "scam_script",
    "scam_income_pitch": "scam_script",
    "scam_messenger_interview": "scam_script",
    "scam_sensitive_data": "scam_script",
    "scam_upfront_fee": "scam_script",
    "scam_prize": "scam_script",
    "scam_hardship_payment": "scam_script",
    "scam_paid_task": "paid_task",
    "scam_remote_account": "remote_account",
}

# A text read as a scam that gives or asks for a contact detail off the platform is also an
# off-platform contact move (a scam pushing a messenger or an e-mail shows both policies); the
# contact flag it adds is this family's, so that it is measured and demoted apart.
SCAM_CONTACT = "scam_contact"
# A text that moves the conversation off the platform and offers to pay in the same breath
# ("add me on WhatsApp, I'll pay you there") offers payment outside it too: its payment flag is
# this family's.
CONTACT_PAYMENT = "contact_payment"
# Families of flags read from another policy's flag: with their rule off, they are dropped (the
# policy's own model did not flag the text, so there is no wording rule to fall back on).
DERIVED = frozenset({SCAM_CONTACT, CONTACT_PAYMENT})

# policy -> the family of a flag that words alone carried
WORDING_FAMILY: dict[str, str] = {
    OFF_PLATFORM_PAYMENT: "payment_wording",
    OFF_PLATFORM_CONTACT: "contact_wording",
    FEEDBACK_MANIPULATION: "feedback_wording",
    HARASSMENT: "harassment_wording",
    SPAM_SCAM: "scam_wording",
}

# policy -> what a flag of it means, in plain words
MEANING: dict[str, str] = {
    OFF_PLATFORM_PAYMENT: "asks for or offers payment outside the platform",
    OFF_PLATFORM_CONTACT: "moves the conversation off the platform",
    FEEDBACK_MANIPULATION: "trades or pressures for a rating",
    HARASSMENT: "insults, threatens or hounds the other party",
    SPAM_SCAM: "reads like spam or a scam script",
}

FAMILIES: tuple[str, ...] = tuple(dict.fromkeys([*PATTERN_FAMILY.values(), SCAM_CONTACT, CONTACT_PAYMENT,
                                                *WORDING_FAMILY.values()]))
RULES: tuple[str, ...] = tuple(PREFIX + f for f in FAMILIES)


def rule_name(family: str) -> str:
    return PREFIX + family
