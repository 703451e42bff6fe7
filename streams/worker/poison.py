"""Handle a batch so that no single event can stall its partitions.

A batch is retried until it succeeds while the failure is an outage of Redis or
the broker (`streams.worker.health`): its events are fine, the service will be back.
Any other failure that persists over `attempts` tries is taken to be caused by
an event of the batch: the batch is split in halves, handled in order (each
partition's offsets stay increasing), and a single event that still fails is
given to `reject`, which dead-letters it. Every other event is handled as usual.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from streams.worker.health import DEPENDENCIES, Health

log = logging.getLogger(__name__)

T = TypeVar("T")
STOP_CHECK_S = 0.5  # how often a pause between retries looks whether the agent is being stopped



@dataclass(frozen=True, slots=True)
class Backoff:
    """Pauses between attempts: `first_s`, doubling up to `max_s`."""

    first_s: float = 0.5
    max_s: float = 30.0


@dataclass(frozen=True, slots=True)
class Retrier:
    """Retries what failed: through outages without limit, reporting them to `health`."""

    health: Health
    on_retry: Callable[[Exception, float], None]  # called before each pause: log and count
    backoff: Backoff = Backoff()
    needs: tuple[str, ...] = DEPENDENCIES  # what a success shows to be reachable
    stopping: Callable[[], bool] = lambda: False  # whether the agent retrying is being stopped

    async def until_done(self, action: Callable[[], Awaitable[None]]) -> None:
        """Run `action` until it succeeds, whatever the failure.

        For what must not be skipped and cannot be split: a failed batch would let Faust commit
        the offsets of the batches after it. Retrying is safe because a batch's effects are
        idempotent (the offsets in the states, deterministic escalation ids).
        """
        await self.attempt(action, 0)

    async def attempt(self, action: Callable[[], Awaitable[None]], attempts: int) -> Exception | None:
        """Run `action` until it succeeds (None) or fails `attempts` times otherwise than by an
        outage (the last failure; 0: no limit). Cancellation, or a failure once the agent is
        being stopped, ends the attempts (CancelledError): the batch stays uncommitted."""
        delay, failures = self.backoff.first_s, 0
        while True:
            try:
                await action()
            except Exception as exc:  # noqa: BLE001 - sorted below: an outage is waited out, a poison isolated
                if self.health.failed(exc) is None:
                    failures += 1
                    if failures == attempts:
                        return exc
                self._end_if_stopping(exc)
                self.on_retry(exc, delay)
                await self._pause(delay, exc)
                delay = min(delay * 2, self.backoff.max_s)
            else:
                self.health.ok(*self.needs)
                return None

    def _end_if_stopping(self, exc: Exception) -> None:
        if self.stopping():  # the batch is left uncommitted, to be redone after a restart
            raise asyncio.CancelledError(f"agent stopping; batch not done: {exc!r}") from exc

    async def _pause(self, delay: float, exc: Exception) -> None:
        """Sleep `delay` seconds, ending early (CancelledError) once the agent is being stopped."""
        end = asyncio.get_running_loop().time() + delay
        while (left := end - asyncio.get_running_loop().time()) > 0:
            await asyncio.sleep(min(left, STOP_CHECK_S))
            self._end_if_stopping(exc)

    async def settle(self, batch: list[T], handle: Callable[[list[T]], Awaitable[None]],
                     reject: Callable[[T, Exception], Awaitable[None]], attempts: int) -> None:
        """Handle `batch`, isolating and rejecting the events it fails on (see the module's doc)."""
        failure = await self.attempt(functools.partial(handle, batch), attempts)
        if failure is not None:
            await self._isolate(batch, handle, reject, failure)

    async def _isolate(self, batch: list[T], handle: Callable[[list[T]], Awaitable[None]],
                       reject: Callable[[T, Exception], Awaitable[None]], failure: Exception) -> None:
        if len(batch) == 1:
            await reject(batch[0], failure)
            return
        log.warning("batch of %d events keeps failing (%r): handling it in halves", len(batch), failure)
        middle = len(batch) // 2
        for part in (batch[:middle], batch[middle:]):
            # One try each: the whole batch already failed over its attempts.
            failed = await self.attempt(functools.partial(handle, part), 1)
            if failed is not None:
                await self._isolate(part, handle, reject, failed)
