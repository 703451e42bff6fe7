"""The wording the payment rules read: providers named in words, payment intent, technical talk,
the platform's own payouts, direct-payment and fee-avoidance phrases."""

from __future__ import annotations

from scoring.text.rx import Rx, words

WORD_PROVIDERS = Rx(
    r"\b("
    + words(
        "(?:via|through|thru|by|with|on|to|my|your|using|use|have|in|accept) wise",
        "wise (?:account|transfer|email|details|me|tag)",
        "(?:by|via|through|thru|to my|to your) bank",
        "bank transfer",
        "bank wire",
        "bank deposit",
        "bank account",
        "bank details",
        "bank info",
        "wire transfer",
        "direct deposit",
        "crypto",
        "cryptocurrency",
        "usdt",
        "btc",
        "eth",
        "trc-?20",
        "erc-?20",
        "wallet address",
        "crypto wallet",
        "iban",
        "swift code",
        "routing number",
        "sort code",
        "gcash",
        "paymaya",
        "paytm",
        "upi",
        "m-?pesa",
        "apple pay",
        "google pay",
        "gpay",
        "alipay",
        "payeer",
        "perfect money",
        "western union",
        "moneygram",
        "e-?transfer",
        "interac",
    )
    + r")\b",
    (
        " wise",
        "bank",
        "wire",
        "deposit",
        "crypto",
        " usdt",
        " btc",
        " eth",
        " trc",
        " erc",
        "wallet",
        "iban",
        "swift",
        "routing",
        "sort code",
        "gcash",
        "paymaya",
        "paytm",
        " upi",
        "pesa",
        "apple pay",
        "google pay",
        "gpay",
        "alipay",
        "payeer",
        "perfect money",
        "western union",
        "moneygram",
        "transfer",
        "interac",
    ),
)
INTENT = Rx(
    r"\b"
    + words(
        "pay",
        "paid",
        "paying",
        "payment",
        "payments",
        "send",
        "sending",
        "sent",
        "transfer",
        "receive",
        "accept",
        "take",
        "invoice",
        "money",
        "funds",
        "deposit",
        "tip",
        "bonus",
        "rest",
        "balance",
        "remaining",
        "advance",
        "upfront",
        "up front",
        "salary",
        "my account",
        "your account",
        "email for",
        "address",
        "details",
        "info",
        "prefer",
        "use",
        "have",
        "settle",
        "compensate",
        "cash out",
        "wire",
        "do you",
        "can you",
        "via",
        "thru",
        "through",
        "instead",
        "easiest",
        "easier",
        "better for me",
        "works for me",
        "fine for me",
        "friends and family",
        "f&f",
        "no fees?",
        "fees?",
        "directly",
        "half",
        "account",
    )
    + r"\b"
)
TECH = Rx(
    r"\b"
    + words(
        "api",
        "apis",
        "sdk",
        "integrat\\w*",
        "webhooks?",
        "ipn",
        "gateway",
        "checkout",
        "plugin",
        "module",
        "button",
        "sandbox",
        "endpoint",
        "woocommerce",
        "shopify",
        "stripe",
        "braintree",
        "magento",
        "merchant",
        "e-?commerce",
        "cart",
        "donations?",
        "subscriptions?",
        "clone",
        "dashboard",
        "backend",
        "front-?end",
        "implement\\w*",
        "payment methods?",
        "payment options?",
        "customers",
        "users",
        "buyers",
        "visitors",
        "donors",
        "subscribers",
        "code",
        "bug",
        "error",
        "logo",
        "icon",
        "ui",
        "checkout page",
        "test mode",
        "refund flow",
        "invoice template",
        "website accepts",
        "app",
        "apps",
        "blockchain",
        "smart contracts?",
        "tokens?",
        "nfts?",
        "dapps?",
        "defi",
        "exchange",
        "trading",
        "bots?",
        "web3",
        "wallet app",
        "invest\\w*",
        "double your",
        "payment processing",
        "processor",
        "fintech",
        "landing page",
        "charts?",
        "price charts?",
        "tickers?",
        "price tracker",
        "portfolio tracker",
    )
    + r"\b"
)
PLATFORM_WITHDRAW = Rx(
    r"\b"
    + words(
        "withdraw\\w*",
        "payout method",
        "linked",
        "link my",
        "verify",
        "verified",
        "verification",
        "get paid by upwork",
        "upwork pays",
        "from upwork",
        "upwork sends",
        "to fund",
        "funding",
        "fund the (?:contract|milestone|account)",
        "billing method",
        "through upwork",
        "via upwork",
        "on upwork",
        "through the platform",
        "via the platform",
        "in escrow",
        "escrow",
        "conversion fee",
        "direct contract",
        "payment protection",
    )
    + r"\b"
)
NOT_PLATFORM = Rx(
    r"\b" + words("instead of", "rather than", "outside", "off", "not", "avoid", "skip", "bypass") + r"\s+\S*$"
)
DIRECT = Rx(
    r"\b(?:pay(?:ing)?|send(?:ing)?|transfer(?:ring)?)\s+(?:me|you|us|it|the (?:money|payment|rest|balance))\s+"
    r"(?:directly|direct|privately|personally|in cash|outside|off (?:the )?(?:platform|upwork|site)"
    r"|without (?:upwork|the platform))\b"
    r"|\b(?:pay|paid|payment|work|deal|transaction|contract|job|jobs|project|proceed|work together|invoice)"
    r"\s+(?:\w+\s+){0,3}?(?:outside|off|out(?:side)? of|around|bypass(?:ing)?|without(?: using)?|instead of)\s+"
    r"(?:of\s+)?(?:the\s+)?(?:upwork|platform|site|website|marketplace|fiverr|freelancer(?:\.com)?|escrow)\b"
    r"|\b(?:pay|paid|paying|payment)\s+(?:\w+\s+)?(?:outside|off[\s-]platform|privately)\b"
    r"|\b(?:bypass(?:ing)?|go(?:ing)? around|cut(?:ting)? out|skip(?:ping)?)\s+(?:the\s+)?(?:upwork|platform"
    r"|middleman)\b"
    r"|\b(?:send|pay|transfer)\s+(?:you\s+)?(?:the\s+)?(?:rest|remaining|remainder|balance|other half"
    r"|second half)"
    r"(?:\s+\w+){0,3}\s+(?:directly|outside|privately|personally)\b",
    (
        "pay",
        "paid",
        "send",
        "transfer",
        "work",
        "deal",
        "transaction",
        "contract",
        "job",
        "project",
        "proceed",
        "invoice",
        "bypass",
        "go around",
        "going around",
        "cut out",
        "skip",
    ),
    (
        "direct",
        "privately",
        "personally",
        "in cash",
        "outside",
        "upwork",
        "platform",
        " site",
        "website",
        "marketplace",
        "fiverr",
        "freelancer",
        "escrow",
        "middleman",
    ),
)
# Payment moved directly without naming a provider: "settle the payment directly instead",
# "pay directly to my account", "a direct transfer outside the site".
DIRECTLY = Rx(
    r"\b(?:pay|paid|paying|payments?|settle|settling|transfer|transferring)\s+(?:\w+\s+){0,2}?directly\s+(?:to\s+"
    r"(?:me|my|us|our)\b|into\s+(?:my|our)\b|instead\b|rather\s+than\b|outside\b|without\b|off\b|and\s+(?:skip"
    r"|avoid|save))"
    r"|\bdirect\s+(?:payments?|transfers?|deals?)\s+(?:to\s+(?:me|my)\b|with\s+me\b|outside\b|instead\b|without\b"
    r"|off\b)",
    ("direct",),
    ("pay", "settl", "transfer", "deal"),
)
# A sale moved to the seller's own shop: "buy the full package from my website", "order it on
# my own site next time". Building a shop is talk about a product (`TECH`).
OWN_STORE = Rx(
    r"\b(?:buy|buying|order|ordering|purchase|purchasing|book|booking)\s+(?:\w+\s+){0,3}?(?:directly\s+)?(?:from"
    r"|on|through|via|at)\s+(?:my|our)\s+(?:own\s+)?(?:website|web\s*site|site|web\s*shop|online\s+(?:store|shop)"
    r"|store|shop|gumroad|etsy|patreon|ko-?fi)\b",
    ("buy", "order", "purchas", "book"),
    ("my web", "my site", "my own", "my store", "my shop", "my online", "my gumroad", "my etsy", "my patreon",
     "my ko", "our web", "our site", "our own", "our store", "our shop", "our online"),
)
FEES = Rx(
    r"\b(?:avoid(?:ing)?|sav(?:e|ing)|skip(?:ping)?|bypass(?:ing)?|dodg(?:e|ing)|evad(?:e|ing)|escap(?:e|ing)"
    r"|get(?:ting)? around|cut(?:ting)? out|no more|don'?t (?:want to )?pay|not pay(?:ing)?|without paying)\s+"
    r"(?:on\s+)?(?:\w+\s+){0,2}?(?:the\s+)?(?:upwork'?s?|platform|site'?s?|service|their|those|these|20%|10%"
    r"|extra|huge)?"
    r"\s*(?:fees?|commission|cut|charges?|percentage)\b"
    r"|\b(?:fees?|commission)\s+(?:free|\w+\s+free)\b.{0,40}\b(?:directly|outside|paypal|bank)",
    ("fee", "commission", "cut", "charge", "percentage"),
)
YOURS = Rx(r"\b(?:send|give|share|provide|need|want|forward)\s+(?:me\s+|us\s+)?(?:your|ur)\s+(?:full\s+)?$")
# What is asked for with "your PayPal": the account itself ("details", "email", "IBAN"), or the
# name alone ending its clause.
ACCOUNT_NOUN = Rx(r"^\S+(?:\s+\w+)?\s+(?:details|email|e-mail|account|id|info|information|link|username|iban"
                  r"|address|number|tag|handle|me)\b|^\S+\s*(?:[.,!?;]|$)")
EXEMPT_FEES = Rx(
    r"\b" + words("conversion fee", "direct contract", "fee structure", "sliding", "service fee is") + r"\b"
)
