"""Fixtures of the shared library's tests: spans as the global tracer provider ends them."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor

from workout_common.telemetry import setup_tracer_provider
from workout_testkit.asgi_server import serve_asgi


class SpanCollector(SpanProcessor):
    """Keeps the spans that end while a test is collecting."""

    def __init__(self) -> None:
        self.collecting = False
        self.spans: list[ReadableSpan] = []

    def on_end(self, span: ReadableSpan) -> None:
        if self.collecting:
            self.spans.append(span)


_collector = SpanCollector()
_installed_on: set[int] = set()


@pytest.fixture
def finished_spans() -> Iterator[list[ReadableSpan]]:
    """The spans finished during the test, from the process's real tracer provider."""
    provider = setup_tracer_provider("workout-common-tests")
    if id(provider) not in _installed_on:
        provider.add_span_processor(_collector)
        _installed_on.add(id(provider))
    _collector.spans = []
    _collector.collecting = True
    try:
        yield _collector.spans
    finally:
        _collector.collecting = False


@contextlib.asynccontextmanager
async def serve(app: Any) -> AsyncIterator[str]:
    """Serve ``app`` over real HTTP on a free loopback port (lifespan off)."""
    with serve_asgi(app, lifespan="off") as url:
        yield url


@pytest.fixture
def serve_app() -> Any:
    """``async with serve_app(app) as base_url``: a real HTTP server for ``app``."""
    return serve
