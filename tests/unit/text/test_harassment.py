"""harassment: insults and threats aimed at the other party; quotes and tool-swearing stay quiet."""

import pytest

from scoring.text import TextContext
from scoring.text.detect import analyze
from tests.unit.text.conftest import patterns, policies

HARASSMENT = "harassment"


@pytest.mark.parametrize(
    "text",
    [
        "you are an idiot",
        "I will find you",
        "you'll regret this",
        "fuck you",
        "you stupid idiot, read the brief",
        "u r a 1d10t",
        "I know where you live",
        "go to hell",
        "Contact my customers behind my back again and I will sue you.",
        "f***k you and your endless revisions",
        "yes I'm sure, you fu**ing idiot",
        "you are a f***king clown",
        "Say that again and I will sue you.",
        "we'll take you to court if the files are not back by Friday",
        "My attorney will contact you about the damages.",
        "ARE YOU DEAF OR JUST STUPID??? FIX IT NOW",
        "are you blind or simply dumb, the logo is upside down",
    ],
)
def test_fires(text: str) -> None:
    assert HARASSMENT in policies(text)


@pytest.mark.parametrize(
    "text",
    [
        "he called me an idiot",
        "people write you are an idiot in the comments",
        "this damn build keeps failing",
        "you won't regret hiring me",
        "I will find you a better illustrator",
        "I feel like an idiot for missing that bug",
        'He wrote "you are an idiot" and closed the contract',
        "I'll report you to Upwork support if nothing arrives",
        "The client said he will sue me, what should I do?",
        "I would never sue you over a late delivery.",
        "Our legal team will review the contract terms.",
        "The court date for my visa is on Monday, so I'm out that day.",
        "If the refund is not processed by Friday we will take legal action.",
        "Are you free or just busy this week? No stress either way.",
        "are you testing or just blind guessing the colours?",
    ],
)
def test_quiet(text: str) -> None:
    assert HARASSMENT not in policies(text)


def test_pestering_needs_history() -> None:
    text = "why are you ignoring me??? answer me"
    assert HARASSMENT not in policies(text)
    hits = patterns(text, TextContext(previous=("hello?", "are you there?", "HELLO??")))
    assert {h.detector for h in hits} == {"harassment_pestering"}


def test_span_covers_insult() -> None:
    text = "Listen, you are an idiot."
    (hit,) = [h for h in patterns(text) if h.policy == HARASSMENT]
    s, e = hit.spans[0]
    assert text[s:e] == "you are an idiot"


@pytest.mark.parametrize(
    "text",
    [
        "I will take legal action against you",
        "If you dont pay by friday I will sue you",
        "refund me now or we are going to press charges against you",
        "We will immediately file a lawsuit against you.",
        "Refund me or I'll report you to the cops.",
        "im gonna sue your company if the site is not back up",
        "I will sue you, understood?",  # the question is another clause's
        "Last chance: pay or I will sue you.",
        "If you think you can scam me I will sue you",
        "I will report you to the police.Stop ignoring me",
        "We will file suit against you.",
        "Whenever I say I will sue you, I mean it.",  # the speaker's own threat, said again
        "I said I will sue you and I meant it",
        "I'm telling you we will take you to court",
        "I told you that we will take you to court",
        "Believe me when I say we will take you to court",
        "I am saying we will take you to court",
        "Like I told you we will take you to court",
        "I clearly said I will sue you",
    ],
)
def test_legal_action_threatened_flags_alone(text: str) -> None:
    assert [h.detector for h in patterns(text) if h.policy == HARASSMENT] == ["harassment_legal_action"]
    assert "legal_threat.harassment_legal_action" in {h.detector for h in analyze(text).hits}


@pytest.mark.parametrize(
    "text",
    [
        "Some buyers write I will sue you when a file is late.",
        "I'd never write I will sue you to a freelancer.",
        "He said: I will report you to the police, can he do that?",
        "See you in court on Monday for the hearing, I'll bring the exhibits.",  # left to the model
        "My lawyer will contact you to sign the NDA.",
        "Do you really think I will sue you over a typo? Relax.",
        "It's not that we will sue you, we just want the files.",
        "I doubt we will take legal action against you, it was a small delay.",
        "We will sue U.S. Bank for the wire fees, not you.",
        "We will file a complaint against you on the platform for the late delivery.",
        "Guess what the scammer sent me: we will take you to court unless you pay.",
        "I never said I will sue you.",
        "I wrote 'I will sue you' in a draft and deleted it.",  # quoted
        "He told everyone that I said I will sue you, which never happened",  # reported by another
        "The client claims I said we will take you to court, that is false",
        "I typed I will sue you into the translator to see how it sounds",
        "Nowhere did I say I will sue you",
        "I'm sorry, I said I will sue you in anger and I take it back.",  # taken back
        "Yes, I said I will sue you, and I regret it.",
    ],
)
def test_legal_action_told_or_named_is_no_act(text: str) -> None:
    assert "harassment_legal_action" not in {h.detector for h in patterns(text)}


@pytest.mark.parametrize(
    ("text", "threat"),
    [
        ("Congratulations, your family will love the new house design.", False),
        ("Your family is going to enjoy this kitchen.", False),
        ("Pay up or your family will suffer.", True),
        ("Keep ignoring me and your family is going to regret it.", True),
    ],
)
def test_your_family_will_is_a_threat_only_with_harm_after_it(text: str, threat: bool) -> None:
    assert any(h.detector == "harassment_threat" for h in patterns(text)) is threat
