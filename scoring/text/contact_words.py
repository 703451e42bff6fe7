"""The wording the contact rules read: technical talk, contact intent, messengers named in words,
euphemisms, requests to move the conversation, personal sites."""

from __future__ import annotations

import re

from scoring.text.rx import Rx, words

TECH = Rx(
    r"\b"
    + words(
        "validat\\w*",
        "format\\w*",
        "regex",
        "field",
        "input",
        "form",
        "forms",
        "mask",
        "bug",
        "error",
        "errors",
        "placeholder",
        "parse\\w*",
        "libphonenumber",
        "e\\.164",
        "twilio",
        "smtp",
        "sendgrid",
        "mailchimp",
        "template",
        "templates",
        "database",
        "column",
        "dummy",
        "fake",
        "sample",
        "test",
        "testing",
        "mock",
        "seed data",
        "api",
        "sdk",
        "integrat\\w*",
        "clone",
        "bot",
        "bots",
        "plugin",
        "feature",
        "button",
        "share button",
        "widget",
        "app like",
        "similar to",
        "feel like",
        "feels like",
        "look like",
        "looks like",
        "call screen",
        "video calls?",
        "group calls?",
        "like skype",
        "like whatsapp",
        "like telegram",
        "notifications?",
        "sms",
        "otp",
        "chatbot",
        "automation",
        "group",
        "channel",
        "community",
        "marketing",
        "campaign",
        "ads",
        "followers",
        "scrap\\w*",
        "scraper",
        "leads",
        "list",
        "lists",
        "crm",
        "users",
        "customers",
        "signup",
        "sign-up",
        "login",
        "newsletter",
        "inbox placement",
        "deliverability",
        "encrypted",
        "e2e",
        "product",
        "our app",
        "build",
        "develop\\w*",
        "-like",
        "uri",
        "uris",
        "url scheme",
        "deep links?",
        "scripts?",
        "payload",
        "json",
        "endpoint",
        "webhooks?",
        "cloud api",
        "number id",
    )
    + r"\b"
)
# Code around a detail: a call with a quoted argument, a method arrow, a variable, a scope.
CODE = Rx(r"\w\(\s*['\"]|->\s*\w|\$[a-z_]\w*|\w::\w|=>")
# The speaker giving its own detail ("my WhatsApp is", "my email:"), just before it: never an
# example in technical talk around it.
OWN_DETAIL = re.compile(
    r"\bmy\s+(?:personal\s+|private\s+|direct\s+|work\s+)?(?:whats\s?app|number|phone|cell|mobile|e-?mail"
    r"|skype|telegram|discord|signal|wechat|handle|contact)(?:\s+(?:number|no\.?|id|address|handle))?"
    r"\s*(?:is|:|=|-)?\s*$"
)
INTENT = Rx(
    r"\b"
    + words(
        "add",
        "contact",
        "reach",
        "message",
        "msg",
        "text",
        "call",
        "ping",
        "dm",
        "hit me",
        "talk",
        "chat",
        "connect",
        "find me",
        "write",
        "join",
        "my",
        "id",
        "handle",
        "username",
        "number",
        "let'?s",
        "lets",
        "move",
        "switch",
        "continue",
        "discuss",
        "available",
        "do you have",
        "do you use",
        "your",
        "send",
        "via",
        "over",
        "through",
        "on",
        "me",
        "us",
        "there",
        "video",
    )
    + r"\b|@"
)
WORD_MESSENGERS = Rx(
    r"\b(signal|line app|imo|snapchat|kik|instagram|insta|ig|facebook|fb|linkedin|twitter"
    r"|tg|wa|google chat|hangouts|zalo|icq)\b",
    (
        "signal",
        "line app",
        " imo",
        "snapchat",
        " kik",
        "insta",
        " ig",
        "facebook",
        " fb",
        "linkedin",
        "twitter",
        " tg",
        " wa",
        "google chat",
        "hangouts",
        "zalo",
        " icq",
    ),
)
MESSENGER_INTENT = Rx(
    r"\b"
    + words(
        "add me",
        "message me",
        "msg me",
        "text me",
        "dm me",
        "reach me",
        "contact me",
        "find me",
        "ping me",
        "follow me",
        "hit me up",
        "talk",
        "chat",
        "connect",
    )
    + r"\b"
)
EUPHEMISM = Rx(
    r"\b(?:(?:the\s+)?(?:green|blue|purple|yellow)\s+(?:app|bird|messenger|icon|chat app|one with the)"
    r"|blue\s+bird(?:\s+app)?|paper\s+plane(?:\s+app)?|bird\s+app|app\s+(?:with"
    r"|that has)\s+(?:the\s+)?(?:green|blue|phone|plane)"
    r"|same\s+(?:name|username|user\s*name|handle|id|nick(?:name)?)\s+(?:on|in|at|over|as here)"
    r"|(?:my|our)\s+(?:other|usual|private)\s+(?:app|messenger|chat)"
    r"|(?:search|look)\s+(?:for\s+)?(?:me|my name)\s+(?:on|in)\s+(?:google|the\s+\w+\s+app))\b",
    (
        "green",
        "blue",
        "purple",
        "yellow",
        "bird",
        "plane",
        "same name",
        "same user",
        "same handle",
        "same id",
        "same nick",
        "other app",
        "usual app",
        "private app",
        "other messenger",
        "usual messenger",
        "private messenger",
        "other chat",
        "usual chat",
        "private chat",
        "search for me",
        "look for me",
        "search me",
        "look me",
        "search my",
        "look my",
    ),
)
REQUEST = Rx(
    r"\b(?:(?:e-?mail|mail|text|call|whatsapp|skype|telegram|ping|dm|msg|message)\s+me\s+(?:at|on|via"
    r"|directly|privately|here:?|@)"
    r"|(?:contact|reach)\s+me\s+(?:directly|privately|personally|at|on|via|through|outside|by\s+(?:e-?mail"
    r"|phone))"
    r"|(?:drop|shoot|send)\s+me\s+an?\s+(?:e-?mail|text|sms|whatsapp)"
    r"|give\s+me\s+a\s+(?:call|ring)|call\s+me\s+(?:at|on|now|back)"
    r"|(?:send|give|share|drop|tell)\s+(?:me\s+)?(?:your|ur)\s+"
    r"(?:personal\s+|private\s+|direct\s+)?(?:e-?mail|phone|number|cell|mobile"
    r"|whatsapp|skype|telegram|contact(?:\s+(?:info|details|number))?|discord|wechat)"
    r"|(?:what'?s|what\s+is|whats)\s+(?:your|ur|u)\s+(?:e-?mail|phone|number|cell|whatsapp|skype|telegram"
    r"|discord|wechat)"
    r"|(?:can|could|may)\s+i\s+(?:have|get)\s+your\s+(?:e-?mail|phone|number|whatsapp|skype|telegram|contact)"
    r"|my\s+(?:personal\s+|private\s+|direct\s+)?(?:e-?mail|gmail|yahoo|hotmail|outlook|phone|number|cell"
    r"|whatsapp|skype"
    r"|telegram)\s+(?:id\s+|address\s+)?(?:is|:)"
    r"|(?:talk|chat|communicate|conversation|discuss\w*|contact|connect|speak|continue|move\s+(?:this|it"
    r"|our\s+\w+))"
    r"\s+(?:\w+\s+){0,3}?(?:outside|off|away\s+from)\s+(?:of\s+)?(?:the\s+)?(?:upwork|platform|site|here"
    r"|fiverr))\b"
    # "send me email", the ask ending there: outside the word boundary above, which punctuation at
    # the end of a text never meets ("send me email.")
    r"|\b(?:send|give|share|drop)\s+me\s+(?:ur\s+)?(?:e-?mail|whatsapp|skype|telegram|discord|wechat)"
    r"(?:\s+(?:id|address|number|handle)\b|\s*[.,!?;]|\s*$|\s+(?:so|and|to|pls|please)\b)",
    (
        "mail",
        "text me",
        "call",
        "whatsapp",
        "skype",
        "telegram",
        "ping me",
        "dm me",
        "msg me",
        "message me",
        "contact",
        "reach me",
        "drop me",
        "shoot me",
        "send me a",
        "give me a",
        "phone",
        "number",
        "cell",
        "mobile",
        "discord",
        "wechat",
        "gmail",
        "yahoo",
        "hotmail",
        "outlook",
        "outside",
        " off ",
        "away from",
    ),
)
# The stems one of which a text needs before the patterns below are searched (`rx.Rx`).
_DETAIL_STEMS = ("mail", "phone", "number", "cell", "mobile", "whatsapp", "skype", "telegram", "contact", "discord",
                 "wechat")
