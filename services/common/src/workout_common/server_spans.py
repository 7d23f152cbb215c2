"""One OpenTelemetry SERVER span per HTTP request, as a plain ASGI middleware.

The span continues the caller's W3C ``traceparent`` and is the current span while the
application runs, so SQL, Redis and outgoing HTTP spans are its children and log lines
carry its ids. Attributes are computed only for a span that is recorded: a request whose
span is dropped (sampled out, or nothing receives spans) pays for ids and a context switch.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from opentelemetry import context, propagate, trace
from opentelemetry.propagators.textmap import Getter
from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from workout_common.metrics import UNMATCHED_ROUTE, route_template
from workout_common.trace_context import (
    TRACE_HEADER,
    TRACE_ID_SPAN_ATTRIBUTE,
    sanitize_trace_id,
)

TRACER_NAME = "workout_common.server_spans"
_TRACE_HEADER_BYTES = TRACE_HEADER.lower().encode("latin-1")


class _ScopeHeaders(Getter[Scope]):
    """Reads propagation headers straight from the ASGI scope's header list."""

    def get(self, carrier: Scope, key: str) -> list[str] | None:
        wanted = key.lower().encode("latin-1")
        values = [v.decode("latin-1") for k, v in carrier.get("headers") or () if k == wanted]
        return values or None

    def keys(self, carrier: Scope) -> list[str]:
        return [k.decode("latin-1") for k, _ in carrier.get("headers") or ()]


_SCOPE_HEADERS = _ScopeHeaders()


def _caller_trace_id(headers: Iterable[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name.lower() == _TRACE_HEADER_BYTES:
            return sanitize_trace_id(value.decode("latin-1"))
    return None


def _request_attributes(scope: Scope, method: str) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "http.request.method": method,
        "url.path": scope.get("path", ""),
        "url.scheme": scope.get("scheme", "http"),
        "network.protocol.version": scope.get("http_version", "1.1"),
    }
    query = scope.get("query_string")
    if query:
        attributes["url.query"] = query.decode("latin-1")
    server = scope.get("server")
    if server:
        attributes["server.address"], attributes["server.port"] = server[0], server[1]
    client = scope.get("client")
    if client:
        attributes["client.address"] = client[0]
    caller_trace_id = _caller_trace_id(scope.get("headers") or ())
    if caller_trace_id:
        attributes[TRACE_ID_SPAN_ATTRIBUTE] = caller_trace_id
    return attributes


class ServerSpanMiddleware:
    """Traces every HTTP request except those to ``excluded_paths`` (probes, scrapes)."""

    def __init__(self, app: ASGIApp, excluded_paths: Iterable[str] = ()) -> None:
        self.app = app
        self.excluded_paths = frozenset(excluded_paths)
        self.tracer = trace.get_tracer(TRACER_NAME)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in self.excluded_paths:
            await self.app(scope, receive, send)
            return
        method = scope.get("method", "GET")
        parent = propagate.extract(scope, getter=_SCOPE_HEADERS)
        span = self.tracer.start_span(method, context=parent, kind=SpanKind.SERVER)
        token = context.attach(trace.set_span_in_context(span, parent))
        try:
            if span.is_recording():
                await self._traced(span, method, scope, receive, send)
            else:
                await self.app(scope, receive, send)
        finally:
            context.detach(token)
            span.end()

    async def _traced(
        self, span: trace.Span, method: str, scope: Scope, receive: Receive, send: Send
    ) -> None:
        span.set_attributes(_request_attributes(scope, method))
        app_root_path = scope.get("root_path", "")

        async def record_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status = int(message["status"])
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    span.set_status(Status(StatusCode.ERROR))
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        except BaseException as exc:
            span.record_exception(exc)
            span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            raise
        finally:
            route = route_template(scope, app_root_path)
            if route != UNMATCHED_ROUTE:
                span.set_attribute("http.route", route)
                span.update_name(f"{method} {route}")
