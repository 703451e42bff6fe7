"""The broker side of Kafka's SASL exchange, for the SASL proxy of the tests: PLAIN, and
SCRAM-SHA-256/512 per RFC 5802 and RFC 7677, over SaslHandshake v1 and SaslAuthenticate v0-1.

No I/O here: `SaslServer.handle` takes one request frame and returns the response frame and
whether the connection goes on; `patch_api_versions` rewrites the broker's ApiVersions answer
so that clients see the SASL versions this server speaks (the broker behind it has its own).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from dataclasses import dataclass, field

API_VERSIONS, SASL_HANDSHAKE, SASL_AUTHENTICATE = 18, 17, 36
# What this server speaks. SaslHandshake v0 would carry the tokens without Kafka framing: not offered.
SASL_VERSIONS = {SASL_HANDSHAKE: (1, 1), SASL_AUTHENTICATE: (0, 1)}
UNSUPPORTED_SASL_MECHANISM, ILLEGAL_SASL_STATE, SASL_AUTHENTICATION_FAILED = 33, 34, 58
SCRAM_HASHES = {"SCRAM-SHA-256": "sha256", "SCRAM-SHA-512": "sha512"}
MECHANISMS = ("PLAIN", *SCRAM_HASHES)
ITERATIONS = 4096  # Kafka's minimum for SCRAM credentials
FAILED = "Authentication failed: Invalid username or password"  # Apache Kafka's own wording


@dataclass(frozen=True)
class Request:
    api_key: int
    api_version: int
    correlation_id: int
    body: bytes  # after the request header (v1: no tagged fields)

    @classmethod
    def parse(cls, frame: bytes) -> Request:
        api_key, api_version, correlation_id, client_id_len = struct.unpack_from(">hhih", frame)
        return cls(api_key, api_version, correlation_id, frame[10 + max(client_id_len, 0):])


def _string(value: str | None) -> bytes:
    if value is None:
        return struct.pack(">h", -1)
    raw = value.encode()
    return struct.pack(">h", len(raw)) + raw


def _bytes(value: bytes) -> bytes:
    return struct.pack(">i", len(value)) + value


@dataclass(frozen=True)
class ScramCredential:
    """What a broker stores for a SCRAM user (RFC 5802 section 3): never the password."""

    salt: bytes
    iterations: int
    stored_key: bytes
    server_key: bytes

    @classmethod
    def make(cls, password: str, hash_name: str, salt: bytes | None = None) -> ScramCredential:
        salt = salt or secrets.token_bytes(16)
        salted = hashlib.pbkdf2_hmac(hash_name, password.encode(), salt, ITERATIONS)
        client_key = hmac.digest(salted, b"Client Key", hash_name)
        return cls(salt, ITERATIONS, hashlib.new(hash_name, client_key).digest(),
                   hmac.digest(salted, b"Server Key", hash_name))


def _scram_fields(message: str) -> dict[str, str]:
    return {part[0]: part[2:] for part in message.split(",") if len(part) >= 2 and part[1] == "="}


def _scram_name(raw: str) -> str:
    return raw.replace("=2C", ",").replace("=3D", "=")


@dataclass
class ScramExchange:
    """One server-side SCRAM exchange: client-first -> server-first, client-final -> server-final."""

    hash_name: str
    credentials: dict[str, ScramCredential]
    user: str = ""
    credential: ScramCredential | None = None
    auth_start: str = ""  # client-first-bare "," server-first
    nonce: str = ""
    gs2_header: str = ""  # "n,," or "y,,": echoed (base64) in the client-final's c=

    def first(self, client_first: str) -> str | None:
        """The server-first message, or None for a malformed client-first."""
        gs2_flag, _, rest = client_first.partition(",")
        _authzid, _, bare = rest.partition(",")
        fields = _scram_fields(bare)
        if gs2_flag not in ("n", "y") or "n" not in fields or not fields.get("r"):
            return None
        self.user = _scram_name(fields["n"])
        # An unknown user gets a credential no password matches, so the answer does not tell
        # whether the user exists (as Kafka does).
        self.credential = self.credentials.get(self.user) or ScramCredential.make(
            secrets.token_hex(16), self.hash_name)
        self.nonce = fields["r"] + secrets.token_urlsafe(18)
        server_first = (f"r={self.nonce},s={base64.b64encode(self.credential.salt).decode()},"
                        f"i={self.credential.iterations}")
        self.auth_start = f"{bare},{server_first}"
        self.gs2_header = client_first[: len(client_first) - len(bare)]
        return server_first

    def final(self, client_final: str) -> str | None:
        """The server-final message when the proof holds, else None."""
        without_proof, _, proof = client_final.rpartition(",p=")
        fields = _scram_fields(without_proof)
        credential = self.credential
        if (credential is None or fields.get("r") != self.nonce
                or fields.get("c") != base64.b64encode(self.gs2_header.encode()).decode()):
            return None
        auth_message = f"{self.auth_start},{without_proof}".encode()
        signature = hmac.digest(credential.stored_key, auth_message, self.hash_name)
        try:
            client_key = bytes(a ^ b for a, b in zip(base64.b64decode(proof, validate=True), signature, strict=True))
        except ValueError:
            return None
        if not hmac.compare_digest(hashlib.new(self.hash_name, client_key).digest(), credential.stored_key):
            return None
        server_signature = hmac.digest(credential.server_key, auth_message, self.hash_name)
        return f"v={base64.b64encode(server_signature).decode()}"


@dataclass
class SaslServer:
    """One connection's SASL state: handshake, then authenticate until done or refused."""

    users: dict[str, str]  # name -> password (PLAIN); SCRAM keeps only the derived credentials
    scram: dict[str, dict[str, ScramCredential]] = field(default_factory=dict)
    mechanism: str | None = None
    exchange: ScramExchange | None = None
    authenticated: bool = False

    def __post_init__(self) -> None:
        if not self.scram:
            self.scram = {mech: {u: ScramCredential.make(p, h) for u, p in self.users.items()}
                          for mech, h in SCRAM_HASHES.items()}

    def handle(self, request: Request) -> tuple[bytes | None, bool]:
        """The response frame (None: none is due) and whether the connection stays open."""
        if request.api_key == SASL_HANDSHAKE and self.mechanism is None and request.api_version == 1:
            return self._handshake(request)
        if request.api_key == SASL_AUTHENTICATE and self.mechanism and request.api_version <= 1:
            return self._authenticate(request)
        # Anything else before authentication is refused by closing, as Kafka does.
        return None, False

    def _handshake(self, request: Request) -> tuple[bytes, bool]:
        (length,) = struct.unpack_from(">h", request.body)
        wanted = request.body[2:2 + length].decode()
        ok = wanted in MECHANISMS
        self.mechanism = wanted if ok else None
        body = struct.pack(">hi", 0 if ok else UNSUPPORTED_SASL_MECHANISM, len(MECHANISMS))
        body += b"".join(_string(m) for m in MECHANISMS)
        return struct.pack(">i", request.correlation_id) + body, ok

    def _authenticate(self, request: Request) -> tuple[bytes, bool]:
        (length,) = struct.unpack_from(">i", request.body)
        token = request.body[4:4 + length]
        reply = self._step(token)
        error, message = (0, None) if reply is not None else (SASL_AUTHENTICATION_FAILED, FAILED)
        body = struct.pack(">h", error) + _string(message) + _bytes((reply or "").encode())
        if request.api_version >= 1:
            body += struct.pack(">q", 0)  # session lifetime: no re-authentication asked
        return struct.pack(">i", request.correlation_id) + body, reply is not None

    def _step(self, token: bytes) -> str | None:
        """The server's answer to one token, or None when authentication fails."""
        if self.mechanism == "PLAIN":
            _authzid, user, password = (token.split(b"\0") + [b"", b""])[:3]
            expected = self.users.get(user.decode(errors="replace"))
            self.authenticated = expected is not None and hmac.compare_digest(expected.encode(), password)
            return "" if self.authenticated else None
        assert self.mechanism is not None
        if self.exchange is None:
            self.exchange = ScramExchange(SCRAM_HASHES[self.mechanism], self.scram[self.mechanism])
            return self.exchange.first(token.decode(errors="replace"))
        reply = self.exchange.final(token.decode(errors="replace"))
        self.authenticated = reply is not None
        return reply


