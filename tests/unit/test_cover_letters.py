from scoring.detectors import cover_letters
from scoring.records import Proposal
from scoring.state import AccountState
from tests.unit.helpers import rules
from tests.unit.test_sketch import LETTER

RULE = rules().detector("repeated_cover_letter")
MIN = int(RULE.param("min_matches"))


def proposal(i: int, text: str, job: str | None = None) -> Proposal:
    return Proposal(f"p{i}", i * 3_600_000, job or f"j{i}", "f1", f"c{i}", text, 50.0)


def run(texts, jobs=None):
    state, signals = AccountState(), []
    for i, text in enumerate(texts):
        signals += cover_letters.detect(state, proposal(i, text, (jobs or {}).get(i)), RULE)
    return signals


def test_pasted_letter_fires_once_enough_copies_exist():
    names = ["Anna", "Bob", "Chen", "Dana", "Eve", "Femi"]
    signals = run([f"Hi {n}, {LETTER}" for n in names])
    assert [s.event_id for s in signals] == [f"p{i}" for i in range(MIN, len(names))]
    assert "p0" in signals[0].reason and signals[0].counters[0].value == MIN


TAILORED = [
    "Hi, for your Shopify migration I would first export the product catalogue, map the variants, "
    "and verify every order total after the move; I did this for two stores last spring.",
    "Hello, your React dashboard needs chart components with live updates; I would use websockets "
    "and a small store, and I can show a similar analytics screen I built for a logistics firm.",
    "Dear client, the WordPress plugin bug you describe sounds like a hook priority issue; I would "
    "reproduce it on a staging copy first and then patch the plugin without touching the theme.",
    "Hi there, for the data cleaning task I would write a pandas script that normalises the dates, "
    "removes duplicate customers by email and phone, and produces a short report of what changed.",
    "Hello, I can design the logo in three concepts with two revision rounds; for a bakery brand I "
    "would explore warm hand-lettered marks and deliver SVG and PNG files with a small style guide.",
]


def test_honest_tailored_letters_stay_quiet():
    assert run(TAILORED) == []


def test_same_job_reposts_are_not_counted():
    signals = run([LETTER] * 6, jobs={i: "same-job" for i in range(6)})
    assert signals == []
