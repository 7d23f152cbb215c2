"""Where the coach reads the user's exercises: the worker's fresh snapshot, else the Workout API."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any, Final

import redis.asyncio as aioredis
from pydantic import ValidationError

from workout_coach.errors import WorkoutApiUnavailableError
from workout_coach.workout_context import ExerciseRecord, parse_exercises
from workout_common.workout_api_client import WorkoutApiClient, WorkoutApiError

logger = logging.getLogger(__name__)

CONTEXT_SNAPSHOT_KEY: Final = "workout:context:v1"


def snapshot_age_seconds(snapshot: dict[str, Any], now: datetime) -> float | None:
    """Age of a snapshot from its ``generated_at`` (ISO 8601, ``Z`` allowed); ``None`` if unreadable."""
    generated_at = snapshot.get("generated_at")
    if not isinstance(generated_at, str):
        return None
    try:
        stamp = datetime.fromisoformat(generated_at.replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return (now - stamp).total_seconds()


class WorkoutDataSource:
    def __init__(
        self,
        api: WorkoutApiClient,
        redis: aioredis.Redis | None,
        *,
        snapshot_max_age_seconds: float,
    ) -> None:
        self.api = api
        self.redis = redis
        self.snapshot_max_age_seconds = snapshot_max_age_seconds

    async def fresh_snapshot(self) -> list[ExerciseRecord] | None:
        """The worker's snapshot when it is younger than the configured maximum age."""
        if self.redis is None or self.snapshot_max_age_seconds <= 0:
            return None
        try:
            raw = await self.redis.get(CONTEXT_SNAPSHOT_KEY)
        except Exception as exc:  # Redis is optional: any failure means "no snapshot"
            logger.debug("workout context snapshot unavailable: %s", exc)
            return None
        if not raw:
            return None
        try:
            snapshot = json.loads(raw)
            age = snapshot_age_seconds(snapshot, datetime.now(UTC))
            if age is None or not 0 <= age <= self.snapshot_max_age_seconds:
                return None
            return parse_exercises(snapshot["exercises"])
        except (ValueError, KeyError, TypeError, ValidationError) as exc:
            logger.warning("ignoring unreadable workout context snapshot: %s", exc)
            return None

    async def exercises(self) -> list[ExerciseRecord]:
        """Every exercise of the user; raises :class:`WorkoutApiUnavailableError`."""
        snapshot = await self.fresh_snapshot()
        if snapshot is not None:
            return snapshot
        try:
            items = await self.api.all_exercises()
            return parse_exercises(items)
        except (WorkoutApiError, ValueError, KeyError, TypeError, ValidationError) as exc:
            raise WorkoutApiUnavailableError(str(exc)) from exc
