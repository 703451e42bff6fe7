"""scoring/ stays pure: no I/O libraries and no wall clock."""

import ast
from pathlib import Path

import pytest

SCORING = Path(__file__).resolve().parents[2] / "scoring"
FORBIDDEN = {"faust", "aiokafka", "redis", "prometheus_client", "orjson", "socket", "asyncio"}
FILES = sorted(SCORING.rglob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SCORING)))
def test_no_io_imports_and_no_clock(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            if isinstance(node, ast.Attribute) and node.attr in {"now", "utcnow", "time"}:
                assert not (isinstance(node.value, ast.Name) and node.value.id in {"datetime", "time"})
            continue
        for name in names:
            assert name.split(".")[0] not in FORBIDDEN, f"{path} imports {name}"
