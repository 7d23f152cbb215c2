"""Unhandled errors become a JSON 500 inside the middleware stack, so they still carry the
request id, the timing header and the metrics of a normal answer (every service installs it
innermost)."""

from __future__ import annotations

import logging

from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

from workout_common.http_middleware import HttpMiddleware

logger = logging.getLogger(__name__)


class ErrorBoundaryMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def track(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, track)
        except Exception:
            logger.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            response = JSONResponse({"detail": "Internal server error"}, status_code=500)
            await response(scope, receive, send)
