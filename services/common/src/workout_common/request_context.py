"""ASGI middleware: trace id in, ``X-Request-Id``/``X-Response-Time`` out, one log line."""

from __future__ import annotations

import logging
import time

from opentelemetry import trace
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from workout_common.http_middleware import HttpMiddleware
from workout_common.trace_context import (
    REQUEST_ID_HEADER,
    RESPONSE_TIME_HEADER,
    TRACE_HEADER,
    TRACE_ID_SPAN_ATTRIBUTE,
    new_trace_id,
    reset_trace_id,
    sanitize_trace_id,
    set_trace_id,
)

access_logger = logging.getLogger("workout.access")

QUIET_PATHS = frozenset({"/health", "/metrics", "/healthz", "/livez", "/readyz"})


class RequestContextMiddleware(HttpMiddleware):
    """Reads ``X-Trace-Id`` (or makes one), echoes it as ``X-Request-Id`` and times the request."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        trace_id = sanitize_trace_id(Headers(scope=scope).get(TRACE_HEADER)) or new_trace_id()
        token = set_trace_id(trace_id)
        span = trace.get_current_span()
        if span.is_recording():
            span.set_attribute(TRACE_ID_SPAN_ATTRIBUTE, trace_id)
        started = time.perf_counter()
        status_code = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID_HEADER] = trace_id
                elapsed_ms = (time.perf_counter() - started) * 1000
                headers[RESPONSE_TIME_HEADER] = f"{elapsed_ms:.2f}ms"
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            path = scope.get("path", "")
            level = logging.DEBUG if path in QUIET_PATHS else logging.INFO
            access_logger.log(
                level,
                "%s %s -> %d in %.2fms",
                scope.get("method", "-"),
                path,
                status_code,
                elapsed_ms,
            )
            reset_trace_id(token)
