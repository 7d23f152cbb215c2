"""HTTP-level sign-in for the streamable HTTP transport.

A request that carries a bearer token has it verified as the API verifies it; a bad,
expired or ended token answers 401 (403 for a disabled account) before MCP sees the
request, as the MCP authorization rules ask. A request without a token may still use the
program's tools (they need no sign-in), but a call of a per-user tool answers 401 too.
"""

from __future__ import annotations

import json
from collections.abc import Collection

from fastapi import HTTPException
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from workout_api.auth.dependencies import bearer_token, unauthorized, user_for_token
from workout_api.auth.tokens import TokenType
from workout_api.database import SessionFactory
from workout_api.mcp.identity import SIGN_IN_OVER_HTTP
from workout_api.settings import Settings

# Larger bodies are left to the tool, which refuses them with the same detail.
MAX_INSPECTED_BODY = 4 * 1024 * 1024


def _called_tools(body: bytes) -> set[str]:
    """Names of the tools a JSON-RPC message (or batch) calls."""
    try:
        message = json.loads(body)
    except ValueError:
        return set()
    messages = message if isinstance(message, list) else [message]
    names = set()
    for item in messages:
        if isinstance(item, dict) and item.get("method") == "tools/call":
            params = item.get("params")
            if isinstance(params, dict) and isinstance(params.get("name"), str):
                names.add(params["name"])
    return names


class BearerTokenGate:
    def __init__(
        self,
        app: ASGIApp,
        *,
        session_factory: SessionFactory,
        settings: Settings,
        user_tools: Collection[str],
    ) -> None:
        self.app = app
        self.session_factory = session_factory
        self.settings = settings
        self.user_tools = frozenset(user_tools)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        authorization = Headers(scope=scope).get("authorization")
        try:
            if authorization is not None:
                await self._verify(authorization)
            elif scope["method"] == "POST":
                receive = await self._refuse_user_tools(receive)
        except HTTPException as exc:
            response = JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _verify(self, authorization: str) -> None:
        token = bearer_token(authorization)
        if token is None:
            raise unauthorized("Authorization must be 'Bearer <access token>'")
        async with self.session_factory() as session:
            await user_for_token(
                token, expected=TokenType.ACCESS, session=session, settings=self.settings
            )

    async def _refuse_user_tools(self, receive: Receive) -> Receive:
        """401 for a call of a per-user tool; otherwise the messages read, replayed."""
        received: list[Message] = []
        size = 0
        while size <= MAX_INSPECTED_BODY:
            message = await receive()
            received.append(message)
            if message["type"] != "http.request":
                return _replay(received, receive)
            size += len(message.get("body", b""))
            if not message.get("more_body", False):
                break
        else:
            return _replay(received, receive)
        body = b"".join(m.get("body", b"") for m in received)
        if _called_tools(body) & self.user_tools:
            raise unauthorized(SIGN_IN_OVER_HTTP)
        return _replay(received, receive)


def _replay(received: list[Message], receive: Receive) -> Receive:
    """A ``receive`` that gives the messages already read, then the rest."""
    queue = list(received)

    async def replayed() -> Message:
        if queue:
            return queue.pop(0)
        return await receive()

    return replayed
