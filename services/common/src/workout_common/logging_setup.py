"""Log configuration shared by every service: one line per event, with trace ids."""

from __future__ import annotations

import json
import logging
import os
import sys
from typing import Any

from opentelemetry import trace

from workout_common.trace_context import current_trace_id


class TraceContextFilter(logging.Filter):
    """Adds ``trace_id`` (the X-Trace-Id), ``otel_trace_id`` and ``span_id`` to records."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.trace_id = current_trace_id() or "-"
        span_context = trace.get_current_span().get_span_context()
        if span_context.is_valid:
            record.otel_trace_id = format(span_context.trace_id, "032x")
            record.span_id = format(span_context.span_id, "016x")
        else:
            record.otel_trace_id = "-"
            record.span_id = "-"
        return True


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str | None = None) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
            "trace_id": getattr(record, "trace_id", "-"),
            "otel_trace_id": getattr(record, "otel_trace_id", "-"),
            "span_id": getattr(record, "span_id", "-"),
        }
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload)


TEXT_FORMAT = (
    "%(asctime)s %(levelname)-7s %(name)s [trace_id=%(trace_id)s "
    "otel_trace_id=%(otel_trace_id)s span_id=%(span_id)s] %(message)s"
)


def log_handler(service: str, *, json_format: bool = False) -> logging.StreamHandler[Any]:
    """A stderr handler whose lines carry the trace ids, as JSON or as text."""
    handler: logging.StreamHandler[Any] = logging.StreamHandler(sys.stderr)
    handler.addFilter(TraceContextFilter())
    if json_format:
        handler.setFormatter(JsonFormatter(service))
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    return handler


def configure_logging(service: str, level: str | None = None) -> None:
    """Configure the root logger once; ``LOG_LEVEL`` and ``LOG_FORMAT=json|text`` apply."""
    root = logging.getLogger()
    if any(getattr(h, "_workout_handler", False) for h in root.handlers):
        return
    json_format = os.environ.get("LOG_FORMAT", "text").lower() == "json"
    handler = log_handler(service, json_format=json_format)
    handler._workout_handler = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel((level or os.environ.get("LOG_LEVEL", "INFO")).upper())
    logging.getLogger(service).debug("logging configured")
