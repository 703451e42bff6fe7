"""The worker consumer's fetch wait, from the settings instead of Faust's fixed 1500 ms.

Works around: faust-streaming 0.15.3 creates its worker consumer with `fetch_max_wait_ms=1500`
and no setting for it. The broker holds an empty fetch that long, which sets the end-to-end
latency floor (p50 ~1.35 s measured) whatever the batch window. `set_fetch_wait` replaces the
value on the aiokafka consumer Faust creates, before it starts, with `RISKSCORER_FETCH_WAIT_MS`.

Still needed? `grep -n fetch_max_wait_ms faust/transport/drivers/aiokafka.py` in the installed
Faust: while `_create_worker_consumer` passes a constant, yes. Once Faust reads it from a setting,
map `RISKSCORER_FETCH_WAIT_MS` onto that setting in `streams.worker.app` and delete this module.
"""

from __future__ import annotations

from typing import Any

from faust.transport.drivers import aiokafka as faust_aiokafka

_original_create = faust_aiokafka.AIOKafkaConsumerThread._create_worker_consumer


def set_fetch_wait(wait_ms: int) -> None:
    def create_worker_consumer(self: Any, transport: Any) -> Any:
        consumer = _original_create(self, transport)
        consumer._fetch_max_wait_ms = wait_ms
        return consumer

    faust_aiokafka.AIOKafkaConsumerThread._create_worker_consumer = create_worker_consumer  # type: ignore[method-assign]
