"""The 429 answer: a JSON ``detail`` and ``Retry-After`` (slowapi's own headers stay off)."""

from __future__ import annotations

from slowapi.errors import RateLimitExceeded
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workout_api.metrics import RATE_LIMITED
from workout_common.metrics import route_template


async def rate_limit_exceeded_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RateLimitExceeded)
    guard = request.app.state.resources.rate_limits
    retry_after = guard.retry_after_seconds(request)
    RATE_LIMITED.labels(route_template(request.scope)).inc()
    return JSONResponse(
        {"detail": f"Rate limit exceeded: {exc.detail}. Try again in {retry_after} seconds."},
        status_code=429,
        headers={"Retry-After": str(retry_after)},
    )
