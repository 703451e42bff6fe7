"""A failed batch is retried until it succeeds, never skipped; a stopping worker still stops."""

from __future__ import annotations

import asyncio

import pytest

from streams.agents.score import until_done


def test_a_failing_batch_is_retried_with_growing_delays_until_it_succeeds():
    attempts: list[int] = []
    delays: list[float] = []

    async def flaky() -> None:
        attempts.append(1)
        if len(attempts) < 4:
            raise ConnectionError("redis unreachable")

    asyncio.run(until_done(flaky, lambda exc, delay: delays.append(delay), first_s=0.001, max_s=0.003))
    assert len(attempts) == 4
    assert delays == [0.001, 0.002, 0.003]


def test_cancellation_is_not_retried():
    async def main() -> None:
        started = asyncio.Event()

        async def slow() -> None:
            started.set()
            await asyncio.sleep(10)

        task = asyncio.create_task(until_done(slow, lambda exc, delay: None))
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
