"""OpenTelemetry setup shared by every service, configured by the standard ``OTEL_*`` variables.

A tracer provider is always installed so that W3C ``traceparent`` propagates and log lines
carry span ids; spans are exported over OTLP/HTTP only when an OTLP endpoint is configured.
"""

from __future__ import annotations

import contextlib
import logging
import os
import weakref
from collections.abc import Iterator, Mapping
from typing import Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from workout_common.trace_context import (
    TRACE_HEADER,
    TRACE_ID_SPAN_ATTRIBUTE,
    current_trace_id,
    new_trace_id,
    reset_trace_id,
    sanitize_trace_id,
    set_trace_id,
)

logger = logging.getLogger(__name__)

SERVICE_NAMESPACE = "workout-tracker"
_OTLP_ENDPOINT_VARS = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
_TRACE_HEADER_BYTES = TRACE_HEADER.lower().encode("latin-1")
_instrumented_libraries = False
_instrumented_engines: weakref.WeakSet[Any] = weakref.WeakSet()


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


def build_tracer_provider(service_name: str) -> TracerProvider:
    """A tracer provider for ``service_name``, configured by the ``OTEL_*`` variables.

    Sampling follows ``OTEL_TRACES_SAMPLER``/``OTEL_TRACES_SAMPLER_ARG`` (default: always,
    honouring the caller's decision); spans go to ``OTEL_EXPORTER_OTLP_ENDPOINT`` over
    OTLP/HTTP when one is set, and nowhere otherwise.
    """
    resource = Resource.create(
        {
            "service.name": os.environ.get("OTEL_SERVICE_NAME", service_name),
            "service.namespace": SERVICE_NAMESPACE,
        }
    )
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(TraceIdSpanProcessor())
    if otlp_export_enabled():
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        protocol = os.environ.get(
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL", "")
        )
        if protocol and protocol != "http/protobuf":
            logger.warning(
                "OpenTelemetry: OTLP protocol %r is not available, exporting with http/protobuf "
                "(point the endpoint at the collector's HTTP port, usually 4318)",
                protocol,
            )

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        logger.info("OpenTelemetry: exporting spans of %s over OTLP", service_name)
    return provider


def setup_tracer_provider(service_name: str) -> TracerProvider:
    """Install (once per process) the global tracer provider for ``service_name``."""
    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):
        return current
    provider = build_tracer_provider(service_name)
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


def setup_telemetry(service_name: str) -> TracerProvider:
    """Tracer provider plus httpx/Redis instrumentation, for processes without a web app."""
    provider = setup_tracer_provider(service_name)
    instrument_libraries()
    return provider


def stamp_server_span(span: Any, scope: Mapping[str, Any]) -> None:
    """Record the caller's ``X-Trace-Id`` on the request's server span.

    Runs as the FastAPI instrumentation's request hook, so the attribute is set even
    when no middleware of the application reads the header.
    """
    if span is None or not span.is_recording():
        return
    for name, value in scope.get("headers") or ():
        if name.lower() == _TRACE_HEADER_BYTES:
            trace_id = sanitize_trace_id(value.decode("latin-1"))
            if trace_id:
                span.set_attribute(TRACE_ID_SPAN_ATTRIBUTE, trace_id)
            return


def instrument_fastapi(app: Any, service_name: str, *, message_spans: bool = True) -> None:
    """Trace every request of ``app`` (excluding probes and scrapes).

    ``message_spans=False`` leaves out the internal ``http send``/``http receive`` spans
    the instrumentation makes for every ASGI message: a hot service pays for three or
    more spans per request otherwise, and the server span already holds the status.
    """
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    setup_telemetry(service_name)
    FastAPIInstrumentor.instrument_app(
        app,
        excluded_urls="health,metrics",
        server_request_hook=stamp_server_span,
        exclude_spans=None if message_spans else ["receive", "send"],
    )


def instrument_sqlalchemy(engine: Any) -> None:
    """Trace the statements run on ``engine`` (an ``AsyncEngine`` or ``Engine``).

    Each engine is instrumented on its own: ``SQLAlchemyInstrumentor().instrument()``
    works once per process, so a second application (tests, workers) would go untraced.
    """
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
    from opentelemetry.instrumentation.sqlalchemy.version import (
        __version__ as instrumentation_version,
    )
    from opentelemetry.metrics import get_meter

    sync_engine = getattr(engine, "sync_engine", engine)
    if sync_engine in _instrumented_engines:
        return
    module = "opentelemetry.instrumentation.sqlalchemy"
    tracer = trace.get_tracer(module, instrumentation_version)
    connections_usage = get_meter(module, instrumentation_version).create_up_down_counter(
        name="db.client.connections.usage",
        unit="connections",
        description="The number of connections that are currently in the state described by the state attribute.",
    )
    EngineTracer(tracer, sync_engine, connections_usage)  # type: ignore[no-untyped-call]
    _instrumented_engines.add(sync_engine)


@contextlib.contextmanager
def operation_span(
    name: str,
    *,
    trace_id: str | None = None,
    attributes: Mapping[str, str | int | float | bool] | None = None,
) -> Iterator[Any]:
    """A span for work that no request started (a scheduled task, a reconcile).

    The work gets an ``X-Trace-Id`` of its own (``trace_id``, the current one, or a new
    one), so its log lines and the calls it makes to other services carry it, and every
    span under it (httpx, Redis, SQL) belongs to one OpenTelemetry trace.
    """
    token = set_trace_id(sanitize_trace_id(trace_id) or current_trace_id() or new_trace_id())
    try:
        tracer = trace.get_tracer("workout_common.telemetry")
        with tracer.start_as_current_span(name, attributes=dict(attributes or {})) as span:
            yield span
    finally:
        reset_trace_id(token)


def shutdown_telemetry() -> None:
    provider = trace.get_tracer_provider()
    if isinstance(provider, TracerProvider):
        provider.force_flush()
