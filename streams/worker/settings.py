"""The one settings object, read once from `RISKSCORER_*` environment variables.

A missing or invalid value raises `SettingsError` naming the variable; the CLI
turns that into a one-line message and exit status 2 before anything starts.
"""

from __future__ import annotations

import os
import re
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from scoring.text.normalize import FOLD_LIMIT

PREFIX = "RISKSCORER_"
DEFAULT_RULES = Path(__file__).resolve().parents[1] / "rules.toml"  # the default rules, shipped in the package

T = TypeVar("T")
INT_MAX = 2**31 - 1  # every integer setting fits Kafka's and Redis's 32-bit fields
MAX_SCORING_PROCESSES = 256
PORT_MAX = 65535
SECONDS = (0.001, 86_400.0)  # a duration in seconds: from a millisecond to a day
_INTEGER = re.compile(r"-?[0-9]+")
_TOPIC = re.compile(r"[A-Za-z0-9._-]{1,249}")  # Kafka's legal topic names
_HOST = re.compile(r"[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")


class SettingsError(ValueError):
    """A setting is missing or invalid; the message names the variable."""


@dataclass(frozen=True, slots=True)
class Settings:
    broker_url: str | None = None  # comma-separated host:port list; None = start the embedded broker
    redis_url: str | None = None  # redis://...; None = start the embedded Redis
    app_id: str = "riskscorer"
    topic_messages: str = "marketplace.messages"
    topic_proposals: str = "marketplace.proposals"
    topic_feedback: str = "marketplace.feedback"
    topic_accounts: str = "marketplace.accounts"
    topic_contracts: str = "marketplace.contracts"
    topic_escalations: str = "riskscorer.escalations"
    topic_deadletter: str = "riskscorer.deadletter"
    topic_subjects: str = "riskscorer.subject-events"
    topic_shadow: str = "riskscorer.shadow"
    topic_decisions: str = "riskscorer.decisions"
    partitions: int = 4
    web_host: str = "127.0.0.1"
    web_port: int = 6066
    rules_file: Path = DEFAULT_RULES
    text_model_file: Path | None = None  # None: the packaged text model (`riskscorer train-text` writes others)
    data_dir: Path = Path(".riskscorer-data")
    max_event_bytes: int = 65536
    max_text_chars: int = 20000
    batch_max: int = 1000
    # How long the agent gathers delivered events before taking them in. Live, a partition whose
    # records are fetched but not taken in yet holds its group's release back (streams/worker/ordering.py),
    # so this adds to the latency; from a backlog batches fill to batch_max first.
    batch_window_ms: int = 10
    # Events Faust buffers for the agent's stream before it stops fetching a partition (Faust's
    # `stream_buffer_maxsize`, 4096 by default). From a backlog the buffer fills whenever scoring is
    # the slower side; a larger one stops and restarts each partition's fetching less often.
    stream_buffer: int = 16384
    # child processes that score the worker's batches (split by account); 0 scores in the worker itself
    scoring_processes: int = 2
    scoring_timeout_s: float = 30.0  # a batch's scoring processes that take longer are killed; it is retried
    # Longest wait of an empty fetch. Kafka answers one as soon as records come, but the embedded
    # broker only when it next looks (up to about half this): the latency of every record then.
    fetch_wait_ms: int = 20
    # Events are applied in event-time order across the co-partitioned topics; an event waits until
    # no topic can still deliver an earlier one, assuming producers are at most this late
    # (streams/worker/ordering.py). 0: no wait beyond what the topics read show.
    reorder_window_ms: int = 200
    reorder_max_events: int = 100_000  # held events past which the oldest are released anyway
    # "all": one order over every partition number, shared between workers through Redis, so that a
    # proposal is compared with every letter sent before it (the cover-letter index); "partition":
    # each partition number in its own order (no wait on the other workers, letter farms inexact)
    reorder_scope: str = "all"
    # with "all", how long a proposal waits for the other workers' letters once the floors holding it
    # stand still (a worker gone, until its partitions are taken over); past it, it is scored without
    # them (riskscorer_reorder_forced_total{why="gate"}); while they rise, five times as long at most
    reorder_gate_max_ms: int = 30_000
    # tries of a batch that fails otherwise than by a Redis or broker outage, before it is split to
    # find the events it fails on, which are dead-lettered (`unprocessable`); outages are retried for ever
    batch_attempts: int = 3
    profile_ttl_s: int = 30 * 86400
    links_ttl_s: int = 30 * 86400  # how long a device / IP / payment / phone fingerprint links accounts
    links_max_per_fingerprint: int = 50  # accounts remembered per fingerprint (newest kept)
    links_shards: int = 16  # Redis hash-tag shards of the link index; 0: no link index (no link findings)
    letters_ttl_s: int = 7 * 86400  # how long a cover letter stays in the cross-account index
    letters_max_per_band: int = 20  # accounts remembered per LSH band and day of the cover-letter index
    session_timeout_s: float = 10.0
    rules_poll_s: float = 5.0  # how often workers look for published rules in Redis
    # how long a reviewer's decision that came before its escalation was stored waits for it (tried
    # again at each rules poll) before it is dead-lettered: a replay rebuilding its escalations
    decision_wait_s: float = 3600.0
    decision_wait_max: int = 100_000  # decisions waiting at most; past it one is dead-lettered at once
    # longest wait for Redis to connect or answer: a frozen Redis is then an outage, retried
    redis_timeout_s: float = 5.0
    api_token: str | None = None  # bearer token of the support lookup; unset: endpoint off
    # Kafka: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL; SASL mechanism PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512
    broker_security_protocol: str = "PLAINTEXT"
    broker_sasl_mechanism: str = "PLAIN"
    broker_sasl_username: str | None = None
    broker_sasl_password: str | None = None
    broker_ssl_cafile: Path | None = None  # CA bundle to verify the brokers by (unset: the system's)
    broker_ssl_certfile: Path | None = None  # client certificate and key, for brokers that ask for one
    broker_ssl_keyfile: Path | None = None
    redis_password: str | None = None  # Redis AUTH password (kept out of the URL, which may be logged)
    # Redis over TLS (a rediss:// URL): CA bundle, and client certificate and key when Redis asks for one
    redis_ssl_cafile: Path | None = None
    redis_ssl_certfile: Path | None = None
    redis_ssl_keyfile: Path | None = None

    @property
    def input_topics(self) -> dict[str, str]:
        """Schema name -> topic name, for the five input topics."""
        return {
            "messages": self.topic_messages,
            "proposals": self.topic_proposals,
            "feedback": self.topic_feedback,
            "accounts": self.topic_accounts,
            "contracts": self.topic_contracts,
        }

    @property
    def consumed_topics(self) -> dict[str, str]:
        """Schema name -> topic name for all the worker reads: inputs and subject events."""
        return {**self.input_topics, "subjects": self.topic_subjects}

    @property
    def broker_hosts(self) -> list[str]:
        if self.broker_url is None:
            raise SettingsError(f"{PREFIX}BROKER_URL is not set")
        return [h.removeprefix("kafka://") for h in self.broker_url.split(",")]

    def with_services(self, broker_url: str, redis_url: str) -> Settings:
        return replace(self, broker_url=broker_url, redis_url=redis_url)


