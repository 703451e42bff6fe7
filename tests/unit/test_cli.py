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


def test_classify_runs_without_faust_and_names_the_bad_line() -> None:
    import json
    import subprocess
    import sys

    lines = [json.dumps({"id": "1", "kind": "message", "text": "pay me via paypal"}), "{bad",
             json.dumps({"id": "3", "kind": "message", "text": "hi"})]
    done = subprocess.run([sys.executable, "-m", "streams", "classify", "--jobs", "1"], input="\n".join(lines),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "line 2: not JSON" in done.stderr
    (first,) = [json.loads(x) for x in done.stdout.splitlines()]
    assert first["labels"] == ["off_platform_payment"] and first["model_version"]
    assert "faust" not in done.stderr.lower()
