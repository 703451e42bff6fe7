"""Helpers shared by the text-detector tests."""

from scoring.text import TextContext, TextHit
from scoring.text.detect import read


def detectors(text: str, **context: object) -> set[str]:
    return {h.detector for h in patterns(text, TextContext(**context))}  # type: ignore[arg-type]


def policies(text: str, **context: object) -> set[str]:
    return {h.policy for h in patterns(text, TextContext(**context))}  # type: ignore[arg-type]


NO_CONTEXT = TextContext()


def patterns(text: str, context: TextContext = NO_CONTEXT) -> list[TextHit]:
    """The pattern stage's hits (rule-based extraction), before the model weighs them."""
    return read(text, context)[0]
