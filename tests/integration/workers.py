"""Start and watch real `riskscorer worker` processes for the integration tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from streams.commands.embedded import free_port

TOPIC_KINDS = ("messages", "proposals", "feedback", "accounts", "contracts")


def scorer_env(broker_url: str, redis_url: str, tmp: Path, **extra: str) -> dict[str, str]:
    """Settings for one test: fresh uuid-named topics and consumer group."""
    run = uuid.uuid4().hex[:10]
    env = {k: v for k, v in os.environ.items() if not k.startswith("RISKSCORER_")}
    env.update(
        {
            "RISKSCORER_BROKER_URL": broker_url,
            "RISKSCORER_REDIS_URL": redis_url,
            "RISKSCORER_APP_ID": f"riskscorer-test-{run}",
            "RISKSCORER_SESSION_TIMEOUT_S": "6",
            "RISKSCORER_PARTITIONS": "2",
            "RISKSCORER_TOPIC_ESCALATIONS": f"t-{run}.escalations",
            "RISKSCORER_TOPIC_DEADLETTER": f"t-{run}.deadletter",
            "RISKSCORER_TOPIC_SUBJECTS": f"t-{run}.subjects",
            "RISKSCORER_TOPIC_SHADOW": f"t-{run}.shadow",
            "RISKSCORER_TOPIC_DECISIONS": f"t-{run}.decisions",
            **{f"RISKSCORER_TOPIC_{k.upper()}": f"t-{run}.{k}" for k in TOPIC_KINDS},
        }
    )
    env.update(extra)
    return env


def _running(pid: int) -> bool:
    """Whether `pid` is a live process (not gone, not a zombie)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@dataclass
class Worker:
    env: dict[str, str]
    tmp: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    args: tuple[str, ...] = ("-l", "info")
    loop: str = "aio"  # Faust's event loop option, given before the command
    orphans: list[int] = field(default_factory=list)  # children left running after `stop`

    def start(self) -> Worker:
        env = {
            **self.env,
            "RISKSCORER_WEB_PORT": str(self.port),
            "RISKSCORER_DATA_DIR": str(self.tmp / f"data-{self.port}"),
        }
        self.log = (self.tmp / f"worker-{self.port}.log").open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streams", "--loop", self.loop, "worker", *self.args],
            env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        return self

    def scrape(self) -> str | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=2) as r:
                return str(r.read().decode())
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def metrics(self) -> dict[str, float]:
        """Sums of the scorer's counters by name and by their outcome, reason, why or found label."""
        text = self.scrape() or ""
        out: dict[str, float] = {}
        for family in text_string_to_metric_families(text):
            for s in family.samples:
                if s.name.startswith("riskscorer_") and s.name.endswith("_total"):
                    label = next((s.labels[k] for k in ("outcome", "reason", "why", "found") if k in s.labels), "")
                    key = f"{s.name}:{label}"
                    out[key] = out.get(key, 0.0) + s.value
                    if "topic" in s.labels:
                        by_topic = f"{s.name}:{s.labels['topic']}:{label}"
                        out[by_topic] = out.get(by_topic, 0.0) + s.value
                    out[s.name] = out.get(s.name, 0.0) + s.value
        return out

    def wait_ready(self, timeout: float = 60.0) -> Worker:
        """Wait until the worker serves /metrics, which it does once its topics exist."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None and self.proc.poll() is None, self.log_text()
            if self.scrape() is not None:
                return self
            time.sleep(0.2)
        raise AssertionError(f"worker not ready in {timeout}s\n{self.log_text()}")

    def processed(self) -> int:
        m = self.metrics()
        return int(m.get("riskscorer_events_total:scored", 0)
                   + m.get("riskscorer_events_total:dead_letter", 0))

    def wait_processed(self, n: int, timeout: float = 90.0) -> dict[str, float]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None and self.proc.poll() is None, self.log_text()
            if self.processed() >= n:
                return self.metrics()
            time.sleep(0.3)
        raise AssertionError(f"processed {self.processed()} of {n}\n{self.metrics()}\n{self.log_text()}")

    def log_text(self) -> str:
        self.log.flush()
        return (self.tmp / f"worker-{self.port}.log").read_text(errors="replace")[-4000:]

    def children(self) -> list[int]:
        """Pids of the worker's child processes (its scoring processes)."""
        if self.proc is None or self.proc.poll() is not None:
            return []
        try:
            return [int(p) for p in Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()]
        except OSError:
            return []

    def scoring_processes(self) -> list[int]:
        """Pids of the worker's scoring processes (not multiprocessing's resource tracker)."""
        out = []
        for pid in self.children():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"spawn_main" in cmdline:
                out.append(pid)
        return out

    def stop(self, sig: int = signal.SIGTERM) -> int:
        """Stop the worker; its children must end with it (left ones are killed, in `orphans`)."""
        if self.proc is None:
            return 0
        children = self.children()
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        deadline = time.monotonic() + 10
        while (left := [p for p in children if _running(p)]) and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        self.orphans = left
        self.log.close()
        return self.proc.returncode