# A detail asked for with other verbs, or with "a"/"an", only where the detail ends the ask: then
# punctuation or a symbol, the end, or words going on to say why ("leave me your number so I can
# call"; never "leave your number of guests"). Group 1 or 2 is what ends it: not evidence. "Leave"
# takes no bare "phone" ("leave your phone outside the room"); "pass" and "drop" need "me". Left
# out: "provide" (forms, instructions and platforms ask that: "Upwork will ask you to provide your
# phone number"), "forward" ("forward me your email" is the message), "share" ("accounts that
# share a phone number"), a bare "send a" ("I'll send an email"), a bare "a number" ("give me a
# number" asks a price), and a business's voice, which is copy a freelancer writes for a client
# ("leave us your email and we'll send the floor plans", "leave your email now and save 15%").
_DETAIL = (r"(?:e-?mail|phone\s+number|number|cell\s+number|mobile(?:\s+number)?|whatsapp|skype|telegram|contact"
           r"|discord|wechat)(?:\s+(?:address|number|no|id|handle|info|details))?")
_DETAIL_AN = (r"(?:e-?mail(?:\s+address)?|(?:phone|cell|mobile|contact|whatsapp)\s+number|whatsapp|skype(?:\s+id)?"
              r"|telegram(?:\s+handle)?|discord|wechat|contact\s+(?:info|details))")
