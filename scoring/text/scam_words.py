"""The wording the spam and scam rules read: scam scripts by family, and what a rule needs
besides its match."""

from __future__ import annotations

from scoring.text.rx import Rx, words

_MSG = r"(?:telegram|tele\s*gram|whats\s*app|whatsapp|signal|wechat|viber|google\s+chat|hangouts|skype|discord|tg|wa)"
_STAFF = (
    r"(?:interview|interviews|hr|human\s+resources?|recruit\w*|hiring\s+(?:manager|team|process)|manager|supervisor"
    r"|onboarding|orientation|training|team\s+lead|coordinator|assistant|secretary|agent|job\s+(?:offer"
    r"|details|briefing)"
    r"|screening|assessment|further\s+(?:details|discussion|instructions?)|more\s+details)"
)
MOVE = Rx(
    r"\b" + _STAFF + r"\b[^.!?\n]{0,60}?\b(?:on|via|through|over|in|using|at)\s+" + _MSG + r"\b"
    r"|\b(?:add|contact|message|text|reach|download|install|join)\s+(?:me\s+|us\s+|our\s+\w+\s+)?(?:on|via|using)?\s*"
    + _MSG
    + r"\b[^.!?\n]{0,60}?\b"
    + _STAFF
    + r"\b",
    (
        "telegram",
        "tele gram",
        "whats",
        "signal",
        "wechat",
        "viber",
        "google chat",
        "hangouts",
        "skype",
        "discord",
        " tg",
        " wa",
    ),
    (
        "interview",
        "hr",
        "human resource",
        "recruit",
        "hiring",
        "manager",
        "supervisor",
        "onboarding",
        "orientation",
        "training",
        "team lead",
        "coordinator",
        "assistant",
        "secretary",
        "agent",
        "job",
        "screening",
        "assessment",
        "further",
        "more details",
    ),
)
SENSITIVE = Rx(
    r"\b(?:send|give|share|provide|forward|submit|need|require|want|upload|tell\s+me|what\s+is)\s+(?:me\s+"
    r"|us\s+)?"
    r"(?:your|ur|a\s+copy\s+of\s+your|a\s+photo\s+of\s+your"
    r"|the)\s+(?:full\s+)?(?:bank\s+(?:account\s+)?(?:details|info|number|login)"
    r"|bank\s+account|account\s+(?:number|details)|card\s+(?:number|details)|credit\s+card|debit\s+card|cvv|ssn"
    r"|social\s+security(?:\s+number)?|id\s+card|id\b|national\s+id|passport|driver'?s?\s+licen[cs]e"
    r"|login(?:\s+details)?"
    r"|password|credentials|verification\s+code|otp|2fa\s+code|routing\s+number|pin|paypal\s+(?:login|password)"
    r"|upwork\s+(?:login|password|account\s+(?:details|login)))",
    (
        "send",
        "give",
        "share",
        "provide",
        "forward",
        "submit",
        "need",
        "require",
        "want",
        "upload",
        "tell me",
        "what is",
    ),
    (
        "bank",
        "account",
        "card",
        "cvv",
        "ssn",
        "social security",
        "id",
        "passport",
        "driver",
        "licen",
        "login",
        "password",
        "credential",
        "verification code",
        "otp",
        "2fa",
        "routing",
        "pin",
        "paypal",
        "upwork",
    ),
)
FEE = Rx(
    r"\b(?:registration|training|activation|onboarding|processing|membership|application|joining|security"
    r"|starter|kit"
    r"|verification|equipment|software|certification|admin|clearance)\s+(?:fee|fees|deposit|charge|payment)\b"
    r"|\b(?:small|refundable|one[\s-]time|minimal|token|initial)\s+(?:fee|deposit|payment|charge)\b"
    r"|\bpay\s+(?:a|the|an)\s+(?:small\s+|refundable\s+|one[\s-]time\s+)?(?:fee|deposit)\s+(?:to|for|before"
    r"|first)\b"
    r"|\bgift\s+cards?\b|\b(?:buy|purchase)\s+(?:the\s+)?(?:equipment|laptop|software"
    r"|gift)\b[^.!?\n]{0,60}?\breimburs\w*",
    ("fee", "deposit", "charge", "payment", "gift card", "reimburs"),
)
# An upfront fee is asked of the reader: a fee named in a sentence with none of these is talk
# about a fee ("the processing fee is fine for me", "the platform's fee went up").
FEE_ASK = Rx(
    r"\b(?:you|your|pay|paying|send|sending|transfer|wire|required|require|requires|need|needs|must|before"
    r"|first|upfront|up-front|cover|buy|purchase|reimburs\w*)\b"
)
# Ways of sending money back that leave no trace on the platform.
_BACK_WAY = (r"(?:zelle|venmo|cash\s*app|paypal|western\s+union|moneygram|gift\s*cards?|bitcoin|btc|crypto|usdt|wire"
             r"|bank\s+transfer|cash|check|cheque|money\s+order|another\s+(?:way|method|card|account)"
             r"|a\s+different\s+(?:way|method|card|account))\b")
