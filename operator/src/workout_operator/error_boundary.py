"""The probe server's error boundary: aiohttp's counterpart of ``workout_common.error_boundary``.

Every answer carries ``X-Request-Id`` (the caller's ``X-Trace-Id``, or a new id), and an
unhandled error is a JSON 500 like the other services', not aiohttp's plain-text page.
"""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from workout_common.trace_context import (
    REQUEST_ID_HEADER,
    TRACE_HEADER,
    new_trace_id,
    sanitize_trace_id,
)

logger = logging.getLogger(__name__)


@web.middleware
async def error_boundary(request: web.Request, handler: Handler) -> web.StreamResponse:
    request_id = sanitize_trace_id(request.headers.get(TRACE_HEADER)) or new_trace_id()
    try:
        response = await handler(request)
    except web.HTTPException as answer:  # aiohttp's own answers (404, 405): kept as they are
        answer.headers[REQUEST_ID_HEADER] = request_id
        raise
    except Exception:
        logger.exception("unhandled error on %s %s", request.method, request.path)
        response = web.json_response({"detail": "Internal server error"}, status=500)
    response.headers[REQUEST_ID_HEADER] = request_id
    return response
