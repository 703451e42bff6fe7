"""The embedded broker and Redis end with the process that started them, however it ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from streams.commands import embedded

ROOT = Path(__file__).resolve().parents[2]

STARTER = """
import sys, time
from streams.commands import embedded
services = embedded.start(True, True)
print(services.broker.proc.pid, services.redis.proc.pid, flush=True)
time.sleep(120)
"""


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return False
    return fields[0] != "Z"


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(map(_running, pids)):
        time.sleep(0.1)
    return [pid for pid in pids if _running(pid)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_a_starter_killed_with_sigkill_leaves_no_broker_or_redis_running() -> None:
    starter = subprocess.Popen([sys.executable, "-c", STARTER], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert starter.stdout is not None
        pids = [int(p) for p in starter.stdout.readline().split()]
        assert len(pids) == 2 and all(map(_running, pids))
        starter.send_signal(signal.SIGKILL)
        starter.wait(10)
        left = _gone_within(pids, 10)
    finally:
        starter.kill()
        starter.wait(10)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_services_started_from_another_thread_are_not_tied_to_it() -> None:
    """The signal follows the starting thread: a Redis restarted from a timer thread must outlive it."""
    import threading

    started: list[embedded.Service] = []
    thread = threading.Thread(target=lambda: started.append(embedded.start_redis()))
    thread.start()
    thread.join()
    try:
        assert _gone_within([started[0].proc.pid], 1.0) == [started[0].proc.pid]
    finally:
        started[0].stop()
