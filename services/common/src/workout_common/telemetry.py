"""OpenTelemetry setup shared by every service, configured by the standard ``OTEL_*`` variables.

A tracer provider is always installed so that W3C ``traceparent`` propagates and log lines
carry span ids; spans are exported over OTLP/HTTP only when an OTLP endpoint is configured,
and recorded at all only while something (an exporter, a test's collector) receives them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import weakref
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, Tracer, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import Decision, Sampler, SamplingResult

from workout_common.trace_context import (
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


class ReceiverGate(Sampler):
    """Drops every span until a span processor that receives spans is attached.

    Without an exporter a recorded span is built, stamped and thrown away; a dropped one
    still has ids, so ``traceparent`` propagation and the ids in log lines are unchanged.
    Once open, the configured sampler (``OTEL_TRACES_SAMPLER``) decides.
    """

    def __init__(self, delegate: Sampler) -> None:
        self.delegate = delegate
        self.open = False

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: Any = None,
        attributes: Any = None,
        links: Sequence[Any] | None = None,
        trace_state: Any = None,
    ) -> SamplingResult:
        if not self.open:
            return SamplingResult(Decision.DROP)
        return self.delegate.should_sample(
            parent_context, trace_id, name, kind, attributes, links, trace_state
        )

    def get_description(self) -> str:
        return f"ReceiverGate{{{self.delegate.get_description()}}}"


class GatedTracer(Tracer):
    """While its gate is closed, starts unrecorded spans that carry the sampling decision on.

    A closed gate is this process's business: the ``traceparent`` it sends says what the
    configured sampler decided (for a caller's span, what the caller decided), so a service
    that does export still traces the requests this one makes.
    """

    def start_span(
        self,
        name: str,
        context: Context | None = None,
        kind: trace.SpanKind = trace.SpanKind.INTERNAL,
        attributes: Any = None,
        links: Sequence[Any] | None = None,
        start_time: int | None = None,
        record_exception: bool = True,
        set_status_on_exception: bool = True,
    ) -> trace.Span:
        gate = self.sampler
        if not isinstance(gate, ReceiverGate) or gate.open:
            return super().start_span(
                name,
                context,
                kind,
                attributes,
                links,
                start_time,
                record_exception,
                set_status_on_exception,
            )
        parent = trace.get_current_span(context).get_span_context()
        trace_id = parent.trace_id if parent.is_valid else self.id_generator.generate_trace_id()
        decided = gate.delegate.should_sample(context, trace_id, name, kind, attributes, links)
        flags = (
            trace.TraceFlags.SAMPLED
            if decided.decision is Decision.RECORD_AND_SAMPLE
            else trace.TraceFlags.DEFAULT
        )
        return trace.NonRecordingSpan(
            trace.SpanContext(
                trace_id,
                self.id_generator.generate_span_id(),
                is_remote=False,
                trace_flags=trace.TraceFlags(flags),
                trace_state=decided.trace_state,
            )
        )


class GatedTracerProvider(TracerProvider):
    """A tracer provider whose spans are recorded once a receiving span processor is added."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gate = ReceiverGate(self.sampler)
        self.sampler = self.gate

    def get_tracer(self, *args: Any, **kwargs: Any) -> trace.Tracer:
        tracer = super().get_tracer(*args, **kwargs)
        if type(tracer) is Tracer:
            # The SDK builds its tracers (its constructor differs between releases); this one
            # only changes how spans start while the gate is closed.
            tracer.__class__ = GatedTracer
        return tracer

    def add_span_processor(self, span_processor: SpanProcessor) -> None:
        super().add_span_processor(span_processor)
        if not isinstance(span_processor, TraceIdSpanProcessor):
            self.gate.open = True


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
    provider = GatedTracerProvider(resource=resource)
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
