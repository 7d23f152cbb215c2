"""Headers on every response, the root document, CORS, metrics and OpenAPI."""

from __future__ import annotations

import logging
import re
from typing import Any

import httpx
import pytest

from workout_common.logging_setup import TEXT_FORMAT, TraceContextFilter

RESPONSE_TIME = re.compile(r"^\d+\.\d{2}ms$")
Headers = dict[str, str]


async def test_root_document(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    assert response.json() == {
        "message": "Welcome to the Workout Tracker API",
        "version": "0.1.0",
        "docs": "/docs",
    }


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/health", 200),
        ("GET", "/exercises", 200),
        ("GET", "/exercises/12345", 404),
        ("GET", "/exercises?page=0", 422),
        ("GET", "/exercises?sort_by=bogus", 400),
        ("POST", "/exercises", 401),
        ("GET", "/no/such/route", 404),
        ("DELETE", "/", 405),
    ],
)
async def test_every_response_carries_request_id_and_response_time(
    client: httpx.AsyncClient, method: str, path: str, status: int
) -> None:
    echoed = await client.request(method, path, headers={"X-Trace-Id": "ui-react"})
    generated = await client.request(method, path)
    assert echoed.status_code == generated.status_code == status
    assert echoed.headers["x-request-id"] == "ui-react"
    assert re.fullmatch(r"[0-9a-f]{8}", generated.headers["x-request-id"])
    assert RESPONSE_TIME.match(echoed.headers["x-response-time"])
    assert RESPONSE_TIME.match(generated.headers["x-response-time"])


async def test_unsafe_trace_ids_are_replaced(client: httpx.AsyncClient) -> None:
    response = await client.get("/", headers={"X-Trace-Id": "x" * 500})
    assert re.fullmatch(r"[0-9a-f]{8}", response.headers["x-request-id"])


async def test_one_access_log_line_per_request_with_its_trace_id(
    client: httpx.AsyncClient,
) -> None:
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect()
    handler.addFilter(TraceContextFilter())
    handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    access = logging.getLogger("workout.access")
    access.addHandler(handler)
    previous = access.level
    access.setLevel(logging.INFO)
    try:
        await client.get("/exercises/777", headers={"X-Trace-Id": "trace-abc"})
    finally:
        access.removeHandler(handler)
        access.setLevel(previous)
    assert len(lines) == 1
    assert "trace_id=trace-abc" in lines[0]
    assert re.search(r"GET /exercises/777 -> 404 in \d+\.\d{2}ms$", lines[0])


async def test_cors_allows_the_web_app_origin(client: httpx.AsyncClient) -> None:
    preflight = await client.options(
        "/exercises",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "http://localhost:3000"
    simple = await client.get("/exercises", headers={"Origin": "http://127.0.0.1:3000"})
    assert simple.headers["access-control-allow-origin"] == "http://127.0.0.1:3000"
    assert "x-total-count" in simple.headers["access-control-expose-headers"].lower()


async def test_cors_refuses_other_origins(client: httpx.AsyncClient) -> None:
    preflight = await client.options(
        "/exercises",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers


async def test_cors_origins_are_configurable(
    make_settings: object, migrated_sqlite_url: str, client_for: object
) -> None:
    from workout_api.main import create_app

    settings = make_settings(  # type: ignore[operator]
        migrated_sqlite_url, cors_origins="https://app.example.com, https://other.example.com"
    )
    assert settings.cors_origins == ["https://app.example.com", "https://other.example.com"]
    async with client_for(create_app(settings)) as client:  # type: ignore[operator]
        allowed = await client.get("/", headers={"Origin": "https://other.example.com"})
        default = await client.get("/", headers={"Origin": "http://localhost:3000"})
    assert allowed.headers["access-control-allow-origin"] == "https://other.example.com"
    assert "access-control-allow-origin" not in default.headers


async def test_metrics_are_exposed(client: httpx.AsyncClient) -> None:
    etag = (await client.get("/exercises")).headers["etag"]
    await client.get("/exercises", headers={"If-None-Match": etag})
    await client.get("/health")
    body = (await client.get("/metrics")).text
    assert (
        'workout_http_requests_total{method="GET",route="/exercises",service="api",status="304"}'
        in body
    )
    assert "workout_api_etag_not_modified_total" in body
    assert 'workout_dependency_up{dependency="database",service="api"} 1.0' in body


async def test_openapi_operation_ids_and_bearer_scheme(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    operation_ids = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {
        "exercises-list_exercises",
        "exercises-create_exercise",
        "auth-login",
        "admin-list_users",
        "health-health",
    } <= operation_ids
    assert "HTTPBearer" in schema["components"]["securitySchemes"]


async def test_docs_and_the_openapi_document_can_be_turned_off(
    make_settings: Any, migrated_sqlite_url: str, client_for: Any
) -> None:
    from workout_api.main import create_app

    async with client_for(create_app(make_settings(migrated_sqlite_url))) as client:
        assert (await client.get("/docs")).status_code == 200
        assert (await client.get("/openapi.json")).status_code == 200
    hidden = make_settings(migrated_sqlite_url, docs_enabled=False)
    async with client_for(create_app(hidden)) as client:
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert (await client.get(path)).status_code == 404, path
        assert (await client.get("/exercises")).status_code == 200


async def test_metrics_are_not_served_through_a_proxy(client: httpx.AsyncClient) -> None:
    # The ingress and the web app's nginx add X-Forwarded-For; Prometheus scrapes the pod.
    assert (await client.get("/metrics")).status_code == 200
    for header in ("X-Forwarded-For", "Forwarded"):
        answer = await client.get("/metrics", headers={header: "for=203.0.113.5"})
        assert answer.status_code == 404, header
        assert "workout_http_requests_total" not in answer.text


async def test_an_unexpected_error_is_a_json_500_with_the_request_id(
    app: Any, client_for: Any
) -> None:
    async def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/broken", broken)
    async with client_for(app) as client:
        answer = await client.get("/broken", headers={"X-Trace-Id": "trace-500"})
    assert answer.status_code == 500
    assert answer.json() == {"detail": "Internal server error"}
    assert answer.headers["x-request-id"] == "trace-500"
