"""Tracing: X-Trace-Id on spans, traceparent across services, SQL and Redis spans, OTLP export."""

from __future__ import annotations

import logging
import re
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from fastapi import FastAPI, Request
from opentelemetry import propagate, trace
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from workout_common.http_client import service_client
from workout_common.request_context import RequestContextMiddleware
from workout_common.telemetry import (
    build_tracer_provider,
    instrument_sqlalchemy,
    operation_span,
    otlp_export_enabled,
)
from workout_common.trace_context import TRACE_ID_SPAN_ATTRIBUTE, current_trace_id
from workout_common.urls import async_database_url
from workout_common.web_telemetry import FASTAPI_TELEMETRY_OFF, instrument_fastapi
from workout_testkit.otlp_receiver import OtlpReceiver

TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")


def trace_hex(span: ReadableSpan) -> str:
    assert span.context is not None
    return format(span.context.trace_id, "032x")


def server_spans(spans: list[ReadableSpan]) -> list[ReadableSpan]:
    return [s for s in spans if s.kind is SpanKind.SERVER]


def asgi_client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_server_span_records_the_callers_trace_id_without_any_middleware(
    finished_spans: list[ReadableSpan],
) -> None:
    app = FastAPI(telemetry=FASTAPI_TELEMETRY_OFF)

    @app.get("/items/{item_id}")
    async def read_item(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    instrument_fastapi(app, "bare-service")
    async with asgi_client(app) as client:
        assert (await client.get("/items/4", headers={"X-Trace-Id": "abc123"})).status_code == 200

    (server,) = server_spans(finished_spans)
    assert server.attributes is not None
    assert server.attributes[TRACE_ID_SPAN_ATTRIBUTE] == "abc123"
    assert server.attributes["http.route"] == "/items/{item_id}"


async def test_generated_trace_id_is_on_the_span_and_in_x_request_id(
    finished_spans: list[ReadableSpan],
) -> None:
    app = FastAPI(telemetry=FASTAPI_TELEMETRY_OFF)

    @app.get("/ping")
    async def ping() -> dict[str, str]:
        return {"ok": "yes"}

    app.add_middleware(RequestContextMiddleware)
    instrument_fastapi(app, "generated-id-service")
    async with asgi_client(app) as client:
        answer = await client.get("/ping")

    request_id = answer.headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{8}", request_id)
    spans = [s for s in finished_spans if s.attributes]
    assert spans
    assert {s.attributes[TRACE_ID_SPAN_ATTRIBUTE] for s in spans} == {request_id}  # type: ignore[index]


async def test_trace_id_and_traceparent_reach_the_downstream_service(
    finished_spans: list[ReadableSpan], serve_app: Any
) -> None:
    downstream = FastAPI(telemetry=FASTAPI_TELEMETRY_OFF)

    @downstream.get("/echo")
    async def echo(request: Request) -> dict[str, str | None]:
        return {
            "traceparent": request.headers.get("traceparent"),
            "x_trace_id": request.headers.get("x-trace-id"),
            "seen_trace_id": current_trace_id(),
        }

    downstream.add_middleware(RequestContextMiddleware)
    instrument_fastapi(downstream, "downstream-service")

    async with serve_app(downstream) as downstream_url:
        upstream = FastAPI(telemetry=FASTAPI_TELEMETRY_OFF)

        @upstream.get("/call")
        async def call() -> Any:
            async with service_client(downstream_url, timeout=5, user_agent="t") as http:
                return (await http.get("/echo")).json()

        upstream.add_middleware(RequestContextMiddleware)
        instrument_fastapi(upstream, "upstream-service")
        async with asgi_client(upstream) as client:
            answer = await client.get("/call", headers={"X-Trace-Id": "abc123"})

    seen = answer.json()
    assert seen["x_trace_id"] == "abc123"
    assert seen["seen_trace_id"] == "abc123"
    match = TRACEPARENT.match(seen["traceparent"] or "")
    assert match, seen["traceparent"]

    (upstream_server,) = [s for s in server_spans(finished_spans) if s.name == "GET /call"]
    (downstream_server,) = [s for s in server_spans(finished_spans) if s.name == "GET /echo"]
    (client_span,) = [s for s in finished_spans if s.kind is SpanKind.CLIENT]
    assert match.group(1) == trace_hex(upstream_server)
    assert trace_hex(downstream_server) == trace_hex(upstream_server)
    assert downstream_server.parent is not None
    assert client_span.context is not None
    assert downstream_server.parent.span_id == client_span.context.span_id
    one_trace = [s for s in finished_spans if trace_hex(s) == trace_hex(upstream_server)]
    assert len(one_trace) >= 3
    for span in one_trace:
        assert span.attributes is not None
        assert span.attributes.get(TRACE_ID_SPAN_ATTRIBUTE) == "abc123", span.name


async def test_every_engine_gets_sql_spans_once_under_the_current_span(
    finished_spans: list[ReadableSpan], postgres_url: str, sqlite_url: str
) -> None:
    engines = [
        create_async_engine(async_database_url(postgres_url)),
        create_async_engine(async_database_url(sqlite_url)),
    ]
    for engine in engines:
        instrument_sqlalchemy(engine)
        instrument_sqlalchemy(engine)
    try:
        with operation_span("nightly", trace_id="sql-check") as parent:
            for engine in engines:
                async with engine.connect() as conn:
                    assert (await conn.execute(text("SELECT 1"))).scalar() == 1
    finally:
        for engine in engines:
            await engine.dispose()

    sql_spans = [
        s
        for s in finished_spans
        if s.attributes and "SELECT" in str(s.attributes.get("db.statement", ""))
    ]
    assert sorted(str(s.attributes["db.system"]) for s in sql_spans) == ["postgresql", "sqlite"]  # type: ignore[index]
    for span in sql_spans:
        assert span.parent is not None
        assert span.parent.span_id == parent.get_span_context().span_id
        assert span.attributes[TRACE_ID_SPAN_ATTRIBUTE] == "sql-check"  # type: ignore[index]


async def test_redis_commands_are_spans_of_the_current_trace(
    finished_spans: list[ReadableSpan], redis_url: str
) -> None:
    instrument_fastapi(FastAPI(telemetry=FASTAPI_TELEMETRY_OFF), "redis-check")
    client = aioredis.Redis.from_url(redis_url)
    try:
        with operation_span("warmup", trace_id="redis-check") as parent:
            await client.set("observability:probe", "1")
            assert await client.get("observability:probe") == b"1"
    finally:
        await client.aclose()

    redis_spans = [s for s in finished_spans if s.name in {"SET", "GET"}]
    assert [s.name for s in redis_spans] == ["SET", "GET"]
    for span in redis_spans:
        assert trace_hex(span) == format(parent.get_span_context().trace_id, "032x")
        assert span.attributes is not None
        assert span.attributes[TRACE_ID_SPAN_ATTRIBUTE] == "redis-check"


def test_operation_span_gives_work_a_trace_id_and_restores_the_previous_one(
    finished_spans: list[ReadableSpan],
) -> None:
    assert current_trace_id() is None
    with operation_span("refresh", attributes={"workout.task": "refresh"}):
        generated = current_trace_id()
        with trace.get_tracer("t").start_as_current_span("step"):
            pass
    assert current_trace_id() is None
    assert generated is not None
    assert re.fullmatch(r"[0-9a-f]{8}", generated)
    names = {s.name: s for s in finished_spans}
    assert names["refresh"].attributes == {
        "workout.task": "refresh",
        TRACE_ID_SPAN_ATTRIBUTE: generated,
    }
    assert names["step"].attributes == {TRACE_ID_SPAN_ATTRIBUTE: generated}


@pytest.mark.parametrize(
    ("env", "enabled"),
    [
        ({}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_SDK_DISABLED": "true"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_TRACES_EXPORTER": "none"}, False),
    ],
)
def test_otlp_export_is_on_only_when_an_endpoint_is_configured(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], enabled: bool
) -> None:
    for name in (
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_SDK_DISABLED",
        "OTEL_TRACES_EXPORTER",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert otlp_export_enabled() is enabled


def export_one_span(monkeypatch: pytest.MonkeyPatch, receiver: OtlpReceiver, **env: str) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint)
    monkeypatch.delenv("OTEL_SERVICE_NAME", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    provider = build_tracer_provider("export-check")
    try:
        # operation_span reports to the global provider; only "work" goes to this one.
        with (
            operation_span("exported", trace_id="otlp123"),
            provider.get_tracer("t").start_as_current_span("work"),
        ):
            pass
        provider.force_flush()
    finally:
        provider.shutdown()


def test_spans_are_exported_over_otlp_http_with_service_name_and_trace_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with OtlpReceiver() as receiver:
        export_one_span(monkeypatch, receiver)
        spans = receiver.snapshot()
    (span,) = spans
    assert span.name == "work"
    assert span.service == "export-check"
    assert span.attributes[TRACE_ID_SPAN_ATTRIBUTE] == "otlp123"


def test_sampling_follows_otel_traces_sampler(monkeypatch: pytest.MonkeyPatch) -> None:
    with OtlpReceiver() as receiver:
        export_one_span(
            monkeypatch, receiver, OTEL_TRACES_SAMPLER="traceidratio", OTEL_TRACES_SAMPLER_ARG="0"
        )
        assert receiver.snapshot() == []
        export_one_span(
            monkeypatch, receiver, OTEL_TRACES_SAMPLER="traceidratio", OTEL_TRACES_SAMPLER_ARG="1"
        )
        assert [s.name for s in receiver.snapshot()] == ["work"]


def test_an_unavailable_otlp_protocol_is_reported_not_silently_ignored(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with OtlpReceiver() as receiver:
        caplog.set_level(logging.WARNING, logger="workout_common.telemetry")
        export_one_span(monkeypatch, receiver, OTEL_EXPORTER_OTLP_PROTOCOL="grpc")
        assert [s.name for s in receiver.snapshot()] == ["work"]
    assert "'grpc' is not available" in caplog.text


def test_spans_are_recorded_only_once_something_receives_them() -> None:
    provider = build_tracer_provider("gate-check")
    tracer = provider.get_tracer("gate-check")
    with tracer.start_as_current_span("unheard") as span:
        assert not span.is_recording()
        # Still a real trace: ids for log lines and for traceparent to downstream services.
        assert span.get_span_context().is_valid

    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with tracer.start_as_current_span("heard") as span:
        assert span.is_recording()
    assert [s.name for s in exporter.get_finished_spans()] == ["heard"]


async def test_probes_are_not_traced_and_server_errors_are_marked(
    finished_spans: list[ReadableSpan],
) -> None:
    app = FastAPI(telemetry=FASTAPI_TELEMETRY_OFF)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "healthy"}

    @app.get("/broken")
    async def broken() -> None:
        raise RuntimeError("boom")

    instrument_fastapi(app, "errors-service")
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.get("/health")).status_code == 200
        assert (await client.get("/broken")).status_code == 500

    (server,) = server_spans(finished_spans)
    assert server.name == "GET /broken"
    assert server.status.status_code is StatusCode.ERROR
    assert [event.name for event in server.events] == ["exception"]


