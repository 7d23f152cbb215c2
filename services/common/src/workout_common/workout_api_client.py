"""A small client of the Workout API for the platform's own services (coach, worker)."""

from __future__ import annotations

import asyncio
import math
from typing import Any

import httpx

MAX_PAGE_SIZE = 200
PAGE_CONCURRENCY = 4


class WorkoutApiError(Exception):
    """The Workout API could not be reached or answered with an error."""


class WorkoutApiClient:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def exercise_page(self, page: int, page_size: int = MAX_PAGE_SIZE) -> dict[str, Any]:
        """One page of ``GET /exercises`` as the API returns it (``page, page_size, total, items``)."""
        body, _ = await self.exercise_page_and_etag(page, page_size)
        return body

    async def exercise_page_and_etag(
        self, page: int, page_size: int = MAX_PAGE_SIZE
    ) -> tuple[dict[str, Any], str | None]:
        """One page of ``GET /exercises`` and the ``ETag`` the API gave it."""
        try:
            response = await self.http.get(
                "/exercises", params={"page": page, "page_size": page_size}
            )
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise WorkoutApiError(f"GET /exercises page {page} failed: {exc}") from exc
        body: dict[str, Any] = response.json()
        return body, response.headers.get("etag")

    async def first_page_unchanged(self, etag: str) -> bool:
        """Whether the first page (of :data:`MAX_PAGE_SIZE`) still has ``etag``: one
        conditional request, answered 304 without reading rows while nothing changed."""
        try:
            response = await self.http.get(
                "/exercises",
                params={"page": 1, "page_size": MAX_PAGE_SIZE},
                headers={"If-None-Match": etag},
            )
        except httpx.HTTPError as exc:
            raise WorkoutApiError(f"GET /exercises (conditional) failed: {exc}") from exc
        if response.status_code == 304:
            return True
        if response.is_success:
            return False
        raise WorkoutApiError(f"GET /exercises (conditional) answered {response.status_code}")

    async def all_exercises(self, *, concurrency: int = PAGE_CONCURRENCY) -> list[dict[str, Any]]:
        """Every exercise in the API's order, read in pages of :data:`MAX_PAGE_SIZE`.

        The first page tells the total; the rest are read ``concurrency`` at a time.
        """
        first = await self.exercise_page(1)
        total = int(first["total"])
        page_count = max(1, math.ceil(total / MAX_PAGE_SIZE))
        limit = asyncio.Semaphore(max(1, concurrency))

        async def read(page: int) -> list[dict[str, Any]]:
            async with limit:
                body = await self.exercise_page(page)
            return list(body["items"])

        rest = await asyncio.gather(*(read(page) for page in range(2, page_count + 1)))
        items: list[dict[str, Any]] = list(first["items"])
        for page_items in rest:
            items.extend(page_items)
        return items

    async def health_status(self) -> int | None:
        """HTTP status of ``GET /health``, or ``None`` when the API cannot be reached."""
        try:
            response = await self.http.get("/health")
        except httpx.HTTPError:
            return None
        return response.status_code
