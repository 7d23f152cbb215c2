"""``warmup_ai_cache``: ask the coach for every common recommendation so its cache is warm.

7 muscle groups x 5 equipment combinations x 4 session lengths = 140 ``POST /recommend``
calls, one at a time with a pause between them so warm-up never crowds out users.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
from dataclasses import dataclass
from typing import Any

import httpx

from workout_worker.resources import Resources
from workout_worker.retry import RetryPolicy, with_retries

logger = logging.getLogger(__name__)

MUSCLE_GROUPS = ("chest", "back", "shoulders", "biceps", "triceps", "legs", "core")
EQUIPMENT_COMBINATIONS: tuple[tuple[str, ...], ...] = (
    ("barbell", "dumbbells", "cables", "bodyweight"),
    ("barbell", "dumbbells"),
    ("dumbbells",),
    ("cables", "bodyweight"),
    ("bodyweight",),
)
SESSION_MINUTES = (30, 45, 60, 90)


def warmup_requests() -> list[dict[str, Any]]:
    """The 140 ``/recommend`` bodies, in a fixed order."""
    return [
        {
            "focus_area": group,
            "equipment_available": list(equipment),
            "session_duration_minutes": minutes,
        }
        for group, equipment, minutes in itertools.product(
            MUSCLE_GROUPS, EQUIPMENT_COMBINATIONS, SESSION_MINUTES
        )
    ]


class CoachUnavailableError(Exception):
    """The coach could not be reached, or answered with a server error."""


@dataclass
class WarmupResult:
    total_requests: int = 0
    successful: int = 0
    failed: int = 0

    @property
    def all_failed(self) -> bool:
        return self.total_requests > 0 and self.successful == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "total_requests": self.total_requests,
            "successful": self.successful,
            "failed": self.failed,
        }


async def _recommend(http: httpx.AsyncClient, body: dict[str, Any]) -> None:
    try:
        response = await http.post("/recommend", json=body)
    except httpx.HTTPError as exc:
        raise CoachUnavailableError(f"POST /recommend: {exc!r}") from exc
    if response.status_code >= 500:
        raise CoachUnavailableError(f"POST /recommend answered {response.status_code}")
    if response.status_code != 200:
        # A 4xx will not change on retry: the request itself is wrong.
        raise ValueError(f"POST /recommend answered {response.status_code}: {response.text[:200]}")


async def warmup_ai_cache(resources: Resources) -> WarmupResult:
    settings = resources.settings
    policy = RetryPolicy(settings.refresh.max_retries, settings.refresh.retry_delay)
    delay = settings.warmup.delay_seconds
    requests = warmup_requests()
    result = WarmupResult(total_requests=len(requests))
    coach_down = False
    for index, body in enumerate(requests):
        if coach_down:
            # The coach stopped answering through all retries: count the rest as failed
            # rather than waiting out the backoff 140 times.
            result.failed += 1
            continue
        if index and delay:
            await asyncio.sleep(delay)
        try:
            await with_retries(
                functools.partial(_recommend, resources.coach_http, body),
                policy,
                retry_on=(CoachUnavailableError,),
                what=f"warm-up {body['focus_area']}/{body['session_duration_minutes']}min",
            )
        except CoachUnavailableError as exc:
            logger.error("warm-up: coach unavailable after retries: %s", exc)
            coach_down = True
            result.failed += 1
        except ValueError as exc:
            logger.error("warm-up: request refused: %s", exc)
            result.failed += 1
        else:
            result.successful += 1
    return result
