"""Concrete contact details: e-mail addresses (also "john at gmail dot com"), phone numbers
(also with separators or spelled out), messenger handles and contact links.

Each finder returns ``Detail`` records in folded-text offsets; ``contact.py`` turns them into
hits after the context checks, and the split-message check reuses them on joined text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scoring.text.rx import ALL, Rx, pattern_group, words

# Phone-shaped runs and spelled-number runs are found by the shared set match, so texts
# without them never reach the (slower) precise patterns below.
PHONE_SHAPE = pattern_group((r"\d(?:[\s.\-()/]{0,3}\d){8}",))
SPELLED_SHAPE = pattern_group(
    (
        r"(?:(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|\d)[\s,.\-]+){6}(?:zero|oh|one|two|three|four"
        r"|five|six|seven|eight|nine|\d)",
    )
)
_TLD_HINT = re.compile(r"\.(?:com|net|org|io|co|me|dev)\b")

_AT = r"(?:\s*@\s*|\s*[\(\[\{<]\s*at\s*[\)\]\}>]\s*|\s+at\s+)"
_DOT = r"(?:\s*\.\s*|\s*[\(\[\{<]\s*dot\s*[\)\]\}>]\s*|\s+dot\s+)"
# Top-level domains read as an address's end: the common generic and country ones. A closed list,
# so that "report@2x.png" is no address.
_TLD = (r"(?:com|net|org|io|co|me|info|biz|us|uk|in|pk|ph|de|fr|ru|ng|ca|au|edu|dev|app|xyz|ai|bd|eg|ua"
        r"|es|nl|pl|br|mx|ar|za|ke|tr|vn|sg|nz|ie|se|dk|fi|ch|pt|gr|ro|hu|cz|il|jp|kr|cn|tw"
        r"|hk|lk|np|gh|ma|tn|rs|hr|bg|lt|lv|ee|by|kz|uz|ge|az|cl|pe|ve|ec|uy|tv|fm|gg|ly|cc|ws)")
# Newer ones freelancers use for a portfolio, words of their own: only after a plain or bracketed
# dot ("jane@janedoe.design", "jane [at] janedoe [dot] studio"), never a spelled-out one ("at
# home. design is ready" is no address).
_WORD_TLD = (r"(?:design|studio|photography|photo|art|agency|digital|media|tech|online|store|shop|pro|blog"
             r"|email|space|website|team|consulting|solutions|services|academy|world|group|global|cloud"
             r"|software|systems|network|company|business|marketing|expert|guru|ninja|rocks)")
_MAILHOSTS = words(
    "g\\s*mail",
    "googlemail",
    "yahoo",
    "hotmail",
    "outlook",
    "protonmail",
    "proton",
    "icloud",
    "aol",
    "yandex",
    "mail",
    "live",
    "msn",
    "gmx",
    "zoho",
)
_EMAIL = Rx(
    r"([a-z0-9][a-z0-9._%+-]{0,63})"
    + _AT
    + r"([a-z0-9-]{1,63}(?:"
    + _DOT
    + r"[a-z0-9-]{1,63}){0,2}?"
    + "(?:" + _DOT + _TLD + r"|(?:\.|\s*[\(\[\{<]\s*dot\s*[\)\]\}>]\s*)" + _WORD_TLD + ")"
    + r")\b"
)
_EMAIL_HOST_ONLY = Rx(r"\b([a-z0-9][a-z0-9._-]{1,63})" + _AT + "(" + _MAILHOSTS + r")\b")
_FAKE_DOMAINS = frozenset(
    {
        "example.com",
        "example.org",
        "example.net",
        "test.com",
        "domain.com",
        "email.com",
        "yourdomain.com",
        "company.com",
        "mysite.com",
        "site.com",
        "acme.com",
        "mail.com",
        "yoursite.com",
        "sample.com",
        "foo.com",
        "bar.com",
        "xyz.com",
        "abc.com",
    }
)
_FAKE_USERS = frozenset(
    {
        "user",
        "test",
        "example",
        "name",
        "yourname",
        "your.name",
        "username",
        "email",
        "someone",
        "foo",
        "bar",
        "noreply",
        "no-reply",
        "abc",
        "xyz",
        "john.doe",
        "jane.doe",
        "admin",
        "me",
        "your",
        "you",
        "first.last",
        "firstname.lastname",
    }
)
_PHONE = Rx(r"(\+\s*)?\(?\d(?:[\s.\-()/]{0,3}\d){8,15}")
_MONEYISH = Rx(
    r"(?:[$€£#%]|\busd|\beur|\bid|\bno\.?|\border|\binvoice|\bticket|\bref|\bcase|\bjob|\bcontract"
    r"|\bv|\bversion|\bzip|\biban|\baccount|\bcard|\brouting|\bx)\s*[:#]?\s*$"
)
_DIGIT_WORD = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_SPELLED = Rx(r"\b(?:(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|\d)\b[\s,.\-]*){7,20}")
_HANDLE = Rx(
    r"\b(skype|telegram|whatsapp|whats app|discord|wechat|viber|signal|tg|wa|ig|insta|instagram|snapchat"
    r"|line|kik|gmail|g\s*mail|yahoo|hotmail|outlook)\s*(?:id|name|user\s*name|handle|number|no\.?|#|account"
    r"|contact)?\s*(?:is|:|=|at|@|me at|me on|-+>|\s-\s)"
    r"\s*(@?[a-z0-9_][a-z0-9_.:-]{2,40})"
    r"|\b(live:\.?cid\.[a-z0-9]+|live:[a-z0-9_.]{3,})"
    r"|\b(?:my|our)\s+(?:tg|telegram|skype|discord|ig|insta)\s+(?:is\s+)?(@[a-z0-9_]{3,})",
    (
        "skype",
        "telegram",
        "whats",
        "signal",
        "wechat",
        "viber",
        "discord",
        "snapchat",
        "kik",
        " line",
        " tg ",
        " tg:",
        " wa ",
        " wa:",
        " ig ",
        " ig:",
        "insta",
        "gmail",
        "g mail",
        "yahoo",
        "hotmail",
        "outlook",
        "live:",
    ),
)
_LINK = Rx(
    r"\b((?:https?://)?(?:www\.)?(?:t\.me|telegram\.me|wa\.me|api\.whatsapp\.com|chat\.whatsapp\.com|m\.me"
    r"|join\.skype\.com|calendly\.com|linktr\.ee|discord\.gg|zcal\.co|cal\.com|tidycal\.com"
    r"|instagram\.com|facebook\.com|fb\.com|linkedin\.com/in|twitter\.com|x\.com)(?:/[^\s]*)?)",
    (
        "t.me",
        "telegram.me",
        "wa.me",
        "whatsapp.com",
        "m.me",
        "skype.com",
        "calendly",
        "linktr",
        "discord.gg",
        "zcal",
        "cal.com",
        "tidycal",
        "instagram.com",
        "facebook.com",
        "fb.com",
        "linkedin.com",
        "twitter.com",
        "x.com",
    ),
)
_URL = Rx(
    r"\b((?:https?://|www\.)[^\s]+|[a-z0-9-]{2,}\.(?:com|net|org|io|me|dev|co|info|site|online|xyz|biz"
    r"|page|studio|design|agency|tech)(?:/[^\s]*)?)",
    (
        "http",
        "www",
        ".com",
        ".net",
        ".org",
        ".io",
        ".me",
        ".dev",
        ".co",
        ".info",
        ".site",
        ".online",
        ".xyz",
        ".biz",
        ".page",
        ".studio",
        ".design",
        ".agency",
        ".tech",
    ),
)


@dataclass(frozen=True, slots=True)
class Detail:
    """A contact detail in folded-text offsets."""

    detector: str
    start: int
    end: int
    what: str


def emails(norm: str) -> list[Detail]:
    found: list[Detail] = []
    for match in _EMAIL.finditer(norm):
        user, domain = (g or "" for g in match.groups)
        flat = "".join(domain.split()).replace("(dot)", ".").replace("[dot]", ".").replace("dot", ".")
        if user in _FAKE_USERS or flat in _FAKE_DOMAINS or flat.startswith("example."):
            continue
        span = norm[match.start : match.end]
        spelled = "@" not in span
        if spelled and not any(c in span for c in "[({<") and not _plain_at_plausible(norm, match.start, user, flat):
            continue
        found.append(
            Detail(
                "contact_email_spelled" if spelled else "contact_email",
                match.start,
                match.end,
                "an e-mail address written out to dodge filters" if spelled else "an e-mail address",
            )
        )
    for match in _EMAIL_HOST_ONLY.finditer(norm):
        if not any(d.start <= match.start < d.end for d in found) and match.groups[0] not in _FAKE_USERS:
            found.append(Detail("contact_email_spelled", match.start, match.end, "an e-mail handle at a mail host"))
    return found


def _plain_at_plausible(norm: str, start: int, user: str, domain: str) -> bool:
    """ "x at y dot com" counts when it reads as an address, not "I work at acme.com"."""
    if any(c in user for c in "._0123456789") or _EMAIL_HOST_ONLY.test("a@" + domain.split(".")[0]):
        return True
    return "mail" in norm[max(0, start - 40) : start]


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _plausible_phone(norm: str, start: int, end: int, plus: bool) -> bool:
    raw = norm[start:end]
    count = len(_digits(raw))
    if count < (9 if plus else 10) or count > 15:
        return False
    if _MONEYISH.test(norm[max(0, start - 12) : start]):
        return False
    if "/" in raw or (raw.isdigit() and count > 13):
        return False
    after = norm[end : end + 3]
    return not (after[:1] in {"%", "$", "k"} or after.startswith((" usd", " px", "px")))


def phones(norm: str) -> list[Detail]:
    found: list[Detail] = []
    for match in _PHONE.finditer(norm):
        if _plausible_phone(norm, match.start, match.end, bool(match.groups[0])):
            found.append(Detail("contact_phone", match.start, match.end, "a phone number"))
    return found


def _run_tokens(run: str) -> list[str]:
    """The words and digits of a spelled-out run (`_SPELLED`), separators dropped."""
    return run.replace(",", " ").replace("-", " ").replace(".", " ").split()


def _run_digits(tokens: list[str]) -> str:
    """The digits a run's tokens spell, words read as digits."""
    return _digits("".join(_DIGIT_WORD.get(t, t) for t in tokens))


