"""Routes for the hottest reads: documented by FastAPI, called without its request handler.

FastAPI's per-request handler (dependency solving, sub-response, return-value
validation) costs more than the page read itself on a small list. A :class:`PlainRoute`
endpoint takes the ``Request`` alone, parses its own input and returns a ``Response``;
its dependencies must take the ``Request`` alone too (the rate limits do). The route
still has its OpenAPI entry (``response_model``, ``responses``, ``openapi_extra``), its
exception handlers and its middleware.

Only the route's own dependencies (the decorator's and its router's) are run: a router
holding plain routes must not be included with extra ``dependencies``.

This reads FastAPI's ``Dependant`` and ``APIRoute`` internals, which change between minor
versions: FastAPI is pinned to the minor version checked here, and a test fails on another.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

VERIFIED_FASTAPI_MINOR = "0.165"


def _takes_request_alone(dependant: Dependant) -> bool:
    inputs = (
        dependant.path_params,
        dependant.query_params,
        dependant.header_params,
        dependant.cookie_params,
        dependant.body_params,
    )
    return (
        dependant.request_param_name is not None
        and not any(inputs)
        and inspect.iscoroutinefunction(dependant.call)
    )


class PlainRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        dependencies = self.dependant.dependencies
        for dependant in (self.dependant, *dependencies):
            nested = dependant is not self.dependant and dependant.dependencies
            if nested or not _takes_request_alone(dependant):
                raise TypeError(
                    f"{self.path}: {dependant.call!r} must be a coroutine function taking "
                    "the Request alone to serve a PlainRoute"
                )
        checks: list[Callable[[Request], Awaitable[Any]]] = [
            dependency.call  # type: ignore[misc]
            for dependency in dependencies
        ]
        endpoint: Callable[[Request], Awaitable[Response]] = self.endpoint

        async def handle(request: Request) -> Response:
            for check in checks:
                await check(request)
            return await endpoint(request)

        return handle
