import pytest

from streams.worker.app import _faust_config
from streams.worker.settings import SettingsError, load


def test_defaults_load_with_empty_environment():
    settings = load({})
    assert settings.broker_url is None
    assert settings.partitions == 4
    assert settings.rules_file.is_file()


def test_values_are_parsed():
    settings = load(
        {
            "RISKSCORER_BROKER_URL": "kafka://k1:9092,k2:9092",
            "RISKSCORER_REDIS_URL": "redis://r:6379/0",
            "RISKSCORER_PARTITIONS": "12",
            "RISKSCORER_WEB_PORT": "7000",
        }
    )
    assert settings.broker_hosts == ["k1:9092", "k2:9092"]
    assert settings.partitions == 12
    assert settings.web_port == 7000


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("RISKSCORER_PARTITIONS", "four"),
        ("RISKSCORER_PARTITIONS", "0"),
        ("RISKSCORER_WEB_PORT", "70000"),
        ("RISKSCORER_BROKER_URL", "localhost"),
        ("RISKSCORER_REDIS_URL", "localhost:6379"),
        ("RISKSCORER_RULES_FILE", "/nonexistent/rules.toml"),
        ("RISKSCORER_TOPIC_MESSAGES", "bad topic!"),
        ("RISKSCORER_BATCH_WINDOW_MS", "-5"),
        ("RISKSCORER_SESSION_TIMEOUT_S", "soon"),
        ("RISKSCORER_APP_ID", "  "),
        ("RISKSCORER_PARTITONS", "4"),
        ("RISKSCORER_SCORING_PROCESSES", "-1"),
        ("RISKSCORER_SCORING_PROCESSES", "two"),
        ("RISKSCORER_MAX_TEXT_CHARS", "0"),
        ("RISKSCORER_MAX_TEXT_CHARS", "100000"),
        ("RISKSCORER_STREAM_BUFFER", "0"),
    ],
)
def test_bad_value_names_the_setting(name, value):
    with pytest.raises(SettingsError, match=name):
        load({name: value})


def test_scoring_in_the_worker_itself_is_a_valid_choice():
    assert load({"RISKSCORER_SCORING_PROCESSES": "0"}).scoring_processes == 0
    assert load({}).scoring_processes == 2


def test_text_limit_up_to_what_the_text_stage_folds():
    assert load({}).max_text_chars == 20000
    assert load({"RISKSCORER_MAX_TEXT_CHARS": "65536"}).max_text_chars == 65536


def test_input_topics_must_be_distinct():
    with pytest.raises(SettingsError, match="TOPIC"):
        load({"RISKSCORER_TOPIC_PROPOSALS": "marketplace.messages"})


def test_the_stream_buffer_is_faust_s():
    assert _faust_config(load({}))["stream_buffer_maxsize"] == 16384
    assert _faust_config(load({"RISKSCORER_STREAM_BUFFER": "5000"}))["stream_buffer_maxsize"] == 5000
