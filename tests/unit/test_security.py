"""Kafka SASL/TLS and Redis TLS settings: bad values stop the program at start naming the
variable; good ones reach every client the scorer opens."""

from __future__ import annotations

import ssl
import subprocess
from pathlib import Path

import faust
import pytest
from faust.types.auth import AuthProtocol, SASLMechanism

from streams.worker import security
from streams.worker.settings import SettingsError, load

PREFIX = "RISKSCORER_"


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory) -> dict[str, Path]:
    """A self-signed certificate and its key, made by openssl for this test."""
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem")], check=True, capture_output=True)
    (d / "empty.pem").write_text("")
    return {"cert": d / "cert.pem", "key": d / "key.pem", "empty": d / "empty.pem"}


def env(**values: str | None) -> dict[str, str]:
    """Settings with a broker of its own (the embedded one speaks plain text only); None: unset."""
    return {PREFIX + k.upper(): v for k, v in {"broker_url": "k1:9093", **values}.items() if v is not None}


SASL = {"broker_security_protocol": "SASL_SSL", "broker_sasl_username": "scorer", "broker_sasl_password": "pw"}


@pytest.mark.parametrize(("values", "named"), [
    ({"broker_security_protocol": "TLS"}, "BROKER_SECURITY_PROTOCOL"),
    ({"broker_security_protocol": "sasl_ssl"}, "BROKER_SECURITY_PROTOCOL"),
    ({**SASL, "broker_sasl_mechanism": "SCRAM-SHA-1"}, "BROKER_SASL_MECHANISM"),
    ({"broker_security_protocol": "SASL_PLAINTEXT", "broker_sasl_username": "scorer"}, "BROKER_SASL_PASSWORD"),
    ({"broker_sasl_username": "scorer", "broker_sasl_password": "pw"}, "BROKER_SECURITY_PROTOCOL"),
    ({"broker_security_protocol": "SSL", "broker_ssl_cafile": "/nonexistent/ca.pem"}, "BROKER_SSL_CAFILE"),
    ({"broker_ssl_cafile": "{cert}"}, "BROKER_SSL_"),
    ({"broker_security_protocol": "SSL", "broker_ssl_certfile": "{cert}"}, "BROKER_SSL_KEYFILE"),
    ({"redis_url": "redis://r:6379/0", "redis_ssl_cafile": "{cert}"}, "REDIS_URL"),
    ({"redis_url": "rediss://r:6380/0", "redis_ssl_keyfile": "{key}"}, "REDIS_SSL_CERTFILE"),
    ({"redis_url": "rediss://r:6380/0", "redis_ssl_cafile": "/nonexistent"}, "REDIS_SSL_CAFILE"),
    ({"broker_security_protocol": "SSL", "broker_ssl_cafile": "{empty}"}, "BROKER_SSL_CAFILE"),
    ({"broker_security_protocol": "SSL", "broker_ssl_certfile": "{empty}", "broker_ssl_keyfile": "{key}"},
     "BROKER_SSL_CERTFILE"),
    ({"redis_url": "rediss://r:6380/0", "redis_ssl_cafile": "{key}"}, "REDIS_SSL_CAFILE"),
    ({"broker_sasl_mechanism": "SCRAM-SHA-256"}, "BROKER_SASL_MECHANISM"),
    ({"broker_url": None, "broker_security_protocol": "SSL"}, "BROKER_URL"),
])
def test_bad_security_settings_stop_the_program_naming_the_variable(tls_files, values, named):
    values = {k: v and v.format(**tls_files) for k, v in values.items()}
    with pytest.raises(SettingsError, match=named):
        load(env(**values))


def test_plain_text_by_default():
    settings = load({})
    assert security.faust_credentials(settings) is None
    assert security.aiokafka_options(settings) == {"security_protocol": "PLAINTEXT"}
    assert set(security.redis_options(settings)) == {"socket_timeout", "socket_connect_timeout"}


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_sasl_over_tls_reaches_faust_and_the_plain_clients(tls_files, mechanism):
    settings = load(env(**SASL, broker_sasl_mechanism=mechanism, broker_ssl_cafile=str(tls_files["cert"])))
    creds = security.faust_credentials(settings)
    assert isinstance(creds, faust.SASLCredentials)
    assert (creds.protocol, creds.mechanism) == (AuthProtocol.SASL_SSL, SASLMechanism(mechanism))
    assert (creds.username, creds.password) == ("scorer", "pw")
    options = security.aiokafka_options(settings)
    assert options["security_protocol"] == "SASL_SSL" and options["sasl_mechanism"] == mechanism
    assert (options["sasl_plain_username"], options["sasl_plain_password"]) == ("scorer", "pw")
    assert options["ssl_context"].verify_mode == ssl.CERT_REQUIRED and options["ssl_context"].check_hostname


def test_sasl_without_tls_and_tls_without_sasl(tls_files):
    plain = security.faust_credentials(load(env(**{**SASL, "broker_security_protocol": "SASL_PLAINTEXT"})))
    assert isinstance(plain, faust.SASLCredentials) and plain.protocol == AuthProtocol.SASL_PLAINTEXT
    tls = load(env(broker_security_protocol="SSL", broker_ssl_cafile=str(tls_files["cert"]),
                   broker_ssl_certfile=str(tls_files["cert"]), broker_ssl_keyfile=str(tls_files["key"])))
    assert isinstance(security.faust_credentials(tls), faust.SSLCredentials)
    assert "sasl_mechanism" not in security.aiokafka_options(tls)


def test_redis_tls_files_reach_the_client(tls_files):
    settings = load(env(redis_url="rediss://r:6380/0", redis_password="secret", redis_ssl_cafile=str(tls_files["cert"]),
                        redis_ssl_certfile=str(tls_files["cert"]), redis_ssl_keyfile=str(tls_files["key"])))
    options = security.redis_options(settings)
    assert (options["ssl_ca_certs"], options["ssl_keyfile"]) == (str(tls_files["cert"]), str(tls_files["key"]))
    assert options["password"] == "secret"
