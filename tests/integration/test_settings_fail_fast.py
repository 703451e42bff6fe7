"""A bad setting stops `riskscorer` at start, naming the setting, before anything starts."""

import os
import subprocess
import sys
import time

import pytest


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("RISKSCORER_PARTITIONS", "many"),
        ("RISKSCORER_BROKER_URL", "no-port-here"),
        ("RISKSCORER_RULES_FILE", "/nonexistent/rules.toml"),
        ("RISKSCORER_WEB_PROT", "6066"),
    ],
)
def test_worker_fails_fast_naming_the_setting(name, value):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RISKSCORER_")}
    env[name] = value
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "streams", "worker"], env=env, capture_output=True, text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert name in proc.stderr
    assert "Traceback" not in proc.stderr
    assert time.monotonic() - started < 30


def test_invalid_rules_file_names_rule_and_field(tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text(
        'version = "x"\n[scoring]\nhalf_life_hours = 1\ncooldown_hours = "soon"\n'
        "[detectors.text]\nweight = 1\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("RISKSCORER_")}
    env["RISKSCORER_RULES_FILE"] = str(rules)
    proc = subprocess.run(
        [sys.executable, "-m", "streams", "worker"], env=env, capture_output=True, text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "rule 'scoring': field 'cooldown_hours'" in proc.stderr
