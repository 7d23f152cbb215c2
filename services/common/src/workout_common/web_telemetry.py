"""Tracing of a FastAPI application: one server span per request (the ``web`` extra)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workout_common.request_context import QUIET_PATHS
from workout_common.server_spans import ServerSpanMiddleware
from workout_common.telemetry import setup_telemetry

if TYPE_CHECKING:
    from fastapi import FastAPI
    from fastapi.telemetry import TelemetryConfig

# FastAPI's built-in telemetry builds its span attributes and a span per dependency before
# any sampling decision; ``ServerSpanMiddleware`` does the tracing instead, so an
# application is created with ``FastAPI(telemetry=FASTAPI_TELEMETRY_OFF)``.
FASTAPI_TELEMETRY_OFF: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}


def instrument_fastapi(app: FastAPI, service_name: str) -> None:
    """Trace every request of ``app`` (probes and scrapes excepted) with one server span.

    Call it after the application's own middleware is added: the span is then the
    outermost layer, current while that middleware runs.
    """
    native = getattr(app, "_telemetry", {})
    if any(native.get(signal) for signal in FASTAPI_TELEMETRY_OFF):
        raise ValueError(
            "create the application with FastAPI(telemetry=FASTAPI_TELEMETRY_OFF): "
            "its built-in telemetry would trace every request a second time"
        )
    setup_telemetry(service_name)
    app.add_middleware(ServerSpanMiddleware, excluded_paths=QUIET_PATHS)
