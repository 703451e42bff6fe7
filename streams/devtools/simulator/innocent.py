"""Innocent text with trigger words: the traps a text detector must not fire on.

Job topics about payment APIs, Skype clones or phone validation, refusals of
off-platform offers, swearing at tools, contact shared once a contract is
active, Direct Contract payment talk. Lines are handed out round-robin so each
appears as soon as there is traffic for it.
"""

from __future__ import annotations

from collections.abc import Sequence

# Topic -> (job title, lines either party writes about that job).
TOPICS: dict[str, tuple[str, tuple[str, ...]]] = {
    "paypal_api": ("Integrate PayPal and Stripe into our checkout", (
        "the job is to integrate the PayPal API into our checkout",
        "The PayPal sandbox keys are in the shared doc, the Stripe ones too.",
        "Refunds should go back through the PayPal API as well, not manually.",
    )),
    "skype_clone": ("Video calling MVP", (
        "our product is a Skype clone, think group calls plus screen sharing",
        "The call screen should feel like Skype or Zoom, nothing fancy.",
    )),
    "email_template": ("Responsive newsletter design", (
        "build an email template for our newsletter, it has to render in Gmail and Outlook",
        "The email template looks broken in dark mode on iOS, can you check?",
    )),
    "phone_validation": ("Fix signup form bugs", (
        "there's a bug in the phone number validation: +1 (917) 555-0143 gets rejected",
        "Phone numbers with spaces like 020 7946 0958 should pass the validation too.",
    )),
    "contact_form": ("Contact form not sending", (
        "The contact form should send to support@brightbakery.example but nothing arrives.",
        "Form submissions to hello@brightbakery.example bounce since the DNS change.",
    )),
    "crypto_dashboard": ("Crypto portfolio dashboard", (
        "The dashboard shows crypto prices from the CoinGecko API, refreshed every minute.",
        "We need a bitcoin and ethereum price chart, no wallets or payments involved.",
    )),
    "whatsapp_bot": ("WhatsApp order notifications", (
        "We want order updates sent through the WhatsApp Business API.",
        "The Telegram bot version can come later, WhatsApp first.",
    )),
}

PRE_CONTRACT = (
    "I only accept payment through the platform, hope that works for you.",
    "sorry I can't share my email before the contract starts, but happy to talk here.",
    "A client once asked me to take payment over PayPal to skip the fees. I said no, "
    "everything stays on the platform.",
    "he called me an idiot in the last job, anyway, that's behind me and I'm keen to start fresh.",
    "Just so you know, I keep all communication on the platform until we have a contract.",
    "Is it okay if we do a quick video call through the platform's own call feature?",
)
ACTIVE = (
    "this damn build keeps failing, give me an hour to sort it out",
    "Sorry for the delay, the stupid CI cache broke again.",
    "Now that the contract has started, here is my email for the staging invite: {email}",
    "Contract is active, so for urgent stuff my WhatsApp is {phone}",
    "I hate this legacy code, but the fix is in now.",
)
DIRECT = (
    "Since this is a Direct Contract, you can pay the invoice by bank transfer through it.",
    "I've set up the Direct Contract, the processing fee is fine for me.",
    "Payment via the Direct Contract milestone works, I'll fund it today.",
)
AFTER_END = "if you're happy with the work, a review would be appreciated"
WHY_STARS = "could you tell me why you gave 3 stars? I'd like to improve for next time."

# Phrases that must appear in innocent traffic (checked by the tests).
MARKERS = (
    "I only accept payment through the platform",
    "sorry I can't share my email before the contract starts",
    "the job is to integrate the PayPal API into our checkout",
    "our product is a Skype clone",
    "build an email template for our newsletter",
    "there's a bug in the phone number validation",
    AFTER_END,
    "could you tell me why you gave 3 stars?",
    "this damn build keeps failing",
    "he called me an idiot in the last job, anyway",
)


class RoundRobin:
    """Hands out the lines of each pool in turn."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def pick(self, name: str, pool: Sequence[str]) -> str:
        i = self._next.get(name, 0)
        self._next[name] = i + 1
        return pool[i % len(pool)]
