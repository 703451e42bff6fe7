"""A SASL-terminating endpoint in front of the plain-text broker, for the SASL tests.

The embedded broker (tansu 0.6) cannot be given a user in this build: it offers no PLAIN, its
SCRAM users are created through the broker itself, which refuses that call from an
unauthenticated client once authentication is on, and its memory storage does not outlive a
restart. So the tests put this in front of it, as deployments put a SASL-terminating proxy in
front of brokers: it answers SaslHandshake and SaslAuthenticate itself (PLAIN, SCRAM-SHA-256,
SCRAM-SHA-512; see `sasl_server`), forwards ApiVersions with the SASL versions it speaks,
closes the connection on bad credentials or on any other request before authentication, and
after success passes bytes through. Users come from the environment, `SASL_PROXY_USERS`
(`name:password` pairs separated by spaces), so no password shows in a process list.

    python -m tests.integration.sasl_proxy LISTEN_PORT TARGET_PORT
"""

from __future__ import annotations

import asyncio
import os
import struct
import subprocess
import sys

from streams.commands import embedded
from tests.integration.sasl_server import API_VERSIONS, Request, SaslServer, patch_api_versions
from tests.integration.tls_proxy import open_target, pipe

MAX_FRAME = 1 << 20  # a request before authentication is small; a bigger one is refused


def start(listen: int, target: int, users: dict[str, str]) -> embedded.Service:
    """This proxy in a process of its own on `listen`, for the broker on `target`. `stop()` ends it."""
    env = {**os.environ, "SASL_PROXY_USERS": " ".join(f"{u}:{p}" for u, p in users.items())}
    proc = subprocess.Popen([sys.executable, "-m", "tests.integration.sasl_proxy", str(listen), str(target)], env=env)
    embedded._wait_for_port(listen, proc, "SASL proxy", 10)
    return embedded.Service("sasl-proxy", listen, proc)


async def read_frame(reader: asyncio.StreamReader) -> bytes:
    (size,) = struct.unpack(">i", await reader.readexactly(4))
    if not 0 < size <= MAX_FRAME:
        raise ConnectionError(f"frame of {size} bytes before authentication")
    return await reader.readexactly(size)


def frame(payload: bytes) -> bytes:
    return struct.pack(">i", len(payload)) + payload


async def authenticate(client: tuple[asyncio.StreamReader, asyncio.StreamWriter],
                       broker: tuple[asyncio.StreamReader, asyncio.StreamWriter],
                       sasl: SaslServer) -> bool:
    """Run the client's requests until it has authenticated (True) or is refused (False)."""
    while not sasl.authenticated:
        payload = await read_frame(client[0])
        request = Request.parse(payload)
        if request.api_key == API_VERSIONS and sasl.mechanism is None:
            broker[1].write(frame(payload))
            client[1].write(frame(patch_api_versions(await read_frame(broker[0]), request.api_version)))
            continue
        response, go_on = sasl.handle(request)
        if response is not None:
            client[1].write(frame(response))
            await client[1].drain()
        if not go_on:
            print(f"sasl proxy: refused api_key={request.api_key} mechanism={sasl.mechanism}", file=sys.stderr)
            return False
    return True


async def main(listen: int, target: int, users: dict[str, str]) -> None:
    async def serve(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        if (opened := await open_target(target, client_w)) is None:
            return
        broker_r, broker_w = opened
        try:
            ok = await authenticate((client_r, client_w), (broker_r, broker_w), SaslServer(users))
        except (ConnectionError, asyncio.IncompleteReadError, struct.error, ValueError, KeyError):
            ok = False
        if not ok:
            client_w.close()
            broker_w.close()
            return
        await asyncio.gather(pipe(client_r, broker_w), pipe(broker_r, client_w))

    server = await asyncio.start_server(serve, "127.0.0.1", listen)
    async with server:
        await server.serve_forever()


def users_from_env() -> dict[str, str]:
    pairs = (item.partition(":") for item in os.environ.get("SASL_PROXY_USERS", "").split())
    return {name: password for name, _, password in pairs}


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), users_from_env()))
