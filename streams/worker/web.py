"""The scorer's pages on the worker's web server.

`GET /accounts/{account}/risk`, the support lookup, answers from Redis, so any
worker can serve any account. Protected by a bearer token
(`RISKSCORER_API_TOKEN`); with no token configured the endpoint does not exist.

`GET /ready`, for orchestrators' readiness probes: 200 while Redis and the
broker answer, 503 naming the unreachable ones otherwise. It tells nothing
about accounts, so it needs no token.
"""

from __future__ import annotations

import hmac
from typing import Any

import faust
from faust.web import Request, Response, View

from streams.adapters.profiles import ProfileStore
from streams.batch.schemas.fields import ID_MAX, Field, accepts
from streams.worker.health import Health, dependency_of


def readiness(app: faust.App, health: Health) -> None:
    @app.page("/ready")
    async def ready(web: View, request: Request) -> Response:
        down = sorted(health.down)
        return web.json({"ready": not down, "down": down}, status=503 if down else 200)


def _token(header: str) -> bytes:
    """The token of an `Authorization: Bearer <token>` header (the scheme in any case), as bytes
    whatever the header's encoding; b"" when it is not a bearer token."""
    scheme, _, token = header.partition(" ")
    return token.strip().encode("utf-8", "surrogateescape") if scheme.lower() == "bearer" else b""


def register(app: faust.App, profiles: ProfileStore, token: str | None) -> None:
    if not token:
        return
    expected = token.encode("utf-8", "surrogateescape")
    is_id = accepts(Field("account_id", "id"))  # as the input topics take an id

    @app.page("/accounts/{account}/risk")
    async def account_risk(web: View, request: Request, account: str) -> Response:
        if not hmac.compare_digest(_token(request.headers.get("Authorization", "")), expected):
            return web.json({"error": "missing or wrong bearer token"}, status=401)
        if not is_id(account, 0):
            return web.json({"error": f"not an account id: 1 to {ID_MAX} printable characters"}, status=400)
        try:
            profile = await profiles.read(account)
        except Exception as exc:
            if dependency_of(exc) is None:
                raise
            return web.json({"error": "redis unreachable: try again later"}, status=503)
        if profile is None:
            return web.json({"account_id": account, "known": False}, status=404)
        return web.json(_view(account, profile))


def _view(account: str, profile: dict[str, Any]) -> dict[str, Any]:
    scores = {policy: {"score": value, "updated_ts": int(ts)}
              for policy, (value, ts) in profile.get("scores", {}).items()}
    return {
        "account_id": account,
        "known": True,
        "scores": scores,
        "open_escalations": profile.get("escalations", []),
        "recent_signals": profile.get("signals", {}),
    }