CHECK = Rx(
    r"\b(?:send|mail|courier|deposit|cash)\s+(?:you\s+)?(?:a|the|this)\s+(?:check|cheque)\b"
    r"|\b(?:overpaid|overpayment|over-payment|paid\s+you\s+(?:too\s+much|extra|more))\b"
    r"|\b(?:send|refund|return|wire|transfer)\s+(?:back\s+)?(?:the\s+)?(?:difference|excess|extra"
    r"|remaining\s+balance)\b"
    # paper the scam pays with: "a cashier's check", "a certified cheque", "by money order"
    r"|\b(?:cashier'?s?|certified)\s+(?:check|cheque)s?\b|\b(?:money|postal)\s+orders?\b"
    # the money sent back another way: "return the rest through Zelle", "refund it to my other card"
    r"|\b(?:send|pay|refund|return|wire|transfer|give)\s+(?:me\s+)?(?:it|the\s+(?:money|funds|amount|rest|remainder"
    r"|balance|surplus))\s+back\s+(?:to\s+me\s+)?(?:via|through|by|with|using|in|on)\s+(?:\w+\s+)?" + _BACK_WAY
    + r"|\b(?:refund|return|send\s+back)\s+(?:\w+\s+){0,3}?(?:to|via|through|by|with|using|on)\s+(?:another"
    r"|a\s+different|my\s+other|an\s+alternative|a\s+second)\s+(?:way|method|card|account|wallet|means)\b"
    # the rest passed on to a third party: "send the balance to my shipping agent"
    r"|\b(?:send|pay|give|forward|transfer|wire|pass)\s+(?:the\s+)?(?:rest|remainder|balance|difference|excess|extra"
    r"|surplus)\s+(?:of\s+the\s+(?:money|funds|payment)\s+)?(?:on\s+)?to\s+(?:my|the|our|his|her)\s+(?:\w+\s+)?"
    r"(?:agent|shipper|movers?|vendor|supplier|assistant|secretary|accountant|courier|driver|pastor|caterer"
    r"|printer|print\s+shop|company)\b",
    (
        "a check",
        "the check",
        "this check",
        "cheque",
        "overpa",
        "over-pa",
        "paid you",
        "difference",
        "excess",
        "extra",
        "remaining balance",
        "cashier",
        "certified",
        "money order",
        "postal order",
        " back ",
        "another",
        "different",
        "my other",
        "alternative",
        "second",
        "rest",
        "remainder",
        "balance",
        "surplus",
    ),
)
INCOME = Rx(
    r"\bguarantee[ds]?\s+(?:\w+\s+)?(?:income|profits?|returns?|earnings|payouts?|\d+%)"
    r"|\b(?:earn|make|making|earning)\s+(?:up\s+to\s+|over\s+|at\s+least\s+)?\$?\s?\d[\d,]*\s*(?:\$|usd"
    r"|dollars)?\s*"
    r"(?:\+\s*)?(?:daily|per\s+day|a\s+day|/\s*day|each\s+day|per\s+week|a\s+week|weekly"
    r"|per\s+hour\s+from\s+home)"
    r"|\b(?:double|triple|10x)\s+your\s+(?:money|investment|income|capital)"
    r"|\b(?:invest|investment|investing)\s+(?:\w+\s+){0,3}?(?:crypto|bitcoin|btc|usdt|forex|trading|binary"
    r"|mining)\b"
    r"|\b(?:crypto|bitcoin|forex|binary)\s+(?:investment|trading\s+(?:platform|opportunity|account))\b"
    r"|\bpassive\s+income\b|\brisk[\s-]free\s+(?:profit|income|investment|returns?)"
    r"|\bno\s+experience\s+(?:needed|required|necessary)\b[^.!?\n]{0,80}?\b(?:earn|\$\d|daily|per\s+day"
    r"|commission)"
    r"|\b(?:like|rate|review|subscribe\s+to)\s+(?:videos|products|hotels|apps)\b[^.!?\n]{0,60}?\b(?:earn"
    r"|commission|paid)"
    r"|\bcommission\s+(?:per|for\s+each|on\s+each)\s+(?:task|order|review|like)",
    (
        "guarantee",
        "daily",
        "per day",
        "a day",
        "/day",
        "each day",
        "per week",
        "a week",
        "weekly",
        "from home",
        "double",
        "triple",
        "10x",
        "invest",
        "crypto",
        "bitcoin",
        "forex",
        "binary",
        "passive income",
        "risk",
        "no experience",
        "videos",
        "products",
        "hotels",
        "apps",
        "commission",
    ),
)
HIRE_ME = Rx(
    r"\b(?:please|pls|plz|kindly|just|sir|madam|dear)\s+(?:please\s+)?hire\s+me\b|\bhire\s+me\s+(?:now|asap"
    r"|please|pls|plz|today"
    r"|sir|madam|i\s+beg)\b|\bi\s+(?:beg|request)\s+you\s+(?:to\s+)?hire\s+me\b|\bgive\s+me\s+(?:a"
    r"|this)\s+(?:chance|job|opportunity)"
    r"\s+(?:please|pls|plz|sir|madam)\b|\bdear\s+(?:sir|madam|sir/madam|hiring\s+manager),?\s+(?:i\s+am"
    r"|i'?m)\s+(?:very\s+)?"
    r"(?:interested|available|ready|expert)\b[^.!?\n]{0,80}?\b(?:hire\s+me|your\s+job|your\s+project)",
    ("hire me", "give me a", "give me this", "dear"),
)

