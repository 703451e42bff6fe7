"""The worker's set-up runs whatever global options precede the command."""

import pytest

from streams.cli import command_of


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["worker", "-l", "info"], "worker"),
        (["--loop", "uvloop", "worker", "-l", "warn"], "worker"),
        (["-L", "aio", "-l", "info", "demo", "--rate", "0"], "demo"),
        (["--debug", "backtest", "events.jsonl"], "backtest"),
        (["--help"], None),
    ],
)
def test_command_of(argv: list[str], command: str | None) -> None:
    assert command_of(argv) == command
