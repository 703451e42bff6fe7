"""A worker at log level warn or above logs without Faust's terminal spinner.

Works around: at log level warn or above, Faust's worker attaches a terminal spinner that turns
on every log message, and sets the root logger to DEBUG for it: every library's debug call
(aiokafka logs one per record sent) then builds a log record that is thrown away, ~5% of a busy
worker (BENCHMARKS.md). `no_spinner` keeps the root logger at the chosen level.

Still needed? `faust/worker.py`, `Worker._setup_spinner_handler`: while it calls
`logger.setLevel(logging.DEBUG)`, yes.
"""

from __future__ import annotations

from typing import Any

import faust.worker


def no_spinner() -> None:
    def setup_spinner_handler(self: Any, logger: Any, level: int) -> None:
        self.spinner = None

    faust.worker.Worker._setup_spinner_handler = setup_spinner_handler  # type: ignore[method-assign]
