"""Just enough PromQL reading for the deploy tests: the series selectors of an expression.

A selector is a metric name with its optional `{...}` matchers; function and
aggregation names, keywords, label lists (`by (...)`, `on (...)`), strings,
numbers, durations and range brackets are not selectors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)
  | (?P<braces>\{[^}]*\})
  | (?P<range>\[[^\]]*\])
  | (?P<number>\d[\w.]*)
  | (?P<ident>[a-zA-Z_:][a-zA-Z0-9_:]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_LABEL_LISTS = {"by", "without", "on", "ignoring", "group_left", "group_right"}
_KEYWORDS = _LABEL_LISTS | {"bool", "and", "or", "unless", "offset", "atan2", "inf", "nan"}
_AGGREGATIONS = {
    "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
    "bottomk", "topk", "quantile", "limitk", "limit_ratio",
}
_SUFFIXES = ("_bucket", "_count", "_sum", "_total", "_created")


@dataclass(frozen=True)
class Selector:
    name: str  # "" for a bare {__name__=...} selector
    matchers: str  # "{...}" or ""

    @property
    def text(self) -> str:
        return self.name + self.matchers


def _tokens(expr: str) -> list[tuple[str, str]]:
    out = []
    for m in _TOKEN.finditer(expr):
        kind = m.lastgroup or "other"
        if kind != "ws":
            out.append((kind, m.group()))
    return out


def _skip_parens(tokens: list[tuple[str, str]], i: int) -> int:
    """Index after the parenthesised group that starts at tokens[i]."""
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j][1] == "(":
            depth += 1
        elif tokens[j][1] == ")":
            depth -= 1
            if depth == 0:
                return j + 1
    raise ValueError("unbalanced parentheses")


def selectors(expr: str) -> list[Selector]:
    """The series selectors of `expr`, in order of appearance."""
    tokens = _tokens(expr)
    found: list[Selector] = []
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ("", "")
        if kind == "ident" and text.lower() in _LABEL_LISTS and nxt[1] == "(":
            i = _skip_parens(tokens, i + 1)
            continue
        if kind == "ident" and text.lower() in _AGGREGATIONS and nxt[1].lower() in ("by", "without"):
            i += 1
            continue
        if kind == "ident" and nxt[1] != "(" and text.lower() not in _KEYWORDS:
            matchers = nxt[1] if nxt[0] == "braces" else ""
            found.append(Selector(text, matchers))
            i += 2 if matchers else 1
            continue
        if kind == "braces":
            found.append(Selector("", text))
        i += 1
    return found


def metric_names(expr: str) -> set[str]:
    return {s.name for s in selectors(expr) if s.name}


def family(name: str) -> str:
    """The metric family of an exposed series name: riskscorer_events_total -> riskscorer_events."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name
