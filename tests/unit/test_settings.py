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
        ("RISKSCORER_SESSION_TIMEOUT_S", "nan"),
        ("RISKSCORER_SCORING_TIMEOUT_S", "inf"),
        ("RISKSCORER_REDIS_TIMEOUT_S", "1e-300"),
        ("RISKSCORER_RULES_POLL_S", "1e9"),
        ("RISKSCORER_PARTITIONS", "3000000000"),
        ("RISKSCORER_PARTITIONS", "--5"),
        ("RISKSCORER_PARTITIONS", "\u0661\u0662"),
        ("RISKSCORER_PROFILE_TTL_S", "99999999999999999"),
        ("RISKSCORER_SCORING_PROCESSES", "100000"),
        ("RISKSCORER_REDIS_URL", "redis://h:abc/0"),
        ("RISKSCORER_REDIS_URL", "redis://h:99999"),
        ("RISKSCORER_REDIS_URL", "redis://h:6379/notadb"),
        ("RISKSCORER_REDIS_URL", "redis://"),
        ("RISKSCORER_REDIS_URL", "unix://"),
        ("RISKSCORER_BROKER_URL", "host:0"),
        ("RISKSCORER_BROKER_URL", "host:99999"),
        ("RISKSCORER_BROKER_URL", "host:\u00b2"),
        ("RISKSCORER_BROKER_URL", "http://h:9092"),
        ("RISKSCORER_TOPIC_MESSAGES", "caf\u00e9"),
        ("RISKSCORER_TOPIC_MESSAGES", ".."),
        ("RISKSCORER_APP_ID", "my app/x"),
        ("RISKSCORER_WEB_HOST", "not a host!!"),
        ("RISKSCORER_DATA_DIR", __file__),
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


@pytest.mark.parametrize(("name", "value", "other"), [
    ("RISKSCORER_TOPIC_ESCALATIONS", "marketplace.messages", "TOPIC_MESSAGES"),
    ("RISKSCORER_TOPIC_DEADLETTER", "marketplace.messages", "TOPIC_MESSAGES"),
    ("RISKSCORER_TOPIC_DECISIONS", "marketplace.messages", "TOPIC_MESSAGES"),
    ("RISKSCORER_TOPIC_SHADOW", "riskscorer.escalations", "TOPIC_ESCALATIONS"),
    ("RISKSCORER_TOPIC_SHADOW", "riskscorer_escalations", "TOPIC_ESCALATIONS"),  # Kafka takes one for the other
])
def test_every_topic_is_its_own(name, value, other):
    with pytest.raises(SettingsError, match=f"{name}.*{other}|{other}.*{name}"):
        load({name: value})


def test_hosts_and_urls_of_every_usual_shape_are_taken():
    settings = load({"RISKSCORER_BROKER_URL": "kafka_1:9092,[::1]:9093,10.0.0.7:9094",
                     "RISKSCORER_REDIS_URL": "rediss://:pw@redis.internal:6380/2", "RISKSCORER_WEB_HOST": "0.0.0.0",
                     "RISKSCORER_APP_ID": "scorer-eu.2", "RISKSCORER_SESSION_TIMEOUT_S": "0.5"})
    assert settings.broker_hosts == ["kafka_1:9092", "[::1]:9093", "10.0.0.7:9094"]
    assert load({"RISKSCORER_REDIS_URL": "unix:///run/redis.sock"}).redis_url == "unix:///run/redis.sock"
    assert load({"RISKSCORER_WEB_HOST": "::"}).web_host == "::"


def test_the_stream_buffer_is_faust_s():
    assert _faust_config(load({}))["stream_buffer_maxsize"] == 16384
    assert _faust_config(load({"RISKSCORER_STREAM_BUFFER": "5000"}))["stream_buffer_maxsize"] == 5000
