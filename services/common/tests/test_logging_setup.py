"""Log lines carry the request's X-Trace-Id and the OpenTelemetry trace and span ids."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from workout_common.logging_setup import log_handler
from workout_common.telemetry import operation_span, setup_tracer_provider


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, list[io.StringIO]]]:
    logger = logging.getLogger("workout.tests.logging")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    streams: list[io.StringIO] = []
    handlers = []
    for json_format in (True, False):
        handler = log_handler("coach", json_format=json_format)
        stream = io.StringIO()
        handler.setStream(stream)
        logger.addHandler(handler)
        handlers.append(handler)
        streams.append(stream)
    try:
        yield logger, streams
    finally:
        for handler in handlers:
            logger.removeHandler(handler)


def test_lines_inside_a_span_carry_trace_id_and_span_id(
    captured: tuple[logging.Logger, list[io.StringIO]],
) -> None:
    setup_tracer_provider("logging-tests")
    logger, (json_stream, text_stream) = captured
    with operation_span("refresh", trace_id="abc123") as span:
        logger.info("refreshed %d exercises", 3)
    context = span.get_span_context()
    otel_trace_id = format(context.trace_id, "032x")
    span_id = format(context.span_id, "016x")

    line = json.loads(json_stream.getvalue())
    assert line["message"] == "refreshed 3 exercises"
    assert line["service"] == "coach"
    assert line["trace_id"] == "abc123"
    assert line["otel_trace_id"] == otel_trace_id
    assert line["span_id"] == span_id
    text = text_stream.getvalue()
    assert f"trace_id=abc123 otel_trace_id={otel_trace_id} span_id={span_id}]" in text
    assert text.rstrip().endswith("refreshed 3 exercises")


def test_lines_outside_any_request_say_so(
    captured: tuple[logging.Logger, list[io.StringIO]],
) -> None:
    logger, (json_stream, text_stream) = captured
    try:
        raise ValueError("bad value")
    except ValueError:
        logger.exception("startup failed")

    line = json.loads(json_stream.getvalue())
    assert (line["trace_id"], line["otel_trace_id"], line["span_id"]) == ("-", "-", "-")
    assert "ValueError: bad value" in line["exception"]
    assert "trace_id=- otel_trace_id=- span_id=-]" in text_stream.getvalue()
