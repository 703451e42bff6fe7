"""Bad actors' text: off-platform payment and contact, rating pressure, abuse, spam, scams.

Provider names and contact details are sometimes obfuscated the way people
dodge filters: leetspeak, spacing, hyphens, full-width or zero-width characters.
"""

from __future__ import annotations

import random

PROVIDERS = ("PayPal", "Payoneer", "Wise", "bank transfer", "USDT", "crypto", "Western Union")
DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
ZWSP = "\u200b"


def obfuscate(rng: random.Random, word: str) -> str:
    """The word as written to dodge a filter (or plain, half of the time)."""
    style = rng.randrange(8)
    if style == 0:
        return word.replace("a", "@").replace("o", "0")
    if style == 1:
        return " ".join(word)
    if style == 2 and len(word) > 3:
        return f"{word[:3]}-{word[3:]}"
    if style == 3:
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in word)
    if style == 4:
        return ZWSP.join(word)
    return word


def payment_ask(rng: random.Random, name: str) -> str:
    provider = obfuscate(rng, rng.choice(PROVIDERS))
    return rng.choice((
        f"Can we do this outside the platform? I'd pay you via {provider}, we both avoid the fees.",
        f"Hi {name}, if you pay me directly through {provider} I can give you 10% off.",
        f"Let's skip the platform fee, just send the money by {provider} and I start today.",
        f"I prefer {provider} for payment, the fees here are too high. Is that ok?",
        f"To avoid the fees send the deposit via {provider}, I'll share the details.",
        f"My {provider} is ready, pay there and we close the contract here to save 20%.",
    ))


def email_of(rng: random.Random, first: str, last: str) -> tuple[str, str]:
    """The address plain and spelled out ('anna dot smith at gmail dot com')."""
    domain = rng.choice(("gmail", "yahoo", "outlook", "proton"))
    plain = f"{first.lower()}.{last.lower()}@{domain}.com"
    return plain, f"{first.lower()} dot {last.lower()} at {domain} dot com"


def phone_of(rng: random.Random) -> tuple[str, str]:
    """A phone number written with separators, and spelled out."""
    digits = f"{rng.choice(('917', '646', '415', '786'))}{rng.randrange(10**7):07d}"
    sep = rng.choice((" ", ".", "-"))
    written = sep.join((digits[:3], digits[3:6], digits[6:]))
    return written, " ".join(DIGITS[int(d)] for d in digits)


def contact_share(rng: random.Random, first: str, last: str) -> list[str]:
    """One message, or two consecutive ones that only together hold the contact."""
    plain, spelled = email_of(rng, first, last)
    phone, phone_words = phone_of(rng)
    handle = f"{first.lower()}_{last.lower()}{rng.randrange(10, 99)}"
    style = rng.randrange(8)
    if style == 0:
        return [f"Easier to talk outside, email me at {plain}"]
    if style == 1:
        return [f"you can reach me at {spelled}, faster than here"]
    if style == 2:
        return [f"Call or text me: {phone}"]
    if style == 3:
        return [f"my number is {phone_words}, whatsapp works too"]
    if style == 4:
        app = rng.choice(("Skype", "WhatsApp", "Telegram"))
        return [f"Add me on {obfuscate(rng, app)}: {handle}, let's discuss there"]
    if style == 5:
        return [f"my email is {first.lower()}.{last.lower()}", f"@{plain.split('@')[1]} write me there"]
    if style == 6:
        half = len(phone_words) // 2
        return [f"text me on {phone_words[:half].rstrip()}", phone_words[half:].lstrip()]
    return [f"Let's continue on telegram @{handle} before we start the contract"]


def rating_pressure(rng: random.Random) -> str:
    return rng.choice((
        "Please leave me 5 stars, it really helps my profile!",
        "5 stars and I'll add the extra page for free.",
        "I'll send the final files once you leave the review.",
        "Can you please give 5 stars? Anything less hurts my ranking.",
        "If you rate me 5 stars I'll give you a 20% discount on the next job.",
        "Reminder: please leave 5 star feedback today, I need it for my badge.",
        "I'll leave you 5 stars too if you do the same for me.",
    ))


def abuse(rng: random.Random) -> str:
    return rng.choice((
        "You are a complete idiot and a scammer.",
        "You will regret this, I know where to find you.",
        "You're a pathetic liar, I'll ruin your reputation everywhere.",
        "Shut up, you useless moron.",
        "You stupid cheater, you'll pay for this.",
    ))


def nagging(rng: random.Random, hire: bool) -> str:
    """A message to someone who does not answer: begging for the job, or for a reply."""
    common = ("why don't you answer?", "answer me", "I am still waiting for your reply",
              "Why are you ignoring me?", "Hello??")
    asks = ("hire me", "Hello?? hire me please", "hire me, I am the best", "give me the job")
    return rng.choice(common + asks if hire else common + ("You owe me an answer.",))


def pitch(rng: random.Random, first: str) -> str:
    return rng.choice((
        "Hello! I am an expert developer with 10 years experience. Check my profile and hire me "
        "for your project!",
        "Hi dear, I can do any website, app or design work fast and cheap. Hire me now!",
        f"Greetings from {first}! Top rated expert here, 100% satisfaction. Send me your project today.",
    ))


def scam_line(rng: random.Random, handle: str) -> str:
    return rng.choice((
        f"Congratulations, you are shortlisted. The interview is on Telegram, add {handle}",
        "Please send your bank details (account number and routing) so HR can set up your salary.",
        "There is a $45 registration fee for onboarding, it is refunded with your first payment.",
        f"Our manager will interview you on Telegram: {handle}. Do not reply here.",
        "Send your full name, date of birth and bank card number for the payroll form.",
    ))


PASTED_LETTER = (
    "Dear {name}, I have read your job post carefully and I am the perfect fit for this job. "
    "I have more than 8 years of experience in all areas of web development, mobile apps, design and "
    "marketing. I always deliver high quality work on time and within budget. My clients are always "
    "100% satisfied with my work. Please check my portfolio and feel free to contact me anytime. "
    "I am available to start immediately and work full time on your project. Looking forward to "
    "hearing from you soon. Best regards."
)


def low_comment(rng: random.Random, about_client: bool) -> str:
    if about_client:
        return rng.choice((
            "Changed the scope midway and refused to pay for the extra work.",
            "Never answered for days, then asked for a refund.",
            "Demanded free revisions and opened a dispute. Avoid.",
            "Payment was late and the requirements kept changing.",
        ))
    return rng.choice((
        "Missed every deadline and the code did not work.",
        "Poor quality, had to redo most of it.",
        "Did not follow the brief, stopped answering.",
        "Delivered half the work and asked for more money.",
    ))
