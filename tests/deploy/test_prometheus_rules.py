"""Prometheus config and rules through promtool: syntax, and the alerts' unit tests
(deploy/prometheus/tests/*_test.yml: each alert fires on its failure and not on healthy series)."""

from __future__ import annotations

import subprocess

import pytest
import yaml

from tests.deploy import artifacts as a

RULE_TESTS = sorted((a.PROMETHEUS_DIR / "tests").glob("*_test.yml"))


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [a.tool("promtool"), *args], capture_output=True, text=True, timeout=120, cwd=a.PROMETHEUS_DIR
    )


def test_config_is_valid():
    done = promtool("check", "config", "prometheus.yml")
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path", a.rule_files(), ids=lambda p: p.name)
def test_rules_are_valid(path):
    done = promtool("check", "rules", str(path))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path", RULE_TESTS, ids=lambda p: p.name)
def test_alert_unit_tests_pass(path):
    done = promtool("test", "rules", str(path))
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_alert_has_a_unit_test_and_a_runbook_entry():
    tested = set()
    for path in RULE_TESTS:
        for case in yaml.safe_load(path.read_text())["tests"]:
            tested |= {t["alertname"] for t in case.get("alert_rule_test", []) if t.get("exp_alerts")}
    alerts = {e.where.split(": ")[1] for e in a.rule_expressions() if e.kind == "alert"}
    assert alerts - tested == set(), "alerts never shown firing in a promtool test"
    operating = (a.ROOT / "docs" / "operating.md").read_text()
    missing = sorted(name for name in alerts if f"`{name}`" not in operating)
    assert not missing, f"alerts not explained in docs/operating.md: {missing}"


def test_promtool_catches_a_broken_rule(tmp_path):
    # The checks above can fail: a rule over a misspelt function is rejected.
    bad = tmp_path / "bad.yml"
    bad.write_text("groups:\n  - name: g\n    rules:\n      - record: x\n        expr: rat(up[5m])\n")
    assert promtool("check", "rules", str(bad)).returncode != 0
