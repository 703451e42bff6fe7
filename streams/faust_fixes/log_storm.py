"""aiokafka's repeated errors, one line per message a while.

Works around: aiokafka logs each failed reconnect, fetch, metadata update and coordinator lookup
at ERROR, on every retry: while a broker is down or refuses the worker's login that is ~100 lines
a second, which buries the worker's own account of the outage and fills disks. Each message
(its logger and format string) of an `aiokafka` logger at WARNING or above is let through once
per `every_s`, the next one saying how many were held back meanwhile.

Still needed? Run a worker, stop its broker (or revoke its SASL user) for a minute and count the
lines aiokafka logs: if it backs off by itself (a few lines a minute), drop this.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

EVERY_S = 10.0


class OncePerWhile(logging.Filter):
    """Lets each (logger, format string) through once per `every_s` from WARNING up."""

    def __init__(self, every_s: float = EVERY_S, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.every_s = every_s
        self.clock = clock
        self.seen: dict[tuple[str, str], list[float]] = {}  # -> [last let through, held since]

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        key = (record.name, str(record.msg))  # format strings: a bounded set
        now = self.clock()
        seen = self.seen.get(key)
        if seen is not None and now - seen[0] < self.every_s:
            seen[1] += 1
            return False
        if seen is not None and seen[1]:
            record.msg = f"{record.msg} [{int(seen[1])} more like this in the last {self.every_s:.0f} s not logged]"
        self.seen[key] = [now, 0]
        return True


def quieten(every_s: float = EVERY_S) -> OncePerWhile:
    """The filter on every aiokafka logger made so far (aiokafka makes them at import)."""
    import aiokafka.consumer.fetcher  # noqa: F401  (the loggers exist once their modules are imported)
    import aiokafka.producer.sender  # noqa: F401

    once = OncePerWhile(every_s)
    names = [n for n in list(logging.root.manager.loggerDict) if n == "aiokafka" or n.startswith("aiokafka.")]
    for name in names:
        logger = logging.getLogger(name)
        for old in [f for f in logger.filters if isinstance(f, OncePerWhile)]:
            logger.removeFilter(old)
        logger.addFilter(once)
    return once
