"""off_platform_contact: moving the conversation off the platform before a contract.

Concrete details (addresses, numbers, handles, contact links) fire unless they are
placeholders, part of a technical discussion, or reported speech. Messenger names fire
with contact intent or when disguised; "same name on the green app" style euphemisms and
"let's talk outside Upwork" fire on their own. Nothing fires when the context allows
sharing contact details (contract started, Direct Contract).
"""

from __future__ import annotations

from scoring.text import contact_details, negation
from scoring.text.contact_details import Detail
from scoring.text.gate import Gate
from scoring.text.lexicon import MAILHOST, MESSENGER
from scoring.text.normalize import Normalized
from scoring.text.rx import Rx, words
from scoring.text.types import OFF_PLATFORM_CONTACT, TextContext, TextHit

_WEIGHTS = {
    "contact_email": 0.9,
    "contact_email_spelled": 0.95,
    "contact_phone": 0.85,
    "contact_phone_spelled": 0.95,
    "contact_handle": 0.9,
    "contact_link": 0.8,
}
_TECH = Rx(
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
    )
    + r"\b"
)
_INTENT = Rx(
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
_WORD_MESSENGERS = Rx(
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
_MESSENGER_INTENT = Rx(
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
_EUPHEMISM = Rx(
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
_REQUEST = Rx(
    r"\b(?:(?:e-?mail|mail|text|call|whatsapp|skype|telegram|ping|dm|msg|message)\s+me\s+(?:at|on|via"
    r"|directly|privately|here:?|@)"
    r"|(?:contact|reach)\s+me\s+(?:directly|privately|personally|at|on|via|through|outside|by\s+(?:e-?mail"
    r"|phone))"
    r"|(?:drop|shoot|send)\s+me\s+an?\s+(?:e-?mail|text|sms|whatsapp)"
    r"|give\s+me\s+a\s+(?:call|ring)|call\s+me\s+(?:at|on|now|back)"
    r"|(?:send|give|share|drop|tell)\s+(?:me\s+)?your\s+(?:personal\s+|private\s+|direct\s+)?(?:e-?mail|phone"
    r"|number|cell|mobile"
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
    r"|fiverr))\b",
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
_PERSONAL_SITE = Rx(
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


def _hit(doc: Normalized, detector: str, weight: float, start: int, end: int, reason: str) -> TextHit:
    return TextHit(OFF_PLATFORM_CONTACT, detector, weight, (doc.orig_span(start, end),), reason)


def _tech(norm: str, start: int, end: int) -> bool:
    lo, hi = negation.sentence(norm, start, end)
    return _TECH.test(norm[lo:start]) or _TECH.test(norm[end:hi])


def detail_ok(norm: str, detail: Detail) -> bool:
    """A concrete detail counts unless technical, reported or quoted."""
    if _tech(norm, detail.start, detail.end):
        return False
    return not (negation.refused(norm, detail.start, detail.end) or negation.quoted(norm, detail.start, detail.end))


def _details(doc: Normalized, gate: Gate) -> list[TextHit]:
    hits: list[TextHit] = []
    for detail in contact_details.all_details(doc.norm, gate.digit_words, doc.triggers):
        if detail.detector == "contact_link" or detail_ok(doc.norm, detail):
            shown = doc.text[slice(*doc.orig_span(detail.start, detail.end))]
            hits.append(
                _hit(
                    doc,
                    detail.detector,
                    _WEIGHTS[detail.detector],
                    detail.start,
                    detail.end,
                    f"shares {detail.what}: '{shown}'",
                )
            )
    return hits


def _sites(doc: Normalized) -> list[TextHit]:
    hits: list[TextHit] = []
    if not _PERSONAL_SITE.gated(doc.triggers):
        return hits
    for detail in contact_details.urls(doc.norm, doc.triggers):
        lo, hi = negation.sentence(doc.norm, detail.start, detail.end)
        if _PERSONAL_SITE.test(doc.norm[lo:hi]) and not negation.suppressed(doc.norm, detail.start, detail.end):
            hits.append(
                _hit(
                    doc,
                    "contact_personal_site",
                    0.65,
                    detail.start,
                    detail.end,
                    "points to a personal site for contact",
                )
            )
    return hits


def _mention_hit(doc: Normalized, name: str, start: int, end: int, obfuscated: bool) -> TextHit | None:
    norm = doc.norm
    if _tech(norm, start, end) or negation.suppressed(norm, start, end):
        return None
    shown = doc.text[slice(*doc.orig_span(start, end))]
    lo, hi = negation.clause(norm, start, end)
    if obfuscated:
        return _hit(
            doc, "contact_messenger_obfuscated", 0.8, start, end, f"names {name} in disguised spelling '{shown}'"
        )
    if _INTENT.test(norm[lo:start]) or _INTENT.test(norm[end:hi]):
        return _hit(doc, "contact_messenger", 0.75, start, end, f"invites contact on {name}")
    return None


def _mentions(doc: Normalized, gate: Gate) -> list[TextHit]:
    named = [n for n in gate.names if n.kind in (MESSENGER, MAILHOST)]
    hits = [_mention_hit(doc, n.name, n.start, n.end, n.obfuscated) for n in named if n.kind == MESSENGER]
    for match in _WORD_MESSENGERS.scan(doc.norm, doc.triggers):
        lo, hi = negation.clause(doc.norm, match.start, match.end)
        if (
            _MESSENGER_INTENT.test(doc.norm[lo:hi])
            and not negation.suppressed(doc.norm, match.start, match.end)
            and not _tech(doc.norm, match.start, match.end)
        ):
            hits.append(
                _hit(doc, "contact_messenger", 0.7, match.start, match.end, f"invites contact on {match.groups[0]}")
            )
    return [h for h in hits if h is not None]


def _phrases(doc: Normalized) -> list[TextHit]:
    hits: list[TextHit] = []
    for rx, detector, weight, reason in (
        (_EUPHEMISM, "contact_euphemism", 0.8, "hints at an outside messenger"),
        (_REQUEST, "contact_request", 0.75, "asks to continue contact off the platform"),
    ):
        for match in rx.scan(doc.norm, doc.triggers):
            if not negation.suppressed(doc.norm, match.start, match.end) and not _tech(
                doc.norm, match.start, match.end
            ):
                shown = doc.text[slice(*doc.orig_span(match.start, match.end))]
                hits.append(_hit(doc, detector, weight, match.start, match.end, f"{reason}: '{shown}'"))
    return hits


def detect(doc: Normalized, gate: Gate, context: TextContext) -> list[TextHit]:
    """Contact hits for one text."""
    if context.contact_allowed or context.direct_contract:
        return []
    return _details(doc, gate) + _sites(doc) + _mentions(doc, gate) + _phrases(doc)
