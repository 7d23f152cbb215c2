"""The shared HTTP metrics: route templates, status codes, in-flight requests, exposition."""

from __future__ import annotations

import uuid

import httpx
from fastapi import FastAPI, Request
from prometheus_client import REGISTRY
from starlette.responses import PlainTextResponse
from starlette.types import Receive, Scope, Send

from workout_common.metrics import (
    DEPENDENCY_UP,
    HTTP_IN_FLIGHT,
    OTHER_METHOD,
    UNMATCHED_ROUTE,
    PrometheusMiddleware,
    metrics_endpoint,
    route_template,
    set_dependency_up,
)


def requests_total(service: str, method: str, route: str, status: str) -> float:
    value = REGISTRY.get_sample_value(
        "workout_http_requests_total",
        {"service": service, "method": method, "route": route, "status": status},
    )
    return value or 0.0


def duration_count(service: str, method: str, route: str) -> float:
    value = REGISTRY.get_sample_value(
        "workout_http_request_duration_seconds_count",
        {"service": service, "method": method, "route": route},
    )
    return value or 0.0


def build_app(service: str) -> FastAPI:
    app = FastAPI()

    @app.get("/exercises/{exercise_id}")
    async def read_exercise(exercise_id: int) -> dict[str, float]:
        return {"in_flight": HTTP_IN_FLIGHT.labels(service)._value.get()}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("broken on purpose")

    sub = FastAPI()

    @sub.get("/things/{thing_id}")
    async def read_thing(thing_id: str, request: Request) -> dict[str, str]:
        return {"thing": thing_id, "route": route_template(request.scope)}

    app.mount("/sub", sub)

    async def static(scope: Scope, receive: Receive, send: Send) -> None:
        await PlainTextResponse("static")(scope, receive, send)

    app.mount("/static", static)
    app.add_route("/metrics", metrics_endpoint)
    app.add_middleware(PrometheusMiddleware, service=service)
    return app


def client_for(app: FastAPI) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_requests_are_counted_by_route_template_never_raw_path() -> None:
    service = f"t{uuid.uuid4().hex[:8]}"
    async with client_for(build_app(service)) as client:
        for exercise_id in (1, 2, 3):
            assert (await client.get(f"/exercises/{exercise_id}")).status_code == 200
        assert (await client.get("/exercises/not-a-number")).status_code == 422

    assert requests_total(service, "GET", "/exercises/{exercise_id}", "200") == 3
    assert requests_total(service, "GET", "/exercises/{exercise_id}", "422") == 1
    assert duration_count(service, "GET", "/exercises/{exercise_id}") == 4
    assert requests_total(service, "GET", "/exercises/1", "200") == 0


async def test_mounted_applications_keep_their_prefix() -> None:
    service = f"t{uuid.uuid4().hex[:8]}"
    async with client_for(build_app(service)) as client:
        thing = await client.get("/sub/things/abc")
        assert thing.status_code == 200
        assert thing.json()["route"] == "/sub/things/{thing_id}"
        assert (await client.get("/static/some/file.css")).status_code == 200

    assert requests_total(service, "GET", "/sub/things/{thing_id}", "200") == 1
    assert requests_total(service, "GET", "/static", "200") == 1


async def test_unknown_paths_and_methods_have_bounded_labels() -> None:
    service = f"t{uuid.uuid4().hex[:8]}"
    async with client_for(build_app(service)) as client:
        for n in range(3):
            assert (await client.get(f"/random-{n}")).status_code == 404
        answer = await client.request("FROBNICATE", "/exercises/1")
        assert answer.status_code == 405

    assert requests_total(service, "GET", UNMATCHED_ROUTE, "404") == 3
    assert requests_total(service, OTHER_METHOD, "/exercises/{exercise_id}", "405") == 1


async def test_unhandled_error_counts_as_500_and_in_flight_returns_to_zero() -> None:
    service = f"t{uuid.uuid4().hex[:8]}"
    async with client_for(build_app(service)) as client:
        during = (await client.get("/exercises/7")).json()["in_flight"]
        assert (await client.get("/boom")).status_code == 500

    assert during == 1
    assert requests_total(service, "GET", "/boom", "500") == 1
    assert HTTP_IN_FLIGHT.labels(service)._value.get() == 0


async def test_metrics_endpoint_exposes_the_shared_families_and_is_not_counted() -> None:
    service = f"t{uuid.uuid4().hex[:8]}"
    set_dependency_up(service, "database", True)
    set_dependency_up(service, "redis", False)
    async with client_for(build_app(service)) as client:
        await client.get("/exercises/1")
        answer = await client.get("/metrics")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    body = answer.text
    for name in (
        "workout_http_requests_total",
        "workout_http_request_duration_seconds_bucket",
        "workout_http_requests_in_flight",
        "workout_dependency_up",
    ):
        assert f"\n{name}{{" in body
    assert f'workout_dependency_up{{dependency="redis",service="{service}"}} 0.0' in body
    assert DEPENDENCY_UP.labels(service, "database")._value.get() == 1
    assert requests_total(service, "GET", "/metrics", "200") == 0
