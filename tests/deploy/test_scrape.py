"""A real Prometheus scraping a real worker on the real broker: every PromQL expression of the
dashboards and of the recording and alert rules returns data, so a renamed metric or label
breaks this test instead of a dashboard.

Prometheus is the system binary with the project's own rule files and scrape job
(deploy/prometheus/prometheus.yml, the worker's address in place of DNS discovery),
scraping and evaluating every second. Traffic: a fixed set of events that escalates
and dead-letters on every run, plus the simulator's when it is installed.

Known-pending, not silently skipped: expressions over the metrics in `artifacts.PENDING`
and `artifacts.UNOBSERVED` must evaluate without error and must still have no samples;
rule files in `artifacts.PENDING_RULE_FILES` are evaluated but not required to return
data. Reviewers' decisions on two of the escalations feed the reviewer loop's metrics.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from streams.commands.embedded import free_port
from streams.worker.settings import DEFAULT_RULES
from tests.deploy import artifacts as a
from tests.deploy.promql import family, selectors
from tests.integration.kafka_client import produce, read_all
from tests.integration.workers import Worker, scorer_env

pytestmark = pytest.mark.integration

JOB = "riskscorer"
T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z
SETTLE_S = 20.0  # for the last scrapes and rule evaluations after the traffic is processed


@dataclass
class Prometheus:
    url: str
    proc: subprocess.Popen[bytes]
    log: Path

    def query(self, expr: str) -> dict:
        qs = urllib.parse.urlencode({"query": expr})
        try:
            with urllib.request.urlopen(f"{self.url}/api/v1/query?{qs}", timeout=10) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as err:  # 400 on a bad expression: its body says why
            return json.loads(err.read())

    def series(self, expr: str) -> list[dict]:
        answer = self.query(expr)
        assert answer["status"] == "success", f"{expr!r}: {answer.get('error')}"
        return answer["data"]["result"]

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/-/ready", timeout=2) as r:
                return r.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False


def scrape_config(worker_port: int, data: Path) -> Path:
    """The deployed config, scraping the test worker every second."""
    deployed = yaml.safe_load((a.PROMETHEUS_DIR / "prometheus.yml").read_text())
    job = next(j for j in deployed["scrape_configs"] if j["job_name"] == JOB)
    job = {k: v for k, v in job.items() if not k.endswith("_sd_configs")}
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(a.PROMETHEUS_DIR / name) for name in deployed["rule_files"]],
        "scrape_configs": [{**job, "static_configs": [{"targets": [f"127.0.0.1:{worker_port}"]}]}],
    }
    path = data / "prometheus.yml"
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.fixture
def worker(services, tmp_path) -> Iterator[Worker]:
    # The fan-out and poor-record rules run in shadow mode here, so shadow-hit and shadow-withdrawal
    # series exist to be queried.
    rules = tmp_path / "rules.toml"
    rules.write_text(
        DEFAULT_RULES.read_text()
        .replace("[detectors.first_message_fanout]\n", '[detectors.first_message_fanout]\nmode = "shadow"\n')
        .replace("[detectors.low_quality]\n", '[detectors.low_quality]\nmode = "shadow"\n')
    )
    env = scorer_env(services.broker_url, services.redis_url, tmp_path,
                     RISKSCORER_RULES_FILE=str(rules))
    # Topics with the scorer's partition count before any producer can auto-create them.
    subprocess.run([sys.executable, "-m", "streams", "create-topics"], env=env, check=True,
                   capture_output=True, timeout=60)
    w = Worker(env, tmp_path)
    try:
        yield w.start().wait_ready()
    finally:
        w.stop()


@pytest.fixture
def prometheus(worker, tmp_path) -> Iterator[Prometheus]:
    binary = a.tool("prometheus")
    port = free_port()
    log = tmp_path / "prometheus.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                binary,
                f"--config.file={scrape_config(worker.port, tmp_path)}",
                f"--storage.tsdb.path={tmp_path / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{port}",
            ],
            stdout=out, stderr=subprocess.STDOUT,
        )
    prom = Prometheus(f"http://127.0.0.1:{port}", proc, log)
    try:
        deadline = time.monotonic() + 30
        while not prom.ready():
            assert proc.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "prometheus not ready in 30s"
            time.sleep(0.2)
        yield prom
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def simulate(env: dict[str, str], tmp: Path) -> int:
    """The simulator's traffic to the broker; 0 when the simulator is not installed."""
    if importlib.util.find_spec("streams.devtools.simulator") is None:
        return 0
    done = subprocess.run(
        [sys.executable, "-m", "streams", "simulate", "--accounts", "60", "--days", "1"],
        env={**env, "RISKSCORER_DATA_DIR": str(tmp / "sim-data")}, cwd=tmp,
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    sent = re.search(r"sent (\d+) events", done.stderr)
    assert sent, done.stderr[-3000:]
    return int(sent.group(1))


def fixed_events(topic: str) -> list[tuple[str, bytes, bytes]]:
    """A message burst (16 in a minute to one client: a spam escalation), a fan-out (first
    messages to 13 clients in an hour: a shadow hit) and two dead letters."""
    def msg(i: int, text: str, sender: str = "f-burst", to: str = "c-1", step: int = 2000) -> dict:
        return {"event_id": f"{sender}-m{i}", "ts": T0 + i * step, "room_id": f"{sender}:{to}",
                "sender_id": sender, "recipient_id": to, "text": text,
                "contract_stage": "pre_contract"}

    events = [(topic, b"f-burst", orjson.dumps(msg(i, "ok"))) for i in range(16)]
    events += [(topic, b"f-fan", orjson.dumps(msg(i, "Hello, is the job open?", "f-fan",
                                                  f"c-fan-{i}", 180_000))) for i in range(13)]
    events.append((topic, b"f-x", b'{"event_id": "x1", "ts": '))  # bad_json
    events.append((topic, b"someone-else", orjson.dumps(msg(99, "hi"))))  # key_mismatch
    return events


def poor_record_withdrawn(worker: Worker, broker: str) -> None:
    """Three one-star ratings of a freelancer (a poor record, in shadow mode), then one from before
    them read late: the finding is withdrawn on the shadow topic."""
    topic = worker.env["RISKSCORER_TOPIC_FEEDBACK"]

    def rating(i: int) -> tuple[str, bytes, bytes]:
        return (topic, f"c-q{i}".encode(), orjson.dumps({
            "event_id": f"fb-q{i}", "ts": T0 + i * 60_000, "kind": "rating", "contract_id": f"k-q{i}",
            "from_id": f"c-q{i}", "to_id": "f-q", "from_role": "client", "stars": 1, "comment": "poor"}))

    for batch in ([rating(i) for i in (2, 3, 4)], [rating(1)]):
        before = worker.metrics().get("riskscorer_events_total:scored", 0)
        produce(broker, batch)
        worker.wait_processed(int(before) + 2 * len(batch), timeout=60)  # each rating and its notice
    deadline = time.monotonic() + 60
    while worker.metrics().get("riskscorer_shadow_withdrawals_total", 0) < 1:
        assert time.monotonic() < deadline, "no shadow withdrawal"
        time.sleep(0.3)


def traffic(worker: Worker, broker: str, tmp: Path) -> None:
    """The fixed events, then the simulator's, a shadow finding withdrawn, then reviewers'
    decisions on two escalations."""
    items = fixed_events(worker.env["RISKSCORER_TOPIC_MESSAGES"])
    produce(broker, items)
    worker.wait_processed(len(items) + simulate(worker.env, tmp), timeout=120)
    poor_record_withdrawn(worker, broker)
    escalations = read_all(broker, worker.env["RISKSCORER_TOPIC_ESCALATIONS"], 2)
    decisions = [(worker.env["RISKSCORER_TOPIC_DECISIONS"], e["escalation_id"].encode(),
                  orjson.dumps({"escalation_id": e["escalation_id"], "decision": verdict, "reviewer": "r-1"}))
                 for e, verdict in zip(escalations, ("confirmed", "dismissed"), strict=False)]
    produce(broker, decisions)
    deadline = time.monotonic() + 60
    while worker.metrics().get("riskscorer_decisions_total", 0) < len(decisions):
        assert time.monotonic() < deadline, "decisions not applied"
        time.sleep(0.3)


def resolve(expr: str) -> str:
    for var, value in {**a.GRAFANA_VARIABLES, "$job": JOB}.items():
        expr = expr.replace(var, value)
    return expr


def pending_in(expr: str) -> set[str]:
    return {s.name for s in selectors(expr)} & a.known_pending()


def problems(prom: Prometheus) -> list[str]:
    """What does not return data, or returns data while listed as pending."""
    out = []
    for e in a.dashboard_expressions():
        expr = resolve(e.expr)
        result = prom.series(expr)
        pending = pending_in(expr)
        if pending:
            out += [f"{e.where}: {s.text} has samples: remove {s.name} from the pending lists"
                    for s in selectors(expr) if s.name in pending and prom.series(s.text)]
        elif not result:
            out.append(f"{e.where}: no data for {expr!r}")
    for e in a.rule_expressions():
        prom.series(e.expr)  # evaluates without error, firing or not
        if e.where.split(": ")[0] in a.PENDING_RULE_FILES:
            continue  # reviewer loop: no data expected yet (see the module docstring)
        for s in selectors(e.expr):
            if s.name not in a.known_pending() and not prom.series(s.text):
                out.append(f"{e.where}: no data for {s.text}")
        if e.record and not prom.series(e.record):
            out.append(f"{e.where}: recording rule produced nothing")
    return out


def test_every_dashboard_and_rule_expression_returns_data(services, worker, prometheus, tmp_path):
    traffic(worker, services.broker_url, tmp_path)
    processed = worker.processed()
    scraped = f'sum(riskscorer_events_total{{job="{JOB}", outcome=~"scored|dead_letter"}})'
    deadline = time.monotonic() + SETTLE_S
    found: list[str] = ["not checked"]
    while found and time.monotonic() < deadline:
        got = prometheus.series(scraped)
        if got and float(got[0]["value"][1]) >= processed:
            found = problems(prometheus)
        if found:
            time.sleep(1)
    assert not found, "\n".join(found) + "\n" + prometheus.log.read_text()[-2000:]

    # The live /metrics: each scorer metric family the worker serves is on a dashboard.
    on_dashboards = {family(s.name) for e in a.dashboard_expressions() for s in selectors(e.expr)}
    live = {family(f.name) for f in text_string_to_metric_families(worker.scrape() or "")}
    assert {"riskscorer_events", "riskscorer_escalations", "riskscorer_dead_letters"} <= live
    assert {f for f in live if f.startswith("riskscorer_")} <= on_dashboards
    (target,) = prometheus.series(f'up{{job="{JOB}"}}')
    assert target["value"][1] == "1"
