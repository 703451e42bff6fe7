"""Word lists the detectors share: distinctive names searched on the skeleton, gating stems.

Names in ``SKELETON_NAMES`` are distinctive enough to match with separators and leetspeak
removed (``p a y p @ l``); common words (``wise``, ``signal``, ``line``) are not, and are
matched as words by the detectors themselves.
"""

from __future__ import annotations

PAY = "pay"
MESSENGER = "messenger"
MAILHOST = "mailhost"
INSULT = "insult"

# skeleton keyword -> (kind, display name, plain spellings that are not obfuscation)
SKELETON_NAMES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "paypal": (PAY, "PayPal", ("paypal",)),
    "payoneer": (PAY, "Payoneer", ("payoneer",)),
    "transferwise": (PAY, "Wise/TransferWise", ("transferwise",)),
    "westernunion": (PAY, "Western Union", ("western union",)),
    "moneygram": (PAY, "MoneyGram", ("moneygram", "money gram")),
    "zelle": (PAY, "Zelle", ("zelle",)),
    "venmo": (PAY, "Venmo", ("venmo",)),
    "cashapp": (PAY, "Cash App", ("cash app", "cashapp")),
    "skrill": (PAY, "Skrill", ("skrill",)),
    "revolut": (PAY, "Revolut", ("revolut",)),
    "bitcoin": (PAY, "Bitcoin", ("bitcoin",)),
    "usdt": (PAY, "USDT", ("usdt",)),
    "binance": (PAY, "Binance", ("binance",)),
    "skype": (MESSENGER, "Skype", ("skype",)),
    "whatsapp": (MESSENGER, "WhatsApp", ("whatsapp", "whats app", "whats-app")),
    "telegram": (MESSENGER, "Telegram", ("telegram",)),
    "wechat": (MESSENGER, "WeChat", ("wechat", "we chat")),
    "viber": (MESSENGER, "Viber", ("viber",)),
    "discord": (MESSENGER, "Discord", ("discord",)),
    "kakaotalk": (MESSENGER, "KakaoTalk", ("kakaotalk", "kakao talk")),
    "gmail": (MAILHOST, "Gmail", ("gmail",)),
    "hotmail": (MAILHOST, "Hotmail", ("hotmail",)),
    "yahoo": (MAILHOST, "Yahoo", ("yahoo",)),
    "protonmail": (MAILHOST, "ProtonMail", ("protonmail",)),
    "idiot": (INSULT, "idiot", ("idiot",)),
    "moron": (INSULT, "moron", ("moron",)),
    "retard": (INSULT, "retard", ("retard",)),
    "bitch": (INSULT, "bitch", ("bitch",)),
    "bastard": (INSULT, "bastard", ("bastard",)),
    "asshole": (INSULT, "asshole", ("asshole",)),
    "dumbass": (INSULT, "dumbass", ("dumbass",)),
    "imbecile": (INSULT, "imbecile", ("imbecile",)),
    "scumbag": (INSULT, "scumbag", ("scumbag",)),
    "dickhead": (INSULT, "dickhead", ("dickhead",)),
    "cunt": (INSULT, "c-word", ("cunt",)),
    "fuck": (INSULT, "f-word", ("fuck",)),
    "fck": (INSULT, "f-word", ("fck",)),
    "fuk": (INSULT, "f-word", ("fuk",)),
    "motherfucker": (INSULT, "f-word", ("motherfucker",)),
}

# Gating families: a detector runs only when one of its stems occurs in the folded text.
FAM_PAY = 1
FAM_CONTACT = 2
FAM_FEEDBACK = 4
FAM_HARASS = 8
FAM_SCAM = 16
FAM_DIGITWORDS = 32

STEMS: dict[int, tuple[str, ...]] = {
    FAM_PAY: (
        "pay", "paid", "fee", "commission", "bank", "wire", "transfer", "wise", "crypto", "usdt",
        " btc", " eth", "bitcoin", "wallet", "iban", "swift", "outside", "off platform",
        "off-platform", "off the platform", "directly", "direct", "western union", "moneygram",
        "zelle", "venmo", "cash", "skrill", "revolut", "binance", "money", "funds", "gcash",
        "upi", "routing", "sort code", "bypass", "upwork", "middleman", "deposit", "rest of", "remaining", "balance",
    ),
    FAM_CONTACT: (
        "@", "mail", "contact", "reach", "call", "text", "number", "phone", "cell", "mobile",
        "skype", "whatsapp", "whats app", "telegram", "discord", "signal", "wechat", "viber",
        "linkedin", "instagram", "facebook", "twitter", " fb", " ig ", " tg", " wa ", "dot",
        "[at]", "(at)", "{at}", " at ", "www", "http", ".com", ".net", ".org", ".io", ".me",
        "app", "dm", "inbox", "website", "site", "portfolio", "handle", "username", "line id",
        "outside", "off platform", "off the platform", "directly", "hit me", "://", "linktr", "calendly", "ping me",
        "add me", "find me", "talk", "chat", "connect", "message me", "live:",
    ),
    FAM_FEEDBACK: (
        "star", "review", "feedback", "rating", "rate ", "rate me", "5/5", "10/10", "testimonial",
        "jss", "job success", "5*", "5 *", "five*",
    ),
    FAM_HARASS: (
        "idiot", "moron", "stupid", "dumb", "loser", "retard", "bitch", "bastard", "asshole",
        "jerk", "fool", "clown", "pathetic", "useless", "incompetent", "worthless", "trash",
        "garbage", "scum", "liar", "thief", "scammer", "fraud", "piece of", "hell", "fuck",
        "f*ck", "f**k", "shit", "crap", "regret", "find you", "where you live", "kill",
        "hurt", "destroy", "ruin", "sorry", "watch your", "shut up", "suck", "ignor",
        "answer me", "reply", "respond", "hire me", "screw", "damn", "ugly", "brain",
        "clueless", "cunt", "dick", "die", "beat", "wait and see", "pay for this", "deal with me",
        "your family", "lawyer", "stfu", "gtfo", "kys", "f off", "f u", "are you", "are u", "slut", "whore", "monkey", "animal", "dog", "pig",
    ),
    FAM_SCAM: (
        "telegram", "whatsapp", "whats app", "signal", "interview", " hr", "recruit", "hiring manager",
        "bank", "card", "ssn", "social security", "passport", " id", "licen", "deposit", "fee",
        "check", "cheque", "overpa", "refund", "guarantee", "earn", "income", "profit", "invest",
        "crypto", "bitcoin", "forex", "trading", "hire me", "gift card", "reimburs", "equipment",
        "training", "registration", "task", "daily", "per day", "a day", "/day", "weekly",
        "salary", "usdt", "dear", "wallet", "login", "password", "credential", "verification code",
        "otp", "account", "money", "cash", "return", "opportunit", "part time", "part-time",
        "commission", "like", "scam", "onboard", "supervisor", "manager", "upfront", "advance",
    ),
    FAM_DIGITWORDS: (
        " zero", " oh ", " one", " two", " three", " four", " five", " six", " seven", " eight", " nine",
    ),
}
