"""Workaround: faust-streaming 0.15.3 fixes the worker consumer's fetch wait at 1500 ms.

The broker holds an empty fetch that long, which sets the end-to-end latency
floor (p50 ~1.35 s measured) whatever the batch window. This replaces the
value on the aiokafka consumer Faust creates, before it starts, with the
`RISKSCORER_FETCH_WAIT_MS` setting. Remove when Faust exposes the setting.
"""

from __future__ import annotations

from typing import Any

from faust.transport.drivers import aiokafka as faust_aiokafka

_original = faust_aiokafka.AIOKafkaConsumerThread._create_worker_consumer


def set_fetch_wait(wait_ms: int) -> None:
    def create_worker_consumer(self: Any, transport: Any) -> Any:
        consumer = _original(self, transport)
        consumer._fetch_max_wait_ms = wait_ms
        return consumer

    faust_aiokafka.AIOKafkaConsumerThread._create_worker_consumer = create_worker_consumer  # type: ignore[method-assign]
