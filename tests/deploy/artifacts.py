"""The deploy files as data: PromQL expressions of the dashboards and rules, the compose file
with its variables resolved, the Dockerfile's instructions, and the metrics the worker exports.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from faust.sensors.prometheus import FaustMetrics
from prometheus_client import CollectorRegistry

from streams.worker.metrics import Metrics

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
PROMETHEUS_DIR = ROOT / "deploy" / "prometheus"
GRAFANA_DIR = ROOT / "deploy" / "grafana"
DASHBOARDS_DIR = GRAFANA_DIR / "dashboards"

# Metrics the dashboards and rules refer to that no running code exports yet. Expressions
# over them are checked to parse and evaluate, not to return data; once a metric is
# exported the tests fail until it is removed from here.
PENDING: dict[str, str] = {}
# Exported by the worker but never incremented by the code as it stands: no samples.
UNOBSERVED: dict[str, str] = {}
# Rule files whose every expression is over PENDING metrics (the reviewer loop's).
PENDING_RULE_FILES: dict[str, str] = {}

# Grafana's variables, as the scrape test resolves them.
GRAFANA_VARIABLES = {
    "$__rate_interval": "1m",
    "$__interval": "15s",
    "$__range": "5m",
}


@dataclass(frozen=True)
class Expression:
    where: str  # file and panel or rule, for messages
    expr: str
    kind: str  # "dashboard", "record", "alert"
    record: str | None = None


def known_pending() -> set[str]:
    """Metrics the scrape test expects to have no samples (and fails on once they have)."""
    return set(PENDING) | set(UNOBSERVED)


def dashboard_files() -> list[Path]:
    return sorted(DASHBOARDS_DIR.glob("*.json"))


def _panels(panels: list[dict]) -> Iterator[dict]:
    for panel in panels:
        yield panel
        yield from _panels(panel.get("panels", []))


def dashboard_expressions() -> list[Expression]:
    out = []
    for path in dashboard_files():
        board = json.loads(path.read_text())
        for panel in _panels(board["panels"]):
            for target in panel.get("targets", []):
                where = f"{path.name}: {panel['title']!r} {target['refId']}"
                out.append(Expression(where, target["expr"], "dashboard"))
        for var in board.get("templating", {}).get("list", []):
            query = var.get("query")
            query = query.get("query") if isinstance(query, dict) else query
            m = re.fullmatch(r"label_values\((.+),\s*\w+\)", query or "")
            if m:
                out.append(Expression(f"{path.name}: variable ${var['name']}", m.group(1), "dashboard"))
    return out


def rule_files() -> list[Path]:
    config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    return [PROMETHEUS_DIR / name for name in config["rule_files"]]


def rule_expressions() -> list[Expression]:
    out = []
    for path in rule_files():
        for group in yaml.safe_load(path.read_text())["groups"]:
            for rule in group["rules"]:
                name = rule.get("record") or rule["alert"]
                kind = "record" if "record" in rule else "alert"
                out.append(Expression(f"{path.name}: {name}", rule["expr"], kind, rule.get("record")))
    return out


def recorded_names() -> set[str]:
    return {e.record for e in rule_expressions() if e.record}


def worker_metric_names() -> dict[str, set[str]]:
    """Family -> exposed sample names, for the scorer's metrics and Faust's sensors ("faust_")."""
    registry = CollectorRegistry()
    Metrics.create(registry)
    FaustMetrics.create(registry, "faust")
    suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum")}
    return {
        fam.name: {fam.name + s for s in suffixes.get(fam.type, ("",))}
        for fam in registry.collect()
    }


# ---- docker compose ----------------------------------------------------------------------

_VAR = re.compile(r"\$(?:\$|\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|(?P<bare>\w+))")


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """Compose's variable syntax: $$, ${V}, ${V:-default}, ${V-default}, ${V:?error}, ${V?error}."""

    def sub(m: re.Match[str]) -> str:
        if m.group() == "$$":
            return "$"
        name = m.group("name") or m.group("bare")
        op, arg = m.group("op"), m.group("arg") or ""
        value = env.get(name)
        unset = value is None or (op is not None and op.startswith(":") and value == "")
        if op in ("-", ":-") and unset:
            return arg
        if op in ("?", ":?") and unset:
            raise KeyError(f"{name}: {arg}")
        return value or ""

    return _VAR.sub(sub, text)


def compose_variables() -> dict[str, tuple[str, str]]:
    """Every variable the compose file reads: name -> (operator, argument)."""
    return {
        m.group("name") or m.group("bare"): (m.group("op") or "", m.group("arg") or "")
        for m in _VAR.finditer(COMPOSE_FILE.read_text())
        if m.group() != "$$"
    }


def required_variables() -> set[str]:
    return {name for name, (op, _) in compose_variables().items() if op.endswith("?")}


def _walk(node: object, env: Mapping[str, str]) -> object:
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, list):
        return [_walk(v, env) for v in node]
    if isinstance(node, dict):
        return {k: _walk(v, env) for k, v in node.items()}
    return node


def compose(env: Mapping[str, str] | None = None) -> dict:
    """The compose file as Compose sees it (values interpolated after parsing), with the
    required variables set to placeholders and the others at their defaults."""
    env = {name: f"placeholder-{name.lower()}" for name in required_variables()} | dict(env or {})
    return _walk(raw_compose(), env)  # type: ignore[return-value]


def raw_compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


# ---- Dockerfile ----------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    lines = [ln for ln in DOCKERFILE.read_text().splitlines() if not ln.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    return [
        (parts[0].upper(), parts[1] if len(parts) > 1 else "")
        for ln in joined.splitlines()
        if (parts := ln.strip().split(None, 1))
    ]


def dockerfile_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for instr, args in dockerfile_instructions():
        if instr == "ENV":
            env.update(dict(re.findall(r"(\w+)=(\S+)", args)))
    return env


# ---- tools ---------------------------------------------------------------------------------


def tool(name: str) -> str:
    """Path of a Prometheus binary; skipped on a developer machine without it, failed in CI."""
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    if found:
        return found
    message = f"{name} not found: apt-get install -y prometheus"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