def test_an_app_with_fastapis_own_tracing_is_refused() -> None:
    with pytest.raises(ValueError, match="FASTAPI_TELEMETRY_OFF"):
        instrument_fastapi(FastAPI(), "twice-traced")


def test_a_process_that_records_nothing_passes_the_sampling_decision_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A service without an exporter must not stop the services it calls from tracing."""
    tracer = build_tracer_provider("no-receiver").get_tracer("no-receiver")
    with tracer.start_as_current_span("root") as root:
        assert not root.is_recording()
        assert root.get_span_context().trace_flags.sampled
        headers: dict[str, str] = {}
        propagate.inject(headers)
    assert headers["traceparent"].endswith("-01")

    for flag in ("00", "01"):
        caller = propagate.extract({"traceparent": f"00-{'a' * 32}-{'b' * 16}-{flag}"})
        with tracer.start_as_current_span("handler", context=caller) as span:
            context = span.get_span_context()
            assert format(context.trace_id, "032x") == "a" * 32
            assert context.trace_flags.sampled == (flag == "01")

    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "traceidratio")
    monkeypatch.setenv("OTEL_TRACES_SAMPLER_ARG", "0")
    unsampled = build_tracer_provider("no-receiver").get_tracer("no-receiver")
    with unsampled.start_as_current_span("root") as root:
        assert not root.get_span_context().trace_flags.sampled
