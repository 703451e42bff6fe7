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
# The stems one of which a text needs before the pattern below is searched (`rx.Rx`).
_DETAIL_STEMS = ("mail", "phone", "number", "cell", "mobile", "whatsapp", "skype", "telegram", "contact", "discord",
                 "wechat")
# A detail asked for by the speaker with other verbs: "leave me your number", "could you leave an
# email address?", "send me a phone number so I can call you". Only with "me", or asked of "you":
# an imperative alone is as often copy a freelancer writes for a client ("leave your email and
# get 10% off", "please leave your number" in a voicemail greeting) or layout feedback ("leave your
# email, cut the fax number"). The detail must end the ask: then punctuation or a symbol, the end,
# or words going on to say why ("leave me your number of guests" is no ask). Group 1 or 2 is what
# ends it: not evidence. Left out: "provide" (forms, instructions and platforms ask it),
# "forward" ("forward me your email" is the message), "share" ("accounts that share a phone
# number"), a bare "a number" ("give me a number" asks a price).
_DETAIL = (r"(?:e-?mail|phone\s+number|number|cell\s+number|mobile(?:\s+number)?|whatsapp|skype|telegram|contact"
           r"|discord|wechat)(?:\s+(?:address|number|no|id|handle|info|details))?")
_DETAIL_AN = (r"(?:e-?mail(?:\s+address)?|(?:phone|cell|mobile|contact|whatsapp)\s+number|whatsapp|skype(?:\s+id)?"
              r"|telegram(?:\s+handle)?|discord|wechat|contact\s+(?:info|details))")
_ENDS = (r"(\s*[^\w\s'’]|\s*$|\s+(?:so|or|pls|plz|please|here|below|asap|thanks|thank\s+you|thx|if|then"
         r"|for\s+(?:me|faster|further|easier|direct|quick|quicker)|(?:and\s+)?i'll"
         r"|(?:and\s+)?i\s+(?:can|will|could|would|need|want))\b)")
_OF_YOU = r"(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|pls\s+|just\s+)?leave\s+(?:me\s+)?"
ASKED_DETAIL = Rx(
    r"\b(?:(?:leave|pass|drop)\s+me\s+|" + _OF_YOU + r")(?:your|ur)\s+(?:personal\s+|private\s+|direct\s+)?"
    + _DETAIL + _ENDS
    + r"|\b(?:(?:send|give|drop|pass|leave)\s+me\s+|" + _OF_YOU + r")(?:an?|some)\s+(?:personal\s+|private\s+)?"
    + _DETAIL_AN + _ENDS,
    _DETAIL_STEMS,
)
# Who does it, right before such an ask, when it is not an ask: the speaker ("should I leave your
# number on the card?"), or a question about what was done ("did you leave your number?").
NOT_ASKED = Rx(r"\b(?:i|we|did\s+(?:you|u)|have\s+(?:you|u)|had\s+(?:you|u)|why\s+(?:did|would)\s+(?:you|u)"
               r"|you\s+(?:did|have|had))\s*$")
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
