"""Reading the rules file and the text model it runs with: the one place either is parsed."""

from __future__ import annotations

import tomllib
from pathlib import Path

from scoring.rules import Rules, RulesError, parse_rules
from scoring.text.model import ModelError, TextModel, loads, packaged


def load_model(path: Path | None) -> TextModel:
    """The text model in a file, or the packaged one; RulesError naming the file when unreadable."""
    if path is None:
        return packaged()
    try:
        return loads(path.read_bytes())
    except (OSError, ModelError) as exc:
        raise RulesError(f"text model file {path}: {exc}") from None


def parse_text(text: str, model: TextModel | None = None) -> Rules:
    """Rules from the text of a rules file."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"not valid TOML: {exc}") from None
    return parse_rules(raw, model)


def load_rules(path: Path, model: TextModel | None = None) -> Rules:
    """Rules from a rules file; RulesError naming the file and the rule."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"rules file {path}: {exc}") from None
    try:
        return parse_text(text, model)
    except RulesError as exc:
        raise RulesError(f"rules file {path}: {exc}") from None