# Asking for work without pay: "could you do it for free", "it'll be great exposure", "in exchange
# for future work". A freelancer offering a free revision ("I'll fix it for free") is not asked.
_WORK = words("do", "doing", "make", "design", "write", "build", "create", "shoot", "draw", "edit", "translate",
                "code", "develop", "fix", "finish", "work", "help", "redo", "complete", "film", "photograph",
                "paint", "record", "produce", "handle", "cover", "take")
FREE_WORK = Rx(
    r"\b(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?|how\s+about\s+(?:you\s+)?|you\s+(?:would|could|can"
    r"|should)\s+|why\s+(?:don'?t|not)\s+(?:you\s+)?)(?:be\s+(?:willing|able|happy|open)\s+to\s+)?(?:just\s+)?"
    + _WORK + r"\s+(?:\w+\s+){0,3}?(?:for\s+free|free\s+of\s+charge"
    r"|without\s+(?:pay|payment|charging)|for\s+(?:the\s+)?exposure)\b"
    r"|\b(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:just\s+)?" + _WORK
    + r"\s+(?:an?\s+|the\s+|some\s+)?(?:unpaid|free)\s+(?:test|sample|trial|draft|mock-?up|version|pilot)\b"
    r"|\b(?:for|get|gain|give\s+you|it'?ll\s+be|it\s+will\s+be|be)\s+(?:great|good|lots\s+of|a\s+lot\s+of"
    r"|amazing|huge|free)?\s*exposure\b"
    r"|\bin\s+exchange\s+for\s+(?:the\s+)?(?:exposure|future\s+(?:work|jobs?|projects?|orders?)|(?:us\s+)?hiring)\b"
    r"|\b(?:we|i)\s+(?:can'?t|cannot|can\s+not|don'?t|do\s+not|won'?t)\s+pay\s+(?:you\s+)?(?:anything|for\s+(?:it|this"
    r"|that))?\s*(?:,\s*)?but\b",
    ("free", "exposure", "exchange", "pay"),
)

# Renting or borrowing a freelancer's account: "rent your Upwork account", "lend us your profile",
# "use your unused Fiverr account when you're not active".
_PLATFORM_ACCOUNT = (r"(?:your|ur)\s+(?:\w+\s+)?(?:upwork|fiverr|freelancer|freelancing|toptal|guru|peopleperhour"
                     r"|verified|seller|platform)\s+(?:account|profile|id)s?\b")
