"""Dashboards and rules against the metrics the worker exports (streams/worker/metrics.py and Faust's
sensors, prefix "faust"): every scorer metric is on a dashboard, and every metric a dashboard
or rule names exists, is recorded by a rule, or is listed in PENDING."""

from __future__ import annotations

import json

import pytest

from tests.deploy import artifacts as a
from tests.deploy.promql import metric_names, selectors

EXPORTED = a.worker_metric_names()
EXPOSED_NAMES = {n for names in EXPORTED.values() for n in names} | {"up"}


def _dashboard_names() -> set[str]:
    return {n for e in a.dashboard_expressions() for n in metric_names(e.expr)}


def test_every_scorer_metric_is_on_a_dashboard():
    on_dashboards = _dashboard_names()
    scorer = {fam: names for fam, names in EXPORTED.items() if fam.startswith("riskscorer_")}
    assert len(scorer) >= 8
    missing = sorted(fam for fam, names in scorer.items() if not names & on_dashboards)
    assert not missing, f"riskscorer metrics on no dashboard: {missing}"


@pytest.mark.parametrize(
    "expression", a.dashboard_expressions() + a.rule_expressions(), ids=lambda e: e.where
)
def test_every_named_metric_exists(expression):
    names = metric_names(expression.expr)
    assert names, f"{expression.where}: no metric in {expression.expr!r}"
    unknown = names - EXPOSED_NAMES - a.recorded_names() - set(a.PENDING)
    assert not unknown, f"{expression.where}: unknown metrics {sorted(unknown)}"


def test_pending_metrics_are_not_exported_yet():
    # Once one is exported, it is checked like the others: take it out of PENDING.
    assert not set(a.PENDING) & EXPOSED_NAMES, "exported now, remove from PENDING"
    used = {n for e in a.dashboard_expressions() + a.rule_expressions() for n in metric_names(e.expr)}
    assert set(a.PENDING) <= used, "PENDING lists a metric nothing refers to"


def test_unobserved_metrics_are_exported():
    assert set(a.UNOBSERVED) <= EXPOSED_NAMES


def test_pending_rule_files_use_only_pending_metrics():
    for e in a.rule_expressions():
        if e.where.split(": ")[0] in a.PENDING_RULE_FILES:
            assert metric_names(e.expr) <= set(a.PENDING), e.where


def test_dashboard_selectors_are_scoped_to_the_job():
    for e in a.dashboard_expressions():
        for s in selectors(e.expr):
            if s.name not in a.PENDING and not e.where.endswith("variable $job"):
                assert 'job="$job"' in s.matchers, f"{e.where}: {s.text} has no job matcher"


def test_dashboards_are_well_formed():
    uids = set()
    for path in a.dashboard_files():
        board = json.loads(path.read_text())
        assert board["uid"] not in uids
        uids.add(board["uid"])
        ids = [p["id"] for p in board["panels"]]
        assert len(ids) == len(set(ids)), f"{path.name}: duplicate panel ids"
        for panel in board["panels"]:
            assert panel["title"], path.name
            if panel["type"] != "row":
                assert panel.get("targets") and panel.get("description"), panel["title"]
        for e in a.dashboard_expressions():
            leftover = e.expr
            for var in [*a.GRAFANA_VARIABLES, "$job"]:
                leftover = leftover.replace(var, "")
            assert "$" not in leftover, f"{e.where}: unknown variable in {e.expr!r}"
