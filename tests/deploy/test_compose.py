"""docker-compose.yml and the Dockerfile, checked statically (Docker does not run in the tests).

The compose file is validated against the Compose Specification's JSON schema,
vendored as compose-spec.schema.json (Apache-2.0, compose-spec.LICENSE; the copy
the check-jsonschema package ships as its builtin `vendor.compose-spec`), and kept
in step with the project: settings, ports, partitions, mounts and Grafana's provisioning.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path

import jsonschema
import pytest
import yaml

from streams.worker import settings as settings_module
from streams.worker.settings import Settings
from tests.deploy import artifacts as a

SCHEMA = Path(__file__).with_name("compose-spec.schema.json")
SETTING_NAMES = {settings_module.PREFIX + f.name.upper() for f in fields(Settings)}
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|CREDENTIAL|API_KEY|PRIVATE_KEY", re.IGNORECASE)
LONG_RUNNING = ("kafka", "redis", "worker", "prometheus", "grafana")


@pytest.fixture(scope="module")
def doc() -> dict:
    return a.compose()


@pytest.fixture(scope="module")
def services(doc) -> dict:
    return doc["services"]


def _environments(doc: dict) -> list[tuple[str, dict]]:
    out = [(name, svc.get("environment") or {}) for name, svc in doc["services"].items()]
    out += [(key, value) for key, value in doc.items() if key.startswith("x-") and isinstance(value, dict)]
    return out


def _port_of(url: str) -> int:
    m = re.search(r"://[^/:]+:(\d+)", url)
    assert m, url
    return int(m.group(1))


def test_valid_against_the_compose_specification(doc):
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_schema_rejects_a_broken_file(doc):
    # The schema is strict enough to matter: an unknown service key is an error.
    broken = json.loads(json.dumps(doc))
    broken["services"]["worker"]["replicaz"] = 3
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))
    assert list(validator.iter_errors(broken))


def test_the_stack(services):
    assert set(services) >= {"kafka", "redis", "create-topics", "worker", "prometheus", "grafana"}
    kafka = services["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    assert "controller" in kafka["environment"]["KAFKA_PROCESS_ROLES"], "KRaft, no ZooKeeper"
    assert not any("zookeeper" in str(s.get("image", "")) for s in services.values())
    assert str(kafka["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"]) == "false"
    for name in LONG_RUNNING:
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_no_default_secrets():
    raw = a.raw_compose()
    for where, env in _environments(raw):
        for key, value in env.items():
            if SECRET_NAME.search(key):
                assert re.fullmatch(r"\$\{(\w+):\?[^}]+\}", str(value)), (
                    f"{where}.{key} must come from the environment with no default: ${{VAR:?message}}"
                )
    assert "GF_ADMIN_PASSWORD" in a.required_variables()
    assert raw["services"]["grafana"]["environment"]["GF_SECURITY_ADMIN_PASSWORD"].startswith(
        "${GF_ADMIN_PASSWORD:?"
    )
    with pytest.raises(KeyError, match="GF_ADMIN_PASSWORD"):
        a.interpolate(raw["services"]["grafana"]["environment"]["GF_SECURITY_ADMIN_PASSWORD"], {})


def test_every_riskscorer_variable_is_a_setting(doc):
    seen = {k for _, env in _environments(doc) for k in env if k.startswith("RISKSCORER_")}
    seen |= {k for k in a.compose_variables() if k.startswith("RISKSCORER_")}
    seen |= {k for k in a.dockerfile_env() if k.startswith("RISKSCORER_")}
    assert seen, "no RISKSCORER_ variable found"
    assert seen <= SETTING_NAMES, f"not settings: {sorted(seen - SETTING_NAMES)}"


def _image_path_to_repo(value: str) -> Path:
    """A path inside the image to the repository file the Dockerfile copies there."""
    instructions = a.dockerfile_instructions()
    workdir = next(args for instr, args in instructions if instr == "WORKDIR")
    for instr, args in instructions:
        if instr != "COPY":
            continue
        *sources, dst = args.split()
        target = Path(workdir, dst.rstrip("/")) if dst.rstrip("/") != "." else Path(workdir)
        for src in sources:
            inside = target / Path(src).name if dst.endswith("/") or dst == "./" else target
            if Path(value) == inside or Path(value).is_relative_to(inside):
                return a.ROOT / src / Path(value).relative_to(inside)
    raise AssertionError(f"{value} is not copied into the image")


def test_scorer_environment_loads_as_settings(services):
    """The workers' and the topic job's environment (over the image's ENV) is valid."""
    for name in ("worker", "create-topics"):
        env = a.dockerfile_env() | services[name]["environment"]
        env = {k: str(v) for k, v in env.items() if k.startswith("RISKSCORER_")}
        rules = _image_path_to_repo(env["RISKSCORER_RULES_FILE"])
        assert rules.is_file(), "the rules file is not in the image"
        env["RISKSCORER_RULES_FILE"] = str(rules)
        loaded = settings_module.load(env)
        assert loaded.web_host == "0.0.0.0", "the worker must listen beyond loopback to be scraped"


def test_topics_job_and_workers_agree(services):
    # Same topics, partitions and app id: the job creates what the workers consume.
    assert services["create-topics"]["environment"] == services["worker"]["environment"]
    assert services["create-topics"]["command"] == ["create-topics"]
    assert services["create-topics"]["restart"] == "no"
    depends = services["worker"]["depends_on"]
    assert depends["create-topics"]["condition"] == "service_completed_successfully"
    assert depends["redis"]["condition"] == "service_healthy"
    assert services["create-topics"]["depends_on"]["kafka"]["condition"] == "service_healthy"
    partitions = int(services["worker"]["environment"]["RISKSCORER_PARTITIONS"])
    assert partitions >= 1
    # A partition count set in the environment reaches both.
    other = a.compose({"RISKSCORER_PARTITIONS": "7"})["services"]
    assert other["worker"]["environment"]["RISKSCORER_PARTITIONS"] == "7"
    assert other["create-topics"]["environment"]["RISKSCORER_PARTITIONS"] == "7"


def test_broker_address_is_the_kafka_service(services):
    broker = services["worker"]["environment"]["RISKSCORER_BROKER_URL"]
    advertised = services["kafka"]["environment"]["KAFKA_ADVERTISED_LISTENERS"]
    assert f"://{broker}" in advertised, (broker, advertised)
    redis = services["worker"]["environment"]["RISKSCORER_REDIS_URL"]
    assert redis.startswith("redis://redis:")


def test_worker_is_scalable_and_scraped_on_its_port(services):
    worker = services["worker"]
    assert "container_name" not in worker and "ports" not in worker, "fixed names/ports stop --scale"
    port = int(worker["environment"]["RISKSCORER_WEB_PORT"])
    assert [int(p) for p in worker["expose"]] == [port]
    assert f"127.0.0.1:{port}/metrics" in " ".join(worker["healthcheck"]["test"])
    assert [int(p) for instr, args in a.dockerfile_instructions() if instr == "EXPOSE"
            for p in args.split()] == [port]
    assert int(a.dockerfile_env()["RISKSCORER_WEB_PORT"]) == port
    config = yaml.safe_load((a.PROMETHEUS_DIR / "prometheus.yml").read_text())
    job = next(j for j in config["scrape_configs"] if j["job_name"] == "riskscorer")
    (sd,) = job["dns_sd_configs"]
    assert sd["names"] == ["worker"] and sd["port"] == port
    assert job.get("metrics_path", "/metrics") == "/metrics"


def _mounts(service: dict) -> dict[str, str]:
    """Container path -> host path (relative to the compose file) of bind mounts."""
    out = {}
    for volume in service.get("volumes", []):
        host, container = volume.split(":")[:2]
        if host.startswith("."):
            out[container] = host
    return out


def test_prometheus_mounts_its_config_and_rules(services):
    prom = services["prometheus"]
    mounts = _mounts(prom)
    config_arg = next(c for c in prom["command"] if c.startswith("--config.file="))
    config_path = config_arg.split("=", 1)[1]
    directory = str(Path(config_path).parent)
    assert (a.ROOT / mounts[directory]).resolve() == a.PROMETHEUS_DIR
    for rules in a.rule_files():
        assert rules.is_file(), rules


def test_grafana_provisioning_matches_the_stack(services):
    grafana = services["grafana"]
    mounts = _mounts(grafana)
    assert (a.ROOT / mounts["/etc/grafana/provisioning"]).resolve() == a.GRAFANA_DIR / "provisioning"
    provider = yaml.safe_load((a.GRAFANA_DIR / "provisioning/dashboards/riskscorer.yml").read_text())
    (prov,) = provider["providers"]
    assert (a.ROOT / mounts[prov["options"]["path"]]).resolve() == a.DASHBOARDS_DIR
    home = grafana["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert (a.DASHBOARDS_DIR / Path(home).relative_to(prov["options"]["path"])).is_file()

    datasources = yaml.safe_load((a.GRAFANA_DIR / "provisioning/datasources/prometheus.yml").read_text())
    (ds,) = datasources["datasources"]
    host = re.match(r"http://([^:/]+)", ds["url"]).group(1)
    assert host in services and host == "prometheus"
    assert _port_of(ds["url"]) == 9090
    assert any(str(p).endswith(":9090") for p in services["prometheus"]["ports"])
    config = yaml.safe_load((a.PROMETHEUS_DIR / "prometheus.yml").read_text())
    assert ds["jsonData"]["timeInterval"] == config["global"]["scrape_interval"]
    for path in a.dashboard_files():
        board = json.loads(path.read_text())
        uids = {t["datasource"]["uid"] for p in board["panels"] for t in p.get("targets", [])}
        assert uids <= {ds["uid"]}, f"{path.name} uses datasources {uids}"


def test_rule_and_dashboard_job_names_match_the_scrape_job():
    config = yaml.safe_load((a.PROMETHEUS_DIR / "prometheus.yml").read_text())
    jobs = {j["job_name"] for j in config["scrape_configs"]}
    for e in a.rule_expressions():
        for job in re.findall(r'job="([^"]+)"', e.expr):
            assert job in jobs, f"{e.where}: job {job!r} is not scraped"
