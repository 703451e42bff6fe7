"""Send simulated or recorded events to the input topics with a plain aiokafka producer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import Any

from aiokafka import AIOKafkaProducer

from streams.batch.recorded import RecordedEvent
from streams.worker import security
from streams.worker.settings import Settings


async def send_events(
    settings: Settings,
    events: Iterable[RecordedEvent],
    progress: Callable[[int], None] | None = None,
    chunk: int = 2000,
    rate: float | None = None,
) -> int:
    """Send events keyed by their actor, in order; return how many were sent.

    With `rate`, at most that many events per second, as a live marketplace
    would send them, instead of one backlog.
    """
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.broker_hosts, linger_ms=5, max_batch_size=262144, acks="all",
        **security.aiokafka_options(settings),
    )
    await producer.start()
    if rate:
        chunk = max(1, min(chunk, int(rate / 10)))  # ten chunks a second
    try:
        sent = await _send_all(producer, settings.input_topics, events, progress, chunk, rate)
    finally:
        await producer.stop()
    if progress:
        progress(sent)
    return sent


async def _send_all(
    producer: AIOKafkaProducer, topics: dict[str, str], events: Iterable[RecordedEvent],
    progress: Callable[[int], None] | None, chunk: int, rate: float | None,
) -> int:
    """Send the events, waiting for the broker's acknowledgements every `chunk` of them."""
    sent, started = 0, asyncio.get_running_loop().time()
    pending: list[asyncio.Future[Any]] = []
    for event in events:
        pending.append(await producer.send(topics[event.kind], event.payload(), key=event.key.encode()))
        if len(pending) >= chunk:
            sent += await _acknowledged(pending)
            if progress:
                progress(sent)
            if rate:
                await _keep_pace(sent, rate, started)
    return sent + await _acknowledged(pending)


async def _acknowledged(pending: list[asyncio.Future[Any]]) -> int:
    """Wait for the records sent; how many there were (the list is emptied)."""
    await asyncio.gather(*pending)
    count = len(pending)
    pending.clear()
    return count


async def _keep_pace(sent: int, rate: float, started: float) -> None:
    """Sleep until `sent` events are due at `rate` events per second since `started`."""
    ahead = sent / rate - (asyncio.get_running_loop().time() - started)
    if ahead > 0:
        await asyncio.sleep(ahead)
