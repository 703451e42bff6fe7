"""The aiokafka producer under Faust's, for sending record batches and asking for metadata.

Works around: Faust's producer sends one record at a time through its own buffer (~90 us each,
and a consumer commit does not wait for that buffer to drain), and has no metadata request. The
worker sends its outputs and changelog records as record batches (`send_batch`) on the aiokafka
producer Faust holds, and probes the broker with a metadata request on its connection; Faust
exposes that producer only through the private `_ensure_producer`.

Still needed? `faust/transport/drivers/aiokafka.py`, `Producer`: while the aiokafka producer is
reachable only through `_ensure_producer` (or `_producer`), yes; if Faust grows a public accessor
or batch sends, use that.
"""

from __future__ import annotations

import faust
from aiokafka import AIOKafkaProducer


def aiokafka_producer(app: faust.App) -> AIOKafkaProducer:
    """`app`'s aiokafka producer (raises Faust's `NotReady` before the app's producer started)."""
    producer: AIOKafkaProducer = app.producer._ensure_producer()  # type: ignore[attr-defined]
    return producer


async def broker_metadata(app: faust.App) -> None:
    """A metadata request on the producer's connection: cheap, and answered by any broker."""
    await aiokafka_producer(app).client.fetch_all_metadata()
