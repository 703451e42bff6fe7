"""Faust's Prometheus sensor, without the per-event work nothing here reads.

Faust's `PrometheusMonitor` runs on every message and every stream event:
counters of events per stream (its label rebuilt from the stream's name each
time), active messages and events, per-partition read offsets, an events
runtime histogram, and a `labels()` lookup for each. The dashboards and alerts
use Faust's per-topic received counter, the partition end and committed
offsets, commit and send latency, error and rebalance counts. This monitor
keeps those (the per-message ones through cached label children, the end
offset only when it moves), and the time of each partition's last event that
Faust's stall check reads; it skips the rest, whose families stay registered,
at zero. It reads the installed monitor's metric families through its private `_metrics`.

Still needed? While Faust's `PrometheusMonitor.on_stream_event_in`/`out` and `on_message_out`
do per-event label lookups, yes: compare `bench/throughput.py` with and without
`LeanPrometheusMonitor.replacing` in `streams.worker.app` (BENCHMARKS.md has the last run).
`tests/unit/test_sensors.py` fails if the monitor's constructor or `_metrics` change.
"""

from __future__ import annotations

from time import monotonic
from typing import Any

from faust.sensors.prometheus import PrometheusMonitor
from faust.types import TP


class LeanPrometheusMonitor(PrometheusMonitor):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._received: dict[str, Any] = {}
        self._ends: dict[TP, int] = {}

    @classmethod
    def replacing(cls, monitor: Any) -> LeanPrometheusMonitor:
        """A lean monitor over the metrics of the one `setup_prometheus_sensors` installed."""
        if not isinstance(monitor, PrometheusMonitor):
            raise TypeError(f"expected Faust's PrometheusMonitor, got {type(monitor).__name__}")
        return cls(metrics=monitor._metrics)

    def on_message_in(self, tp: TP, offset: int, message: Any) -> None:
        child = self._received.get(tp.topic)
        if child is None:
            child = self._received[tp.topic] = self._metrics.messages_received_per_topics.labels(topic=tp.topic)
        child.inc()

    def on_stream_event_in(self, tp: TP, offset: int, stream: Any, event: Any) -> None:
        # Faust's own stall check (`verify_event_path`) reads when each partition last had an event.
        self.stream_inbound_time[tp] = monotonic()

    def on_stream_event_out(self, tp: TP, offset: int, stream: Any, event: Any, state: Any = None) -> None:
        return None

    def on_message_out(self, tp: TP, offset: int, message: Any) -> None:
        return None

    def track_tp_end_offset(self, tp: TP, offset: int) -> None:
        if self._ends.get(tp) != offset:
            self._ends[tp] = offset
            super().track_tp_end_offset(tp, offset)
