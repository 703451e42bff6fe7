"""The import layers hold, and no project modules import one another in a circle.

Every import counts, also one inside a function: a lower layer never imports a higher one,
whether at load time or later. The layers, lowest first, are folders:

- core: `scoring/`, pure (`test_purity.py` keeps it free of I/O);
- batch: `streams/batch/`, a batch of raw events in, outputs and states out (decoding, the
  processor, the scoring processes, the state codec, the rules file), and the text model's
  training examples and fit;
- adapters: `streams/adapters/`, the Redis indexes and stores (and the store of reviewers'
  verdicts as training examples);
- worker: `streams/worker/`, the Faust worker, and `streams/faust_fixes/`, its reaches into
  Faust's internals;
- commands: `streams/commands/`, the command line, the demo, the backtest, and
  `streams/devtools/`, the simulator and the state dictionary's training.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("scoring", "streams")

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("core", ("scoring",)),
    ("batch", ("streams.batch", "streams.training.examples", "streams.training.fit")),
    ("adapters", ("streams.adapters", "streams.training.verdicts")),
    ("worker", ("streams.worker", "streams.faust_fixes")),
    ("commands", ("streams.commands", "streams.devtools", "streams.training.command", "streams.__main__")),
)
# Packages whose own `__init__` imports nothing: only they, not what they hold, are in the lowest
# layer of `streams` (a new folder must be given its layer above).
PACKAGE_ROOTS = {"streams": 1, "streams.training": 1}


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = modules()


def layer_of(module: str) -> int | None:
    """The layer of the longest prefix of `module` listed in LAYERS."""
    if module in PACKAGE_ROOTS:
        return PACKAGE_ROOTS[module]
    best: tuple[int, int] | None = None
    for level, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), level)
    return None if best is None else best[1]


def _project(name: str) -> str | None:
    """The project module `name` (a module, or a name inside one) refers to."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports(module: str) -> set[str]:
    """The project modules `module` imports anywhere in its code."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            names = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(m for name in names if (m := _project(name)) and m != module)
    return found


GRAPH = {module: imports(module) for module in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_every_module_has_a_layer():
    assert [m for m in MODULES if layer_of(m) is None] == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_stay_in_lower_layers(module):
    level = layer_of(module)
    assert level is not None
    upward = sorted(
        f"{dep} ({LAYERS[dep_level][0]})"
        for dep in GRAPH[module]
        if (dep_level := layer_of(dep)) is not None and dep_level > level
    )
    assert upward == [], f"{module} ({LAYERS[level][0]}) imports a higher layer"


def test_scoring_imports_nothing_from_streams():
    assert {m: sorted(d for d in deps if d.startswith("streams")) for m, deps in GRAPH.items()
            if m.startswith("scoring") and any(d.startswith("streams") for d in deps)} == {}


def test_no_import_cycles():
    assert cycles(GRAPH) == []


def test_the_checker_sees_a_cycle_and_function_level_imports():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert "streams.commands.backtest" in GRAPH["streams.devtools.state_dict"]
    assert "streams.commands.demo" in GRAPH["streams.commands.subcommands"]
    assert "streams.commands.subcommands" in GRAPH["streams.commands.cli"]  # imported inside a function there