def _integer(name: str, raw: str, lowest: int, highest: int = INT_MAX) -> int:
    if not _INTEGER.fullmatch(raw):
        raise SettingsError(f"{PREFIX}{name}={raw!r} is not an integer")
    value = int(raw)
    if value < lowest:
        raise SettingsError(f"{PREFIX}{name}={raw!r} must be {'positive' if lowest == 1 else f'{lowest} or more'}")
    if value > highest:
        raise SettingsError(f"{PREFIX}{name}={raw!r} must be at most {highest}")
    return value


def _positive_int(name: str, raw: str) -> int:
    return _integer(name, raw, 1)


def _count(name: str, raw: str) -> int:
    return _integer(name, raw, 0)


def _processes(name: str, raw: str) -> int:
    return _integer(name, raw, 0, MAX_SCORING_PROCESSES)


def _positive_float(name: str, raw: str) -> float:
    """A duration in seconds, within `SECONDS`."""
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{PREFIX}{name}={raw!r} is not a number") from None
    lo, hi = SECONDS
    if not lo <= value <= hi:  # NaN and the infinities fail it too
        raise SettingsError(f"{PREFIX}{name}={raw!r} must be between {lo:g} and {hi:g} seconds")
    return value


def _port(name: str, raw: str) -> int:
    return _integer(name, raw, 1, PORT_MAX)


def _text_limit(name: str, raw: str) -> int:
    # Beyond FOLD_LIMIT the text stage stops folding look-alikes, so a longer text could hide them there.
    value = _positive_int(name, raw)
    if value > FOLD_LIMIT:
        raise SettingsError(f"{PREFIX}{name}={raw!r}: texts are folded in full only up to {FOLD_LIMIT} characters")
    return value


def _is_port(raw: str) -> bool:
    return raw.isascii() and raw.isdigit() and 0 < int(raw) <= PORT_MAX


