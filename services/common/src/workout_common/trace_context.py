"""The request's trace id (``X-Trace-Id``), carried through a context variable."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

TRACE_HEADER = "X-Trace-Id"
REQUEST_ID_HEADER = "X-Request-Id"
RESPONSE_TIME_HEADER = "X-Response-Time"
TRACE_ID_SPAN_ATTRIBUTE = "workout.trace_id"
MAX_TRACE_ID_LENGTH = 128

_current_trace_id: ContextVar[str | None] = ContextVar("workout_trace_id", default=None)


def new_trace_id() -> str:
    """An 8-character fragment of a random UUID, as the contract specifies."""
    return uuid.uuid4().hex[:8]


def sanitize_trace_id(value: str | None) -> str | None:
    """Accept a caller's trace id only if it is short printable ASCII (no header injection)."""
    if not value:
        return None
    value = value.strip()
    if not value or len(value) > MAX_TRACE_ID_LENGTH:
        return None
    if not all(33 <= ord(ch) <= 126 for ch in value):
        return None
    return value


def current_trace_id() -> str | None:
    return _current_trace_id.get()


def set_trace_id(trace_id: str | None) -> object:
    """Set the trace id for the current context; returns a token for :func:`reset_trace_id`."""
    return _current_trace_id.set(trace_id)


def reset_trace_id(token: object) -> None:
    _current_trace_id.reset(token)  # type: ignore[arg-type]


def outgoing_trace_headers() -> dict[str, str]:
    """Headers that forward the current trace id to a downstream service."""
    trace_id = current_trace_id()
    return {TRACE_HEADER: trace_id} if trace_id else {}
