"""Reading the rules file and the text model it runs with: the one place either is parsed.

The file is strict: a key or section the rules do not read (a typo such as `mod = "shadow"`)
is an error naming it. What the rules read is found by watching `scoring.rules.parse_rules`
read the document, so the keys allowed are the ones the rule definitions use, never a second
list kept by hand.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

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


class _Watched(Mapping[str, Any]):
    """A table of the document that notes which of its keys the parser looked up (iterating
    over it looks up nothing); its sub-tables are watched too."""

    def __init__(self, table: Mapping[str, Any], path: str = "") -> None:
        self._table = table
        self._path = path
        self._read: set[str] = set()
        self._children = {
            key: _Watched(value, f"{path}{key}.") for key, value in table.items() if isinstance(value, Mapping)
        }

    def __getitem__(self, key: str) -> Any:
        self._read.add(key)
        return self._children.get(key, self._table[key])

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self._read.add(key)
        return key in self._table

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def unread(self) -> list[tuple[str, bool]]:
        """(dotted name, whether it is a section) of every key never looked up, in file order."""
        out = []
        for key, value in self._table.items():
            if key not in self._read:
                out.append((self._path + key, isinstance(value, Mapping)))
            elif key in self._children:
                out.extend(self._children[key].unread())
        return out


def _unknown(unread: list[tuple[str, bool]]) -> str:
    sections = [name for name, section in unread if section]
    keys = [name for name, section in unread if not section]
    parts = ([f"unknown section{'s' * (len(sections) > 1)} {', '.join(repr(s) for s in sections)}"] if sections
             else []) + ([f"unknown key{'s' * (len(keys) > 1)} {', '.join(repr(k) for k in keys)}"] if keys else [])
    return "; ".join(parts)


def parse_document(raw: Mapping[str, Any], model: TextModel | None = None) -> Rules:
    """Rules from a parsed rules document; RulesError for a key or section no rule reads."""
    watched = _Watched(raw)
    rules = parse_rules(watched, model)
    unread = watched.unread()
    if unread:
        raise RulesError(_unknown(unread))
    return rules


def parse_text(text: str, model: TextModel | None = None) -> Rules:
    """Rules from the text of a rules file."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"not valid TOML: {exc}") from None
    return parse_document(raw, model)


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