def _broker(name: str, raw: str) -> str:
    for host in raw.split(","):
        hostport = host.strip().removeprefix("kafka://")
        h, _, p = hostport.rpartition(":")
        if not h or not _HOST.fullmatch(h) or not _is_port(p):
            raise SettingsError(f"{PREFIX}{name}={raw!r}: each broker must be host:port (a port from 1 to {PORT_MAX})")
    return raw


def _redis(name: str, raw: str) -> str:
    if not raw.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError(f"{PREFIX}{name}={raw!r} must start with redis://, rediss:// or unix://")
    try:
        url = urlsplit(raw)
        url.port  # noqa: B018 (raises ValueError on a port that is not one)
    except ValueError as exc:
        raise SettingsError(f"{PREFIX}{name}={raw!r}: {exc}") from None
    if url.scheme == "unix":
        if not url.path:
            raise SettingsError(f"{PREFIX}{name}={raw!r}: a unix:// URL needs the socket's path")
        return raw
    if not url.hostname:
        raise SettingsError(f"{PREFIX}{name}={raw!r}: no host")
    db = url.path.strip("/")
    if db and not (db.isascii() and db.isdigit()):
        raise SettingsError(f"{PREFIX}{name}={raw!r}: the database must be a number (/0)")
    return raw


def _topic(name: str, raw: str) -> str:
    if not _TOPIC.fullmatch(raw) or raw in (".", ".."):
        raise SettingsError(f"{PREFIX}{name}={raw!r} is not a valid topic name (letters, digits, '.', '_', '-')")
    return raw


def _app_id(name: str, raw: str) -> str:
    """The app id starts the changelog topic's name and every Redis key."""
    if not _TOPIC.fullmatch(raw) or len(raw) > 200:
        raise SettingsError(f"{PREFIX}{name}={raw!r} must be up to 200 letters, digits, '.', '_' or '-'")
    return raw


def _host(name: str, raw: str) -> str:
    if not _HOST.fullmatch(raw):
        raise SettingsError(f"{PREFIX}{name}={raw!r} is not a host name or address")
    return raw


def _directory(name: str, raw: str) -> Path:
    path = Path(raw)
    if not raw or (path.exists() and not path.is_dir()):
        raise SettingsError(f"{PREFIX}{name}={raw!r} is not a directory")
    return path


def _choice(*choices: str) -> Callable[[str, str], str]:
    def parse(name: str, raw: str) -> str:
        if raw not in choices:
            raise SettingsError(f"{PREFIX}{name}={raw!r} must be one of {', '.join(choices)}")
        return raw

    return parse


def _file(name: str, raw: str) -> Path:
    path = Path(raw)
    if not path.is_file():
        raise SettingsError(f"{PREFIX}{name}={raw!r}: no such file")
    return path


def _text(name: str, raw: str) -> str:
    if not raw.strip():
        raise SettingsError(f"{PREFIX}{name} is empty")
    return raw


_PARSERS: dict[type, Callable[[str, str], Any]] = {int: _positive_int, float: _positive_float}
_SPECIAL: dict[str, Callable[[str, str], Any]] = {
    "broker_url": _broker,
    "redis_url": _redis,
    "web_port": _port,
    "max_text_chars": _text_limit,
    "scoring_processes": _processes,
    "app_id": _app_id,
    "web_host": _host,
    "links_shards": _count,
    "reorder_window_ms": _count,
    "rules_file": _file,
    "text_model_file": _file,
    "reorder_scope": _choice("all", "partition"),
    "broker_security_protocol": _choice("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"),
    "broker_sasl_mechanism": _choice("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"),
    **{f"{side}_ssl_{kind}": _file for side in ("broker", "redis") for kind in ("cafile", "certfile", "keyfile")},
    "data_dir": _directory,
}


def _parser(field_name: str, default: Any) -> Callable[[str, str], Any]:
    if field_name in _SPECIAL:
        return _SPECIAL[field_name]
    if field_name.startswith("topic_"):
        return _topic
    return _PARSERS.get(type(default), _text)


