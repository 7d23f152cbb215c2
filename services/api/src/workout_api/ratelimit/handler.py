"""The 429 answer: a JSON ``detail`` and ``Retry-After``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workout_api.metrics import RATE_LIMITED
from workout_api.ratelimit.guard import RateLimitExceededError
from workout_common.metrics import route_template


async def rate_limit_exceeded_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RateLimitExceededError)
    retry_after = exc.retry_after
    RATE_LIMITED.labels(route_template(request.scope)).inc()
    return JSONResponse(
        {"detail": f"Rate limit exceeded: {exc.limit}. Try again in {retry_after} seconds."},
        status_code=429,
        headers={"Retry-After": str(retry_after)},
    )
