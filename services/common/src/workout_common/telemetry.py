"""OpenTelemetry setup shared by every service, configured by the standard ``OTEL_*`` variables.

A tracer provider is always installed so that W3C ``traceparent`` propagates and log lines
carry span ids; spans are exported over OTLP/HTTP only when an OTLP endpoint is configured.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from workout_common.trace_context import TRACE_ID_SPAN_ATTRIBUTE, current_trace_id

logger = logging.getLogger(__name__)

_OTLP_ENDPOINT_VARS = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
_instrumented_libraries = False


class TraceIdSpanProcessor(SpanProcessor):
    """Stamps every span started during a request with the request's ``X-Trace-Id``."""

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        trace_id = current_trace_id()
        if trace_id:
            span.set_attribute(TRACE_ID_SPAN_ATTRIBUTE, trace_id)

    def on_end(self, span: ReadableSpan) -> None:
        return None


def otlp_export_enabled() -> bool:
    if os.environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return False
    if os.environ.get("OTEL_TRACES_EXPORTER", "otlp").lower() == "none":
        return False
    return any(os.environ.get(name) for name in _OTLP_ENDPOINT_VARS)


def setup_tracer_provider(service_name: str) -> TracerProvider:
    """Install (once per process) the global tracer provider for ``service_name``."""
    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):
        return current
    resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", service_name)})
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(TraceIdSpanProcessor())
    if otlp_export_enabled():
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        logger.info("OpenTelemetry: exporting spans of %s over OTLP", service_name)
    trace.set_tracer_provider(provider)
    return provider


def instrument_libraries() -> None:
    """Instrument httpx and redis clients process-wide (idempotent)."""
    global _instrumented_libraries
    if _instrumented_libraries:
        return
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.redis import RedisInstrumentor

    HTTPXClientInstrumentor().instrument()
    RedisInstrumentor().instrument()
    _instrumented_libraries = True


def instrument_fastapi(app: Any, service_name: str) -> None:
    """Trace every request of ``app`` (excluding probes and scrapes)."""
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    setup_tracer_provider(service_name)
    instrument_libraries()
    FastAPIInstrumentor.instrument_app(app, excluded_urls="health,metrics")


def instrument_sqlalchemy(engine: Any) -> None:
    """Trace the statements run on ``engine`` (an ``AsyncEngine`` or ``Engine``)."""
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    sync_engine = getattr(engine, "sync_engine", engine)
    SQLAlchemyInstrumentor().instrument(engine=sync_engine)


def shutdown_telemetry() -> None:
    provider = trace.get_tracer_provider()
    if isinstance(provider, TracerProvider):
        provider.force_flush()
