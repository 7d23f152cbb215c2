"""A small client of the Workout API for the platform's own services (coach, worker)."""

from __future__ import annotations

from typing import Any

import httpx

MAX_PAGE_SIZE = 200


class WorkoutApiError(Exception):
    """The Workout API could not be reached or answered with an error."""


class WorkoutApiClient:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def exercise_page(self, page: int, page_size: int = MAX_PAGE_SIZE) -> dict[str, Any]:
        """One page of ``GET /exercises`` as the API returns it (``page, page_size, total, items``)."""
        try:
            response = await self.http.get(
                "/exercises", params={"page": page, "page_size": page_size}
            )
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise WorkoutApiError(f"GET /exercises page {page} failed: {exc}") from exc
        body: dict[str, Any] = response.json()
        return body

    async def all_exercises(self) -> list[dict[str, Any]]:
        """Every exercise, read in pages of :data:`MAX_PAGE_SIZE`."""
        first = await self.exercise_page(1)
        items: list[dict[str, Any]] = list(first["items"])
        total = int(first["total"])
        page = 2
        while len(items) < total:
            body = await self.exercise_page(page)
            if not body["items"]:
                break
            items.extend(body["items"])
            page += 1
        return items

    async def health_status(self) -> int | None:
        """HTTP status of ``GET /health``, or ``None`` when the API cannot be reached."""
        try:
            response = await self.http.get("/health")
        except httpx.HTTPError:
            return None
        return response.status_code
