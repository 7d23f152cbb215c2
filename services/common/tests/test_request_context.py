"""X-Trace-Id in, X-Request-Id and X-Response-Time out, one access log line per request."""

from __future__ import annotations

import logging
import re

import httpx
import pytest
from fastapi import FastAPI

from workout_common.request_context import RequestContextMiddleware
from workout_common.trace_context import current_trace_id


def build_app() -> FastAPI:
    app = FastAPI()

    @app.get("/exercises")
    async def exercises() -> dict[str, str | None]:
        return {"trace_id": current_trace_id()}

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "healthy"}

    app.add_middleware(RequestContextMiddleware)
    return app


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=build_app()), base_url="http://t")


async def test_incoming_trace_id_is_echoed_and_visible_to_the_handler() -> None:
    async with client() as http:
        answer = await http.get("/exercises", headers={"X-Trace-Id": "ui-react"})
    assert answer.headers["X-Request-Id"] == "ui-react"
    assert answer.json() == {"trace_id": "ui-react"}
    assert re.fullmatch(r"\d+\.\d{2}ms", answer.headers["X-Response-Time"])
    assert current_trace_id() is None


@pytest.mark.parametrize("bad", ["has space", "x" * 129, "naïve"])
async def test_unusable_trace_ids_are_replaced_by_a_generated_one(bad: str) -> None:
    async with client() as http:
        answer = await http.get("/exercises", headers=[(b"X-Trace-Id", bad.encode())])
    request_id = answer.headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{8}", request_id)
    assert answer.json() == {"trace_id": request_id}


async def test_one_access_line_per_request_and_probes_only_at_debug(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="workout.access")
    async with client() as http:
        await http.get("/exercises", headers={"X-Trace-Id": "t-1"})
        await http.get("/health")
    lines = [r for r in caplog.records if r.name == "workout.access"]
    assert len(lines) == 1
    assert re.fullmatch(r"GET /exercises -> 200 in \d+\.\d{2}ms", lines[0].getMessage())
