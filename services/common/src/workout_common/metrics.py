"""Prometheus metrics shared by every service: HTTP RED metrics and the ``/metrics`` route."""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

UNMATCHED_ROUTE = "<unmatched>"
OTHER_METHOD = "OTHER"
APP_ROOT_PATH_KEY = "workout.app_root_path"
# A client may send any token as the method; only these become label values.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

LATENCY_BUCKETS = (
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
    30.0,
)

HTTP_REQUESTS = Counter(
    "workout_http_requests_total",
    "HTTP requests answered, by route template and status code.",
    ["service", "method", "route", "status"],
)
HTTP_REQUEST_DURATION = Histogram(
    "workout_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template.",
    ["service", "method", "route"],
    buckets=LATENCY_BUCKETS,
)
HTTP_IN_FLIGHT = Gauge(
    "workout_http_requests_in_flight",
    "HTTP requests being answered right now.",
    ["service"],
)
DEPENDENCY_UP = Gauge(
    "workout_dependency_up",
    "1 when the last check of a dependency (database, redis, api, coach, model) succeeded.",
    ["service", "dependency"],
)


def route_template(scope: Scope, app_root_path: str | None = None) -> str:
    """The matched route's path template (``/exercises/{exercise_id}``), never the raw path.

    A route inside a mounted sub-application only knows its own part of the path; the
    mount's prefix is what routing added to ``root_path`` beyond the application's own
    (which :class:`PrometheusMiddleware` notes in the scope, so handlers get the same label).
    """
    if app_root_path is None:
        app_root_path = scope.get(APP_ROOT_PATH_KEY, scope.get("root_path", ""))
    route = scope.get("route")
    path = getattr(route, "path", None)
    root_path = scope.get("root_path", "")
    prefix = ""
    if isinstance(root_path, str) and root_path.startswith(app_root_path):
        prefix = root_path[len(app_root_path) :]
    if isinstance(route, Mount) or not isinstance(path, str):
        # A mounted application without routes of its own (static files, a plain ASGI
        # app) leaves only the prefix routing added; nothing at all means no match.
        return prefix or UNMATCHED_ROUTE
    return prefix + path or "/"


def method_label(method: str) -> str:
    method = method.upper()
    return method if method in KNOWN_METHODS else OTHER_METHOD


def set_dependency_up(service: str, dependency: str, up: bool) -> None:
    """Record the outcome of a dependency check on ``workout_dependency_up``."""
    DEPENDENCY_UP.labels(service, dependency).set(1 if up else 0)


class PrometheusMiddleware:
    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service
        # ``labels()`` formats and looks up every label value under a lock; the label sets
        # a service sees are few (route templates x methods x statuses), so keep the children.
        self._in_flight = HTTP_IN_FLIGHT.labels(service)
        self._children: dict[tuple[str, str, str], tuple[Any, Any]] = {}

    def _record(self, method: str, route: str, status: str, seconds: float) -> None:
        children = self._children.get((method, route, status))
        if children is None:
            children = (
                HTTP_REQUESTS.labels(self.service, method, route, status),
                HTTP_REQUEST_DURATION.labels(self.service, method, route),
            )
            self._children[(method, route, status)] = children
        requests, duration = children
        requests.inc()
        duration.observe(seconds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") == "/metrics":
            await self.app(scope, receive, send)
            return
        method = method_label(scope.get("method", "GET"))
        app_root_path = scope.get("root_path", "")
        scope[APP_ROOT_PATH_KEY] = app_root_path
        status = "500"
        in_flight = self._in_flight
        in_flight.inc()
        started = time.perf_counter()

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = str(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            in_flight.dec()
            route = route_template(scope, app_root_path)
            self._record(method, route, status, time.perf_counter() - started)


def metrics_response(registry: CollectorRegistry = REGISTRY) -> Response:
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


PROXY_HEADERS = ("x-forwarded-for", "forwarded")


async def metrics_endpoint(request: Request) -> Response:
    """The metrics, for peers inside the cluster only.

    A request that came through a proxy (the ingress, the web app's nginx) carries
    ``X-Forwarded-For``; Prometheus scrapes the pod directly. Proxied requests get the same
    404 as any unknown path, so the public hosts do not publish the platform's internals.
    """
    if any(name in request.headers for name in PROXY_HEADERS):
        return JSONResponse({"detail": "Not Found"}, status_code=404)
    return metrics_response()
