import copy
import tomllib

import pytest

from scoring.rules import RulesError, parse_rules
from streams.worker.settings import DEFAULT_RULES


def default_doc():
    with DEFAULT_RULES.open("rb") as fh:
        return tomllib.load(fh)


def test_default_rules_parse():
    rules = parse_rules(default_doc())
    assert rules.version
    assert rules.detector("message_burst").policy == "spam_scam"
    assert rules.severity_of(0.5) == "low"
    assert rules.severity_of(4.0) == "high"
    assert rules.severity_of(100) == "critical"


def _edit(path, value):
    doc = copy.deepcopy(default_doc())
    node = doc
    for part in path[:-1]:
        node = node[part]
    if value is None:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return doc


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("version",), None, "rule 'version'"),
        (("detectors", "message_burst", "weight"), "heavy", "detectors.message_burst.*'weight'"),
        (("detectors", "message_burst", "per_minute"), None, "'per_minute'"),
        (("detectors", "first_message_fanout", "policy"), "nope", "first_message_fanout.*'policy'"),
        (("detectors", "unknown_detector"), {"weight": 1}, "unknown detector"),
        (("thresholds", "made_up"), 1.0, "unknown policy 'made_up'"),
        (("thresholds", "harassment"), -1, "'harassment' must be positive"),
        (("severity", "low"), 9.0, "bands must rise"),
        (("scoring", "cooldown_hours"), 0, "'cooldown_hours' must be positive"),
    ],
)
def test_invalid_rules_name_rule_and_field(path, value, message):
    with pytest.raises(RulesError, match=message):
        parse_rules(_edit(path, value))


def test_a_misspelt_required_field_is_named_with_the_key_that_is_there() -> None:
    import tomllib

    from scoring.rules import RulesError
    from streams.batch.rules_file import parse_document
    from streams.worker.settings import DEFAULT_RULES

    doc = tomllib.loads(DEFAULT_RULES.read_text())
    doc["scoring"]["cooldown_hour"] = doc["scoring"].pop("cooldown_hours")
    with pytest.raises(RulesError, match="field 'cooldown_hours' is missing \\(is 'cooldown_hour' a misspelling"):
        parse_document(doc)