def load(env: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from the environment; raise `SettingsError` naming a bad variable."""
    env = os.environ if env is None else env
    known = {PREFIX + f.name.upper() for f in fields(Settings)}
    unknown = sorted(k for k in env if k.startswith(PREFIX) and k not in known)
    if unknown:
        raise SettingsError(f"{unknown[0]} is not a setting (known: {', '.join(sorted(known))})")
    values: dict[str, Any] = {}
    for f in fields(Settings):
        name = f.name.upper()
        raw = env.get(PREFIX + name)
        if raw is None:
            continue
        values[f.name] = _parser(f.name, f.default)(name, raw.strip())
    settings = Settings(**values)
    if not settings.rules_file.is_file():
        raise SettingsError(f"{PREFIX}RULES_FILE={str(settings.rules_file)!r}: no such file")
    _check_topics(settings)
    _check_security(settings)
    if PREFIX + "BROKER_SASL_MECHANISM" in env and not settings.broker_security_protocol.startswith("SASL_"):
        raise SettingsError(f"{PREFIX}BROKER_SASL_MECHANISM is set but {PREFIX}BROKER_SECURITY_PROTOCOL="
                            f"{settings.broker_security_protocol} does not use SASL")
    _check_tls_files(settings)
    return settings


def _check_topics(s: Settings) -> None:
    """Every topic its own, and no two that Kafka would take for one ('.' and '_' collide)."""
    topics = {f.name.upper(): getattr(s, f.name) for f in fields(Settings) if f.name.startswith("topic_")}
    seen: dict[str, str] = {}
    for name, topic in topics.items():
        other = seen.setdefault(topic.replace(".", "_"), name)
        if other != name:
            raise SettingsError(f"{PREFIX}{name}={topic!r}: the same topic as {PREFIX}{other}; every topic "
                                "must be its own")


def _check_tls_files(s: Settings) -> None:
    """The TLS files are read at start: a file that is not a certificate or key is named now."""
    for side in ("broker", "redis"):
        cafile, certfile, keyfile = (getattr(s, f"{side}_ssl_{kind}") for kind in ("cafile", "certfile", "keyfile"))
        context = ssl.create_default_context()
        try:
            if cafile is not None:
                context.load_verify_locations(cafile=str(cafile))
        except (ssl.SSLError, OSError) as exc:
            raise SettingsError(f"{PREFIX}{side.upper()}_SSL_CAFILE={str(cafile)!r}: not a CA bundle ({exc})") from None
        try:
            if certfile is not None:
                context.load_cert_chain(str(certfile), str(keyfile))
        except (ssl.SSLError, OSError) as exc:
            raise SettingsError(f"{PREFIX}{side.upper()}_SSL_CERTFILE and _KEYFILE: not a certificate and its key "
                                f"({exc})") from None


def _check_security(s: Settings) -> None:
    """Settings that are each valid but do not fit together: caught at start, not at first use."""
    sasl = s.broker_security_protocol.startswith("SASL_")
    if sasl and not (s.broker_sasl_username and s.broker_sasl_password):
        raise SettingsError(f"{PREFIX}BROKER_SECURITY_PROTOCOL={s.broker_security_protocol} needs "
                            f"{PREFIX}BROKER_SASL_USERNAME and {PREFIX}BROKER_SASL_PASSWORD")
    if not sasl and (s.broker_sasl_username or s.broker_sasl_password):
        raise SettingsError(f"{PREFIX}BROKER_SASL_USERNAME/PASSWORD are set but {PREFIX}BROKER_SECURITY_PROTOCOL="
                            f"{s.broker_security_protocol} does not use SASL")
    tls = s.broker_security_protocol in ("SSL", "SASL_SSL")
    if not tls and (s.broker_ssl_cafile or s.broker_ssl_certfile or s.broker_ssl_keyfile):
        raise SettingsError(f"{PREFIX}BROKER_SSL_* are set but {PREFIX}BROKER_SECURITY_PROTOCOL="
                            f"{s.broker_security_protocol} does not use TLS")
    rediss = (s.redis_url or "").startswith("rediss://")
    if not rediss and (s.redis_ssl_cafile or s.redis_ssl_certfile or s.redis_ssl_keyfile):
        raise SettingsError(f"{PREFIX}REDIS_SSL_* are set but {PREFIX}REDIS_URL is not a rediss:// URL")
    for side, cert, key in (("BROKER", s.broker_ssl_certfile, s.broker_ssl_keyfile),
                            ("REDIS", s.redis_ssl_certfile, s.redis_ssl_keyfile)):
        if (cert is None) != (key is None):
            raise SettingsError(f"{PREFIX}{side}_SSL_CERTFILE and {PREFIX}{side}_SSL_KEYFILE go together")
    if s.broker_url is None and s.broker_security_protocol != "PLAINTEXT":
        raise SettingsError(f"{PREFIX}BROKER_SECURITY_PROTOCOL={s.broker_security_protocol} needs "
                            f"{PREFIX}BROKER_URL: the embedded broker speaks plain text only")
