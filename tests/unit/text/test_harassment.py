"""harassment: insults and threats aimed at the other party; quotes and tool-swearing stay quiet."""

import pytest

from scoring.text import TextContext
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
    ],
)
def test_fires(text: str) -> None:
    assert HARASSMENT in policies(text)


@pytest.mark.parametrize(
    "text",
    [
        "he called me an idiot",
        "this damn build keeps failing",
        "you won't regret hiring me",
        "I will find you a better illustrator",
        "I feel like an idiot for missing that bug",
        'He wrote "you are an idiot" and closed the contract',
        "I'll report you to Upwork support if nothing arrives",
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
