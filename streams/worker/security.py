"""Encryption and authentication towards Kafka and Redis, from the settings.

One place maps the settings onto each client the scorer opens: Faust's own
(`broker_credentials`), the plain aiokafka clients (topic admin, offset-hole
refetch, the demo's reader) and Redis. With the defaults every client connects
in plain text, as before.
"""

from __future__ import annotations

import ssl
from typing import Any

import faust
from aiokafka.conn import create_conn
from aiokafka.errors import KafkaError, SaslAuthenticationFailed, UnsupportedSaslMechanismError
from aiokafka.helpers import create_ssl_context

from streams.worker.settings import PREFIX, Settings

SASL_PROTOCOLS = ("SASL_PLAINTEXT", "SASL_SSL")
TLS_PROTOCOLS = ("SSL", "SASL_SSL")


def kafka_ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """The TLS context of the Kafka clients (None: plain text). Verifies the broker's certificate
    against `BROKER_SSL_CAFILE` (else the system's CAs) and its host name."""
    if settings.broker_security_protocol not in TLS_PROTOCOLS:
        return None
    context: ssl.SSLContext = create_ssl_context(
        cafile=None if settings.broker_ssl_cafile is None else str(settings.broker_ssl_cafile),
        certfile=None if settings.broker_ssl_certfile is None else str(settings.broker_ssl_certfile),
        keyfile=None if settings.broker_ssl_keyfile is None else str(settings.broker_ssl_keyfile),
    )
    return context


def faust_credentials(settings: Settings) -> faust.types.auth.CredentialsT | None:
    """Faust's `broker_credentials`: its consumer, producer and admin client use them."""
    context = kafka_ssl_context(settings)
    if settings.broker_security_protocol in SASL_PROTOCOLS:
        return faust.SASLCredentials(username=settings.broker_sasl_username, password=settings.broker_sasl_password,
                                     ssl_context=context, mechanism=settings.broker_sasl_mechanism)
    if context is not None:
        return faust.SSLCredentials(context)
    return None


def aiokafka_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments of aiokafka's clients for the same security as Faust's."""
    options: dict[str, Any] = {"security_protocol": settings.broker_security_protocol}
    context = kafka_ssl_context(settings)
    if context is not None:
        options["ssl_context"] = context
    if settings.broker_security_protocol in SASL_PROTOCOLS:
        options.update(sasl_mechanism=settings.broker_sasl_mechanism,
                       sasl_plain_username=settings.broker_sasl_username,
                       sasl_plain_password=settings.broker_sasl_password)
    return options


def redis_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments of `Redis.from_url` besides the URL: timeouts, and TLS files for a
    `rediss://` URL, and the password when set apart from the URL."""
    options: dict[str, Any] = {"socket_timeout": settings.redis_timeout_s,
                               "socket_connect_timeout": settings.redis_timeout_s}
    if settings.redis_password is not None:
        options["password"] = settings.redis_password
    for name, path in (("ssl_ca_certs", settings.redis_ssl_cafile), ("ssl_certfile", settings.redis_ssl_certfile),
                       ("ssl_keyfile", settings.redis_ssl_keyfile)):
        if path is not None:
            options[name] = str(path)
    return options


class BrokerAuthError(RuntimeError):
    """The broker refused the SASL credentials or mechanism: retrying with them cannot help until
    they are changed on one side or the other."""


async def check_login(settings: Settings) -> None:
    """Raise `BrokerAuthError`, naming the settings, when the first broker refuses our SASL login.
    Nothing when it accepts it, cannot be reached, or SASL is off: aiokafka itself only logs a
    refusal and then reports the broker unreachable."""
    if settings.broker_security_protocol not in SASL_PROTOCOLS:
        return
    host, _, port = settings.broker_hosts[0].rpartition(":")
    try:
        conn = await create_conn(host, int(port), **aiokafka_options(settings))
    except (SaslAuthenticationFailed, UnsupportedSaslMechanismError) as exc:
        raise BrokerAuthError(
            f"SASL authentication failed: the broker at {host}:{port} refused {PREFIX}BROKER_SASL_USERNAME / "
            f"{PREFIX}BROKER_SASL_PASSWORD with {PREFIX}BROKER_SASL_MECHANISM={settings.broker_sasl_mechanism}: "
            f"{exc}") from None
    except (OSError, KafkaError):  # TimeoutError included
        return  # not a refusal
    conn.close()
