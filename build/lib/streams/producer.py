"""Send simulated or recorded events to the input topics with a plain aiokafka producer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

from aiokafka import AIOKafkaProducer

from streams import security
from streams.recorded import RecordedEvent
from streams.settings import Settings


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
    topics = settings.input_topics
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.broker_hosts, linger_ms=5, max_batch_size=262144, acks="all",
        **security.aiokafka_options(settings),
    )
    await producer.start()
    sent, started = 0, asyncio.get_running_loop().time()
    if rate:
        chunk = max(1, min(chunk, int(rate / 10)))
    try:
        pending = []
        for event in events:
            pending.append(
                await producer.send(topics[event.kind], event.payload(), key=event.key.encode())
            )
            if len(pending) >= chunk:
                await asyncio.gather(*pending)
                sent += len(pending)
                pending.clear()
                if progress:
                    progress(sent)
                if rate:
                    ahead = sent / rate - (asyncio.get_running_loop().time() - started)
                    if ahead > 0:
                        await asyncio.sleep(ahead)
        await asyncio.gather(*pending)
        sent += len(pending)
    finally:
        await producer.stop()
    if progress:
        progress(sent)
    return sent
