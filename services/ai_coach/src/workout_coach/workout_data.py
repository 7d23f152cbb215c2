"""Where the coach reads the user's exercises: the worker's fresh snapshot, else the Workout API."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import redis.asyncio as aioredis
from pydantic import ValidationError

from workout_coach.errors import WorkoutApiUnavailableError
from workout_coach.workout_context import parse_exercises
from workout_common.context_snapshot import CONTEXT_SNAPSHOT_KEY, ContextSnapshot
from workout_common.exercise_record import ExerciseRecord
from workout_common.workout_api_client import WorkoutApiClient, WorkoutApiError

logger = logging.getLogger(__name__)


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
        """The worker's snapshot when it is younger than the configured maximum age and the
        exercises have not changed since it was taken."""
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
            snapshot = ContextSnapshot.model_validate_json(raw)
        except ValidationError as exc:
            logger.warning("ignoring unreadable workout context snapshot: %s", exc)
            return None
        if not 0 <= snapshot.age_seconds(datetime.now(UTC)) <= self.snapshot_max_age_seconds:
            return None
        if snapshot.list_etag is None:
            return None  # written before snapshots carried the list's ETag: cannot be checked
        try:
            unchanged = await self.api.first_page_unchanged(snapshot.list_etag)
        except WorkoutApiError as exc:
            # The API cannot say; it could not serve the full read either, so the snapshot
            # (within its maximum age) is the best answer there is.
            logger.warning("using the worker's snapshot unchecked: %s", exc)
            return snapshot.exercises
        if not unchanged:
            logger.info("the exercises changed since the worker's snapshot; reading the API")
            return None
        return snapshot.exercises

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