ACCOUNT_RENT = Rx(
    r"\b(?:rent|renting|lend|borrow|borrowing|buy|buying|sell|selling)\s+(?:me\s+|us\s+)?(?:\w+\s+){0,2}?"
    + _PLATFORM_ACCOUNT
    + r"|\b(?:use|using|work\s+(?:through|from|on))\s+(?:\w+\s+)?(?:your|ur)\s+"
    r"(?:existing|old|unused|inactive|idle|spare)\s+(?:\w+\s+)?(?:account|profile)s?\b"
    r"|\b(?:rent|lend)\s+(?:me\s+|us\s+)?(?:your|ur|their)\s+(?:\w+\s+)?(?:account|profile)s?\b"
    r"|\b(?:rent|renting|buy|buying|sell|selling)\s+(?:\w+\s+)?(?:upwork|fiverr|freelancer|freelancing)\s+accounts?\b"
    # "use your account to bid", "open an Upwork account for me", "an account partner"
    r"|\b(?:i|we)\s+(?:can\s+|could\s+|will\s+|'ll\s+|want\s+to\s+|would\s+like\s+to\s+)?(?:use|work\s+on)\s+(?:your|ur"
    r"|their)\s+(?:\w+\s+)?(?:account|profile)\s+to\s+(?:bid|apply|work|get|send\s+proposals)\b"
    r"|\b(?:open|create|make|register)\s+(?:an?\s+)?(?:new\s+)?(?:upwork|fiverr|freelancer|freelancing)\s+"
    r"(?:account|profile)\s+for\s+(?:me|us)\b"
    r"|\baccount\s+(?:partner|partnership|holder\s+wanted|owner\s+wanted)\b",
    ("account", "profile", "upwork", "fiverr", "freelanc", "toptal", "guru", "peopleperhour", "verified", "seller",
     "platform"),
    ("rent", "lend", "borrow", "buy", "sell", "use", "using", "work", "open", "create", "make", "register",
     "partner", "holder", "owner"),
)

# Phishing: an account, payment or prize to verify or claim at a link ("verify your account here:
# bit.ly/...", "claim your bonus at upw-rewards.top"). One user asking another to do so through
# a link is never the platform's own notice.
PHISH = Rx(
    r"\b(?:verify|confirm|validate|reactivate|unlock|claim|redeem|update)\s+(?:your|ur)\s+(?:\w+\s+){0,2}?"
    r"(?:account|identity|id|payment\s+(?:details|info|information|method)|bonus|prize|reward|funds|gift(?:\s*card)?"
    r"|winnings|payout)s?\b[^\n]{0,60}?(?:https?://|www\.|bit\.ly|tinyurl|t\.co/|\b[a-z0-9-]+\.(?:com|net|org|io"
    r"|co|xyz|top|info|link|site|online|click)\b|click\s+here|\bhere\s*:)",
    ("verify", "confirm", "validate", "reactivate", "unlock", "claim", "redeem", "update"),
    ("account", "identity", " id", "payment", "bonus", "prize", "reward", "funds", "gift", "winnings", "payout"),
)

# A paid rating or liking task, the opening of a task scam: stars, reviews or likes for hotels,
# products, apps or videos, paid per piece or per day ("rate our hotel, paid per rating").
_RATED = r"(?:hotels?|restaurants?|products?|apps?|videos?|pages?|shops?|stores?|listings?|places|businesses)"
PAID_TASK = Rx(
    r"\b(?:rate|rating|review|reviewing|like|liking|follow|boost|give\s+(?:\d|five)\s*stars?\s+to)\s+"
    r"(?:\w+\s+){0,2}?" + _RATED + r"\b[^\n]{0,100}?(?:\b(?:paid|pays?|earn\w*|commission|salary|per\s+(?:day"
    r"|task|rate|rating|review|hotel|like|order)|usdt)\b|\$\s?\d|\d\s*(?:usd|dollars|pounds|euros?)\b)"
    r"|\b(?:paid|pays?|earn|commission)\b[^.!?\n]{0,40}?\b(?:per|for\s+(?:each|every))\s+(?:\d+\s+)?"
    + _RATED + r"?\s*(?:ratings?|reviews?|likes?|rates?|stars?)\b",
    ("rat", "review", "lik", "follow", "boost", "star", "paid", "pay", "earn", "commission"),
    ("hotel", "restaurant", "product", "app", "video", "page", "shop", "store", "listing", "place", "business",
     "review", "like", "rating", "rates", "star"),
)

# Another freelancer's platform account worked through a remote-control tool: "I'd access your
# Upwork account from your computer with AnyDesk".
_REMOTE_TOOL = r"(?:team\s*viewer|any\s*desk|remote\s+(?:desktop|access|control|tools?|connection)|chrome\s+remote)"
_PLATFORM_PROFILE = (r"(?:upwork|fiverr|freelancer|freelancing|toptal|peopleperhour|guru)\s+(?:\w+\s+)?"
                     r"(?:accounts?|profiles?)")