_ENDS = (r"(\s*[^\w\s'’]|\s*$|\s+(?:so|or|pls|plz|please|here|below|asap|thanks|thank\s+you|thx|if|then"
         r"|for\s+(?:me|faster|further|easier|direct|quick|quicker)|(?:and\s+)?i'll"
         r"|(?:and\s+)?i\s+(?:can|will|could|would|need|want))\b)")
ASKED_DETAIL = Rx(
    r"\b(?:leave(?:\s+me)?|(?:pass|drop)\s+me)\s+(?:your|ur)\s+(?:personal\s+|private\s+|direct\s+)?"
    + _DETAIL + _ENDS
    + r"|\b(?:leave|(?:send|give|drop|pass)\s+me)\s+(?:an?|some)\s+(?:personal\s+|private\s+)?"
    + _DETAIL_AN + _ENDS,
    _DETAIL_STEMS,
)
# Who does it, right before such an ask, when it is not an ask: the speaker ("should I leave your
# number on the card?"), or a question about what was done ("did you leave your number?").
NOT_ASKED = Rx(r"\b(?:i|we|did\s+(?:you|u)|have\s+(?:you|u)|had\s+(?:you|u)|why\s+(?:did|would)\s+(?:you|u)"
               r"|you\s+(?:did|have|had))\s*$")
# A detail the speaker left elsewhere: "I put my WhatsApp in the description", "I left my number
# in your inbox" (`contact._left_as_news` checks it is the sentence's news).
LEFT_DETAIL = Rx(
    r"\bi(?:'ve|\s+have)?\s+(?:just\s+|already\s+)?(?:left|put|added|dropped|posted|included)\s+my\s+"
    r"(?:personal\s+|private\s+)?(?:e-?mail|gmail|whatsapp|skype|telegram|number|phone\s+number|mobile\s+number"
    r"|contact)"
    r"(?:\s+(?:number|id|address|handle|info|details))?\s+(?:in|on|to|at|into|below|above|under)\s+"
    r"(?:the\s+|my\s+|your\s+)?(?:inbox|profile|bio|description|comments?|pdf|attachments?|portfolio|notes?"
    r"|post|listing|message|page|cover\s+letter)\b",
    _DETAIL_STEMS,
)
# What may open a sentence before such news: greetings, thanks and connectives.
NEWS_OPENER = Rx(r"^(?:[\s,.!;:)\-–—]*(?:hi|hello|hey|dear\s+\w+|good\s+(?:morning|afternoon|evening)|thanks"
                 r"|thank\s+you|ok|okay|yes|also|and|btw|oh|sure|great|done|so|as\s+promised)\b)*[\s,.!;:)\-–—]*$")
PERSONAL_SITE = Rx(
    r"\b"
    + words(
        "my website",
        "my site",
        "my web site",
        "my page",
        "my blog",
        "my homepage",
        "contact form",
        "contact page",
        "contact me",
        "reach me",
        "book a call",
        "schedule a call",
        "get in touch",
        "my contact",
        "contact details",
        "contact info",
    )
    + r"\b",
    ("my web", "my site", "my page", "my blog", "my homepage", "contact", "reach me", "a call", "in touch"),
)
