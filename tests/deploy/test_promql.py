"""The selector reader the other deploy tests rely on."""

from __future__ import annotations

import pytest

from tests.deploy.promql import family, metric_names, selectors


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("up", ["up"]),
        ('up{job="riskscorer"} == 0', ['up{job="riskscorer"}']),
        (
            'sum by (topic, outcome) (rate(riskscorer_events_total{job="x"}[5m]))',
            ['riskscorer_events_total{job="x"}'],
        ),
        (
            "histogram_quantile(0.99, sum by (le) (rate(a_bucket[1m])))",
            ["a_bucket"],
        ),
        (
            "sum(rate(a[30m])) / on () group_left sum(rate(b{o=\"s\"}[30m])) > 3 * c offset 1d",
            ["a", 'b{o="s"}', "c"],
        ),
        ("sum(a) without (instance) and ignoring (x) b unless c", ["a", "b", "c"]),
        ("(sum(increase(x[2h])) or vector(0)) == 0", ["x"]),
        ("min by (rule) (p) < on (rule) max by (rule) (f)", ["p", "f"]),
        ('absent(up{job="riskscorer"})', ['up{job="riskscorer"}']),
        ("label_replace(a, \"dst\", \"$1\", \"src\", \"(.*)\")", ["a"]),
        ("topic:riskscorer_consumer_lag:sum > 1000", ["topic:riskscorer_consumer_lag:sum"]),
        ('{__name__="a"}', ['{__name__="a"}']),
    ],
)
def test_selectors(expr, expected):
    assert [s.text for s in selectors(expr)] == expected


def test_metric_names_skip_functions_keywords_and_label_lists():
    expr = "sum by (policy) (rate(esc[5m])) / on (policy) group_left (severity) sum(rate(ev[5m]))"
    assert metric_names(expr) == {"esc", "ev"}


@pytest.mark.parametrize(
    ("name", "fam"),
    [
        ("riskscorer_events_total", "riskscorer_events"),
        ("riskscorer_batch_seconds_bucket", "riskscorer_batch_seconds"),
        ("riskscorer_rules_info", "riskscorer_rules_info"),
        ("faust_total_rebalances", "faust_total_rebalances"),
    ],
)
def test_family(name, fam):
    assert family(name) == fam
