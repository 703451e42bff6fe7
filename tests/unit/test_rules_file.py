"""The rules file is strict: a key or section no rule reads is an error naming it, at load and
at a hot reload (which keeps the rules in force)."""

import logging

import pytest
from prometheus_client import CollectorRegistry

from scoring.rules import RulesError
from streams.batch.pipeline import Processor
from streams.batch.rules_file import load_rules, parse_text
from streams.worker.metrics import Metrics
from streams.worker.rules_reload import Reloader
from streams.worker.settings import DEFAULT_RULES

BASE = DEFAULT_RULES.read_text()
BURST = "[detectors.message_burst]\n"


def edited(old: str, new: str) -> str:
    assert BASE.count(old) == 1, old
    return BASE.replace(old, new)


def test_the_shipped_rules_have_no_unknown_key():
    assert parse_text(BASE).detectors["message_burst"].mode == "active"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (edited(BURST, BURST + 'mod = "shadow"\n'), "unknown key 'detectors.message_burst.mod'"),
        (edited("[scoring]\n", "[scoring]\ncooldown_hour = 1\n"), "unknown key 'scoring.cooldown_hour'"),
        (edited("[severity]\n", "[severity]\nsevere = 5.0\n"), "unknown key 'severity.severe'"),
        (edited("[reviewer]\n", "[reviewer]\nfloor = 0.5\n"), "unknown key 'reviewer.floor'"),
        (edited("[exemptions]\n", "[exemptions]\naccount = []\n"), "unknown key 'exemptions.account'"),
        ('verison = "x"\n' + BASE, "unknown key 'verison'"),
        (BASE + "\n[thresholdz]\nspam_scam = 1.0\n", "unknown section 'thresholdz'"),
        (BASE + "\n[detectors.message_burst.extra]\nx = 1\n", "unknown section 'detectors.message_burst.extra'"),
        (edited(BURST, BURST + "mod = 1\nwieght = 2\n"),
         "unknown keys 'detectors.message_burst.mod', 'detectors.message_burst.wieght'"),
    ],
    ids=["detector", "scoring", "severity", "reviewer", "exemptions", "top", "section", "subsection", "two"],
)
def test_an_unknown_key_or_section_is_named(text, message):
    with pytest.raises(RulesError) as caught:
        parse_text(text)
    assert message in str(caught.value)


def test_the_error_names_the_file(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(edited(BURST, BURST + 'mod = "shadow"\n'))
    with pytest.raises(RulesError, match=f"rules file {path}: unknown key 'detectors.message_burst.mod'"):
        load_rules(path)


def test_a_reload_with_an_unknown_key_keeps_the_rules_in_force(caplog):
    rules = parse_text(BASE)
    processor = Processor(rules, 65536, 20000)
    metrics = Metrics.create(CollectorRegistry())
    reloader = Reloader(None, "app", processor, metrics, "demoted")  # type: ignore[arg-type]  # no Redis read
    version_line = next(line for line in BASE.splitlines() if line.startswith("version = ")) + "\n"
    bad = edited(version_line, 'version = "next"\n').replace(BURST, BURST + 'mod = "shadow"\n')
    with caplog.at_level(logging.ERROR):
        reloader._take(bad.encode())
    assert processor.rules is rules and reloader.published is rules
    assert metrics.rules_rejected._value.get() == 1
    assert "unknown key 'detectors.message_burst.mod'" in caplog.text
    assert f"keeping version {rules.version}" in caplog.text
