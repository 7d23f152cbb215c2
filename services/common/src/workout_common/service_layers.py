"""The layers every HTTP service of the platform wraps its FastAPI app in (the ``web`` extra).

From the outside in: the server span; the request context (``X-Trace-Id`` read once,
``X-Request-Id``, ``X-Response-Time``, the access line); the security headers; the metrics;
CORS where a browser calls the service; the header and body limits; the error boundary, so an
unhandled error becomes a JSON 500 that still passes through every layer above it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from starlette.middleware.cors import CORSMiddleware

from workout_common.error_boundary import ErrorBoundaryMiddleware
from workout_common.metrics import PrometheusMiddleware
from workout_common.request_context import RequestContextMiddleware
from workout_common.request_limits import DEFAULT_MAX_BODY_BYTES, RequestLimitsMiddleware
from workout_common.security_headers import SecurityHeadersMiddleware
from workout_common.web_telemetry import instrument_fastapi

if TYPE_CHECKING:
    from fastapi import FastAPI


def install_service_layers(
    app: FastAPI,
    *,
    service: str,
    span_service: str,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    streamed_bodies: Mapping[str, int] | None = None,
    cors: Mapping[str, Any] | None = None,
) -> None:
    """``service`` labels the metrics, ``span_service`` names the traces; ``cors`` holds
    ``CORSMiddleware``'s options, for a service a browser calls."""
    # Starlette wraps the app in the order middleware is added: innermost first.
    app.add_middleware(ErrorBoundaryMiddleware)
    app.add_middleware(
        RequestLimitsMiddleware, max_body_bytes=max_body_bytes, streamed_bodies=streamed_bodies
    )
    if cors is not None:
        app.add_middleware(CORSMiddleware, **cors)
    app.add_middleware(PrometheusMiddleware, service=service)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(RequestContextMiddleware)
    instrument_fastapi(app, span_service)
