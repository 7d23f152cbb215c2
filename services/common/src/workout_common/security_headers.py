"""Headers every answer of an HTTP service carries, whatever route or error produced it.

The services answer JSON (and the API's ``/docs`` page): nothing is to be sniffed as another
type, framed by another site, or told where the caller came from.
"""

from __future__ import annotations

from starlette.types import Message, Receive, Scope, Send

from workout_common.http_middleware import HttpMiddleware

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
)


class SecurityHeadersMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)
