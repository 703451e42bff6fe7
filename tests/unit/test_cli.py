"""The worker's set-up runs whatever global options precede the command."""

import pytest

from streams.commands.cli import command_of


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
    first, bad, third = [json.loads(x) for x in done.stdout.splitlines()]
    assert first["labels"] == ["off_platform_payment"] and first["model_version"]
    assert bad["line"] == 2 and bad["error"].startswith("not JSON") and third["id"] == "3"
    assert "faust" not in done.stderr.lower()


HELP = """
import sys
from streams.commands import admin, cli, embedded

def refuse(*args, **kwargs):
    raise AssertionError("--help started a service")

embedded.start = refuse
admin.ensure_topics = refuse
for command in sys.argv[1:]:
    argv = [command, "--help"] if command else ["--help"]
    try:
        cli.main(argv)
    except SystemExit as exc:
        assert exc.code in (0, None), (argv, exc.code)
    else:
        raise AssertionError(f"{argv} went on after its help")
"""
COMMANDS = ["", "worker", "demo", "simulate", "backtest", "train-text", "publish-rules", "reinstate-rule",
            "create-topics", "classify", "send", "tables", "agents"]


def test_help_of_every_command_starts_nothing_and_writes_nothing(tmp_path) -> None:
    import subprocess
    import sys

    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("RISKSCORER_")}
    done = subprocess.run([sys.executable, "-c", HELP, *COMMANDS], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    for command in COMMANDS[1:]:
        assert f"riskscorer {command} [OPTIONS]" in done.stdout or f"usage: riskscorer {command}" in done.stdout
    assert "embedded services" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_version_is_the_projects() -> None:
    import subprocess
    import sys
    from importlib import metadata

    done = subprocess.run([sys.executable, "-m", "streams", "--version"], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == f"riskscorer {metadata.version('riskscorer')}"
    assert "faust" not in done.stdout.lower()


def test_a_recorded_file_with_a_line_that_is_not_an_event_stops_the_backtest_naming_it(tmp_path) -> None:
    import subprocess
    import sys

    import pytest

    from streams.batch.recorded import RecordingError, read_jsonl

    good = '{"topic":"messages","key":"a","value":{"ts":1}}'
    cases = {"not JSON": "not json", "expected a JSON object": "[1]",
             "'topic' must be one of": '{"topic":"nope","key":"a","value":{}}',
             "'key' must be a string": '{"topic":"messages","key":1,"value":{}}',
             "expected 'value'": '{"topic":"messages","key":"a"}',
             "'raw_b64' is not base64": '{"topic":"messages","key":"a","raw_b64":"%%%"}',
             "'ts' must be an integer": '{"topic":"messages","key":"a","value":{"ts":"soon"}}'}
    path = tmp_path / "events.jsonl"
    for expected, bad in cases.items():
        path.write_text(f"{good}\n\n{bad}\n")
        with pytest.raises(RecordingError, match=f"{path}:3: {expected}"):
            list(read_jsonl(path))
    done = subprocess.run([sys.executable, "-m", "streams", "backtest", str(path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode != 0 and f"{path}:3: 'ts' must be an integer" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("argv", [["simulate", "--accounts", "5", "--days", "0.1"], ["create-topics"]])
def test_a_command_writing_to_the_broker_without_one_named_stops_with_one_line(argv: list[str]) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "RISKSCORER_BROKER_URL"}
    done = subprocess.run([sys.executable, "-m", "streams", *argv], capture_output=True, text=True, timeout=120,
                          env=env)
    assert done.returncode != 0
    assert "RISKSCORER_BROKER_URL is not set" in done.stderr and "Traceback" not in done.stderr
