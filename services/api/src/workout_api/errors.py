"""The API's own error answers (the error boundary itself is shared: workout_common)."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

logger = logging.getLogger(__name__)


async def database_unavailable_handler(request: Request, exc: Exception) -> Response:
    """A lost database connection is the server's trouble, but not a bug: 503, retry later."""
    logger.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    return JSONResponse(
        {"detail": "Database unavailable, try again shortly"},
        status_code=503,
        headers={"Retry-After": "5"},
    )