REMOTE_ACCOUNT = Rx(
    r"\b" + _REMOTE_TOOL + r"\b[^\n]{0,200}?\b" + _PLATFORM_PROFILE + r"\b"
    r"|\b" + _PLATFORM_PROFILE + r"\b[^\n]{0,200}?\b" + _REMOTE_TOOL + r"\b",
    ("teamviewer", "team viewer", "anydesk", "any desk", "remote"),
    ("upwork", "fiverr", "freelanc", "toptal", "peopleperhour", "guru"),
)

# Prize and lottery spam: "you have won a laptop in our giveaway", "your email was picked in the
# annual draw", "claim your winnings". A contest the reader entered is named as one (`CONTEST`).
_PRIZE_NOUN = (r"(?:prizes?|lottery|lotto|jackpot|sweepstakes?|raffle|giveaway|lucky\s+draw|draw|winnings|cash\s+"
               r"(?:prize|reward|award)|rewards?|award|gift\s*cards?|vouchers?|iphone|laptop|macbook)")
PRIZE = Rx(
    r"\b(?:you|u|your\s+(?:\w+\s+)?(?:email|e-mail|number|account|profile|ticket|name))\s+(?:have\s+|has\s+|'ve\s+"
    r"|are\s+|is\s+|were\s+|was\s+)?(?:just\s+|been\s+|officially\s+|randomly\s+)*(?:won|selected|chosen|picked"
    r"|drawn|awarded)\b[^.!?\n]{0,80}?\b" + _PRIZE_NOUN + r"\b"
    r"|\b(?:winner|winners|lucky\s+\w+)\s+(?:of|in)\s+(?:our|the|a|an|this|today'?s)\s+(?:\w+\s+){0,3}?(?:lottery|lotto"
    r"|jackpot|sweepstakes?|raffle|giveaway|draw|promotion|promo)\b"
    r"|\b(?:claim|collect|receive|release|redeem)\s+(?:your|ur|the)\s+(?:\w+\s+){0,2}?(?:prize|winnings|jackpot"
    r"|lottery|award\s+money|cash\s+prize)\b",
    ("won", "selected", "chosen", "picked", "drawn", "awarded", "winner", "lucky", "claim", "collect", "receive",
     "release", "redeem"),
    ("prize", "lotter", "lotto", "jackpot", "sweepstake", "raffle", "giveaway", "draw", "winnings", "reward", "award",
     "gift", "voucher", "iphone", "laptop", "macbook", "promo"),
)
CONTEST = Rx(r"\b(?:contest|competition|hackathon|tournament|bracket|league|quiz|game|match)\b")

# A hardship that keeps the sender from the usual ways, told beside a payment off the platform:
# "I'm in hospital, payment will be by PayPal", "deployed overseas, I'll mail a cheque".
HARDSHIP = Rx(
    r"\b(?:i'?m|i\s+am|we'?re|we\s+are|currently|presently|stuck|been|still)\s+(?:\w+\s+){0,2}?(?:in\s+(?:the\s+)?"
    r"hospital|hospitali[sz]ed|deployed|at\s+sea|on\s+(?:a|an|the)\s+(?:\w+\s+)?(?:ship|vessel|rig)|offshore"
    r"|deaf|hearing\s+impaired|bedridden|in\s+(?:a\s+)?wheelchair)\b"
    r"|\b(?:can(?:not|'?t)|can\s+not|unable\s+to|won'?t\s+be\s+able\s+to)\s+(?:\w+\s+)?(?:meet|talk|call|speak|come)"
    r"\s+(?:to\s+|with\s+)?(?:you\s+)?(?:in\s+person|face\s+to\s+face|on\s+the\s+phone|by\s+phone)\b",
    ("hospital", "deployed", "at sea", "ship", "vessel", " rig", "offshore", "deaf", "hearing impaired", "bedridden",
     "wheelchair", "in person", "face to face", "on the phone", "by phone"),
)
HARDSHIP_PAY = Rx(
    r"\b(?:paypal|pay\s*pal|cheques?|(?:a|the|by|certified|cashier'?s?)\s+check|money\s+order|western\s+union|moneygram|zelle|venmo|cash\s*app|wire"
    r"|bank\s+(?:transfer|account|details|name)|gift\s*cards?|courier)\b"
)