def spelled_phones(norm: str) -> list[Detail]:
    found: list[Detail] = []
    for match in _SPELLED.finditer(norm):
        tokens = _run_tokens(norm[match.start : match.end])
        digits = _run_digits(tokens)
        spelled = sum(1 for t in tokens if t in _DIGIT_WORD)
        if spelled >= 1 and 9 <= len(digits) <= 15 and not _counted(digits):
            found.append(Detail("contact_phone_spelled", match.start, match.end, "a phone number spelled out in words"))
    return found


def counts(norm: str) -> list[tuple[int, int]]:
    """Where a run of digits spelled out in words, as long as a number's (`spelled_phones`), counts
    up or down ("one two three four five six seven"): words of a count, not of a number."""
    found = []
    for match in _SPELLED.finditer(norm):
        run = norm[match.start : match.end].rstrip(" ,.-\t\n")
        if _counted(_run_digits(_run_tokens(run))):
            found.append((match.start, match.start + len(run)))
    return found


def _counted(digits: str) -> bool:
    """A count up or down ("one two three ... ten"), which no phone number is."""
    steps = {(int(b) - int(a)) % 10 for a, b in zip(digits, digits[1:], strict=False)}
    return steps in ({1}, {9})


def handles(norm: str, triggers: int = ALL) -> list[Detail]:
    found: list[Detail] = []
    for match in _HANDLE.scan(norm, triggers):
        found.append(Detail("contact_handle", match.start, match.end, "a messenger handle"))
    for match in _LINK.scan(norm, triggers):
        found.append(Detail("contact_link", match.start, match.end, "a link to an outside contact channel"))
    return found


