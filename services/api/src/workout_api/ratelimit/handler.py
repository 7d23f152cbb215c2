"""The API's 429 answer (shared shape), counted per route."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from workout_api.metrics import RATE_LIMITED
from workout_common.metrics import route_template
from workout_common.rate_limits import RateLimitExceededError, too_many_requests


async def rate_limit_exceeded_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RateLimitExceededError)
    RATE_LIMITED.labels(route_template(request.scope)).inc()
    return too_many_requests(exc)