def _uvarint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def _write_uvarint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _skip_tagged(data: bytes, pos: int) -> int:
    count, pos = _uvarint(data, pos)
    for _ in range(count):
        _tag, pos = _uvarint(data, pos)
        size, pos = _uvarint(data, pos)
        pos += size
    return pos


def patch_api_versions(frame: bytes, version: int) -> bytes:
    """The broker's ApiVersions response frame with SaslHandshake and SaslAuthenticate set to the
    versions this server speaks (added when the broker has none). Errors pass unchanged."""
    flexible = version >= 3
    (error,) = struct.unpack_from(">h", frame, 4)
    if error:
        return frame
    count, pos = _uvarint(frame, 6) if flexible else (struct.unpack_from(">i", frame, 6)[0] + 1, 10)
    entries: dict[int, bytes] = {}
    for _ in range(count - 1):
        start = pos
        api_key = struct.unpack_from(">h", frame, pos)[0]
        pos = _skip_tagged(frame, pos + 6) if flexible else pos + 6
        entries[api_key] = frame[start:pos]
    for api_key, (low, high) in SASL_VERSIONS.items():
        entries[api_key] = struct.pack(">hhh", api_key, low, high) + (b"\0" if flexible else b"")
    size = _write_uvarint(len(entries) + 1) if flexible else struct.pack(">i", len(entries))
    return frame[:6] + size + b"".join(entries[k] for k in sorted(entries)) + frame[pos:]