def urls(norm: str, triggers: int = ALL) -> list[Detail]:
    found: list[Detail] = []
    for match in _URL.scan(norm, triggers):
        host = norm[match.start : match.end].split("/")[0].removeprefix("www.")
        if match.start > 0 and norm[match.start - 1] in "@.":
            continue
        if host not in _FAKE_DOMAINS and not host.startswith("example."):
            found.append(Detail("contact_link", match.start, match.end, "a link to a personal site"))
    return found


# Three or more single characters separated by single spaces: "j o h n", "g m a i l".
_SPACED = re.compile(r"(?<!\S)[a-z0-9@.](?: [a-z0-9@.]){2,}(?!\S)")
# A text's UTF-8 bytes mapped so that such a run shows as " # # # ": its characters as "#", blanks
# and every byte of a non-ASCII character as " ", anything else as "_". More texts show it than
# hold a run, never fewer; a search of the pattern costs several times a look for that.
_RUN_MARKS = bytes(
    ord("#") if chr(b) in "abcdefghijklmnopqrstuvwxyz0123456789@." else ord(" ") if b >= 128 or chr(b).isspace()
    else ord("_") for b in range(256)
)


def _collapsed(norm: str) -> tuple[str, list[int]]:
    """The text with spaced-out letters joined ("g m a i l" -> "gmail"), and for each of its
    characters the offset it came from."""
    out: list[str] = []
    where: list[int] = []
    pos = 0
    for run in _SPACED.finditer(norm):
        out.append(norm[pos : run.start()])
        where.extend(range(pos, run.start()))
        out.append(run.group().replace(" ", ""))
        where.extend(range(run.start(), run.end(), 2))
        pos = run.end()
    out.append(norm[pos:])
    where.extend(range(pos, len(norm)))
    return "".join(out), where


def spaced_emails(norm: str) -> list[Detail]:
    """E-mail addresses spelled letter by letter ("j o h n at g m a i l dot c o m")."""
    if b" # # # " not in b" %b " % norm.encode("utf-8", "surrogatepass").translate(_RUN_MARKS) \
            or _SPACED.search(norm) is None:
        return []
    flat, where = _collapsed(norm)
    if not _maybe_email(flat):
        return []
    what = "an e-mail address spelled letter by letter"
    return [
        Detail("contact_email_spelled", where[d.start], where[d.end - 1] + 1, what)
        for d in emails(flat)
        if flat[d.start : d.end] != norm[where[d.start] : where[d.end - 1] + 1]
    ]


def _maybe_email(norm: str) -> bool:
    if "@" in norm or "(at" in norm or "[at" in norm or "{at" in norm or "<at" in norm:
        return True
    return " at " in norm and ("dot" in norm or "mail" in norm or _TLD_HINT.search(norm) is not None)


def all_details(norm: str, digit_words: int, triggers: int = ALL) -> list[Detail]:
    """Every concrete detail in a folded text; spelled numbers only when number words occur."""
    found = handles(norm, triggers)
    if _maybe_email(norm):
        found += emails(norm)
    found += spaced_emails(norm)
    if triggers & PHONE_SHAPE:
        found += phones(norm)
    if triggers & SPELLED_SHAPE:
        found += spelled_phones(norm)
    return found
