"""The lean Faust sensor keeps the series the dashboards read and skips per-event bookkeeping."""

from types import SimpleNamespace

import pytest
from faust.sensors.monitor import Monitor
from faust.sensors.prometheus import FaustMetrics, PrometheusMonitor
from faust.types import TP
from prometheus_client import CollectorRegistry

from streams.faust_fixes.sensors import LeanPrometheusMonitor


def monitor() -> tuple[LeanPrometheusMonitor, CollectorRegistry]:
    registry = CollectorRegistry()
    return LeanPrometheusMonitor.replacing(PrometheusMonitor(metrics=FaustMetrics.create(registry, "faust"))), registry


def test_received_per_topic_and_end_offsets_are_kept():
    lean, registry = monitor()
    tp = TP("marketplace.messages", 1)
    for offset in range(3):
        lean.on_message_in(tp, offset, SimpleNamespace())
    lean.track_tp_end_offset(tp, 10)
    lean.track_tp_end_offset(tp, 10)
    lean.track_tp_end_offset(tp, 12)
    got = registry.get_sample_value
    assert got("faust_messages_received_per_topic_total", {"topic": "marketplace.messages"}) == 3
    assert got("faust_topic_partition_end_offset", {"topic": "marketplace.messages", "partition": "1"}) == 12


def test_per_event_stream_bookkeeping_is_skipped():
    lean, registry = monitor()
    tp = TP("marketplace.messages", 0)
    assert lean.on_stream_event_in(tp, 0, SimpleNamespace(), SimpleNamespace()) is None
    lean.on_stream_event_out(tp, 0, SimpleNamespace(), SimpleNamespace())
    lean.on_message_out(tp, 0, SimpleNamespace())
    assert registry.get_sample_value("faust_total_events_total") in (None, 0.0)
    assert tp in lean.stream_inbound_time  # Faust's stall check still sees the partition move


def test_only_faust_prometheus_monitor_is_replaced():
    with pytest.raises(TypeError, match="PrometheusMonitor"):
        LeanPrometheusMonitor.replacing(Monitor())
