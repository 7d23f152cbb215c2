"""Response shapes shared by every router (error bodies for the OpenAPI document)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorDetail(BaseModel):
    detail: str


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        400: "Invalid request parameter, or a body that is not JSON",
        401: "Missing, invalid or expired access token",
        403: "The account may not do this",
        404: "Not found",
        409: "Conflicts with existing data",
        429: "Rate limit exceeded",
    }
    return {code: {"model": ErrorDetail, "description": descriptions[code]} for code in codes}
