"""``GET /exercises``: the Workout API's paginated list, forwarded unchanged (query string too)."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from workout_coach.deps import ResourcesDep
from workout_coach.errors import WORKOUT_API_UNAVAILABLE_DETAIL
from workout_coach.rate_limits import rate_limited

router = APIRouter(tags=["exercises"], dependencies=[rate_limited("exercises")])

_FORWARDED_REQUEST_HEADERS = ("if-none-match", "accept")
_FORWARDED_RESPONSE_HEADERS = (
    "content-type",
    "content-disposition",
    "etag",
    "x-total-count",
    "cache-control",
)


@router.get(
    "/exercises",
    responses={
        503: {
            "content": {"application/json": {"example": {"detail": WORKOUT_API_UNAVAILABLE_DETAIL}}}
        }
    },
)
async def list_exercises(request: Request, resources: ResourcesDep) -> Response:
    headers = {
        name: value
        for name in _FORWARDED_REQUEST_HEADERS
        if (value := request.headers.get(name)) is not None
    }
    try:
        upstream = await resources.api_http.get(
            "/exercises", params=httpx.QueryParams(request.url.query), headers=headers
        )
    except httpx.HTTPError:
        return JSONResponse({"detail": WORKOUT_API_UNAVAILABLE_DETAIL}, status_code=503)
    return Response(
        content=upstream.content,
        status_code=upstream.status_code,
        headers={
            name: value
            for name in _FORWARDED_RESPONSE_HEADERS
            if (value := upstream.headers.get(name)) is not None
        },
    )
