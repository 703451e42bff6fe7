"""Helpers shared by the text-detector tests."""

from scoring.text import TextContext, detect_text


def detectors(text: str, **context: object) -> set[str]:
    return {h.detector for h in detect_text(text, TextContext(**context))}  # type: ignore[arg-type]


def policies(text: str, **context: object) -> set[str]:
    return {h.policy for h in detect_text(text, TextContext(**context))}  # type: ignore[arg-type]
