"""Which outside service a failure points at, and whether each is reachable now.

A failure of Redis or the broker is an outage to wait out: the worker keeps
retrying (consuming nothing new meanwhile) and resumes by itself. Any other
failure may be a poison event, which `streams.worker.poison` isolates. The state of
each dependency is exported as `riskscorer_dependency_up{dependency}` and
answers the readiness page (`streams.worker.web`).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable

from aiokafka.errors import KafkaError, KafkaTimeoutError
from prometheus_client import Gauge
from redis.exceptions import ClusterDownError, OutOfMemoryError, ReadOnlyError, RedisError, TryAgainError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from streams.faust_fixes.continuity import RefetchTimeout
from streams.worker.security import BrokerAuthError, check_login
from streams.worker.settings import Settings

log = logging.getLogger(__name__)

REDIS = "redis"
BROKER = "broker"
DEPENDENCIES = (REDIS, BROKER)


def dependency_of(exc: BaseException) -> str | None:
    """The dependency that `exc` says is unreachable, or None when it says nothing of the kind."""
    # Also a Redis out of memory, a replica promoted or a cluster resharding: nothing an event
    # did, so its batch waits rather than being split and dead-lettered.
    if isinstance(exc, RedisConnectionError | RedisTimeoutError | OutOfMemoryError | ReadOnlyError | TryAgainError
                  | ClusterDownError):
        return REDIS
    if isinstance(exc, KafkaTimeoutError | RefetchTimeout | BrokerAuthError):
        return BROKER
    if isinstance(exc, KafkaError) and exc.retriable:  # connection, leadership, request timeouts
        return BROKER
    return None


class Health:
    """Each dependency's last known state: up until a failure points at it, up again after a
    success that needed it."""

    def __init__(self, gauge: Gauge) -> None:
        self.gauge = gauge
        self.down: set[str] = set()
        self.why: dict[str, str] = {}  # each one's kind of failure: unreachable, or a refused login
        self.up_since = 0.0  # since when every dependency has been up again (monotonic seconds)
        for name in DEPENDENCIES:
            gauge.labels(name).set(1)

    def failed(self, exc: BaseException) -> str | None:
        """Record the dependency `exc` points at as down; return it (None: not an outage)."""
        name = dependency_of(exc)
        if name is not None:
            self.down_by(name, exc)
        return name

    def ok(self, *names: str) -> None:
        for name in names:
            if name in self.down:
                log.warning("%s reachable again: resuming", name)
                self.down.discard(name)
                self.gauge.labels(name).set(1)
                if not self.down:
                    self.up_since = time.monotonic()

    def probe(self, name: str, request: Callable[[], Awaitable[object]],
              timeout_s: float) -> Callable[[], Awaitable[None]]:
        """A timer's tick that asks `name` something cheap: an idle worker notices an outage too.
        Any failure or a wait past `timeout_s` marks it down; an answer, up."""

        async def probe_tick() -> None:
            try:
                await asyncio.wait_for(request(), timeout_s)
            except (KafkaError, RedisError, OSError, BrokerAuthError) as exc:  # TimeoutError is an OSError
                self.down_by(name, exc)
            else:
                self.ok(name)

        return probe_tick

    def down_by(self, name: str, exc: BaseException) -> None:
        """Record `name` down; said once, and again when the kind of failure changes (a broker
        unreachable, then refusing the login)."""
        refused = isinstance(exc, BrokerAuthError)
        kind = "refused" if refused else "unreachable"
        if name in self.down and self.why.get(name) == kind:
            return
        self.why[name] = kind
        if refused:
            log.error("%s: consuming nothing new, retrying until the login is accepted", exc)
        else:
            log.warning("%s unreachable (%r): consuming nothing new, retrying until it is back", name, exc)
        self.down.add(name)
        self.gauge.labels(name).set(0)

    def guarded(self, tick: Callable[[], Awaitable[None]], needs: str) -> Callable[[], Awaitable[None]]:
        """`tick` for a Faust timer, which ends the worker when it raises: an outage of `needs`
        (or another dependency) is recorded and the next tick tries again. Other failures still
        raise: they are bugs."""

        @functools.wraps(tick)  # Faust names the timer after it
        async def guarded_tick() -> None:
            try:
                await tick()
            except Exception as exc:
                if self.failed(exc) is None:
                    raise
            else:
                self.ok(needs)

        return guarded_tick

    @property
    def ready(self) -> bool:
        return not self.down


def broker_request(settings: Settings, request: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[None]]:
    """`request` to the broker, for the broker's probe; when it fails, whether the broker refuses
    the login (`BrokerAuthError`, naming the settings) rather than cannot be reached."""

    async def asked() -> None:
        try:
            await request()
        except (KafkaError, OSError):
            await check_login(settings)
            raise

    return asked
