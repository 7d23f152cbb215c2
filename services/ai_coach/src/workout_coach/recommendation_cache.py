"""Redis DB 0 cache of ``/recommend`` answers, so the worker's daily warm-up pays off."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Final

import redis.asyncio as aioredis
from pydantic import ValidationError

from workout_coach.exercise_catalogue import normalise_equipment
from workout_coach.metrics import CACHE_REQUESTS
from workout_coach.schemas import RecommendationRequest, WorkoutRecommendation

logger = logging.getLogger(__name__)

# Bump the version when the answer's shape or the offline coach's rules change.
CACHE_KEY_PREFIX: Final = "coach:recommend:v1:"


def normalised_request(request: RecommendationRequest) -> dict[str, object]:
    """Requests that must get the same answer normalise to the same value."""
    return {
        "focus_area": request.focus_area.value if request.focus_area else None,
        "equipment_available": normalise_equipment(request.equipment_available),
        "session_duration_minutes": request.session_duration_minutes,
    }


def cache_key(request: RecommendationRequest, model_name: str) -> str:
    payload = json.dumps(
        {"model": model_name, **normalised_request(request)}, sort_keys=True, separators=(",", ":")
    )
    return CACHE_KEY_PREFIX + hashlib.sha256(payload.encode()).hexdigest()


class RecommendationCache:
    def __init__(self, redis: aioredis.Redis | None, ttl_seconds: int) -> None:
        self.redis = redis
        self.ttl_seconds = ttl_seconds

    @property
    def enabled(self) -> bool:
        return self.redis is not None and self.ttl_seconds > 0

    async def get(self, key: str) -> WorkoutRecommendation | None:
        if not self.enabled or self.redis is None:
            return None
        try:
            raw = await self.redis.get(key)
        except Exception as exc:  # the cache is best-effort: Redis down means a miss
            CACHE_REQUESTS.labels("error").inc()
            logger.warning("recommendation cache unavailable: %s", exc)
            return None
        if raw is None:
            CACHE_REQUESTS.labels("miss").inc()
            return None
        try:
            answer = WorkoutRecommendation.model_validate_json(raw)
        except ValidationError:
            CACHE_REQUESTS.labels("miss").inc()
            return None
        CACHE_REQUESTS.labels("hit").inc()
        return answer

    async def put(self, key: str, answer: WorkoutRecommendation) -> None:
        if not self.enabled or self.redis is None:
            return
        try:
            await self.redis.set(key, answer.model_dump_json(), ex=self.ttl_seconds)
        except Exception as exc:  # best-effort, as above
            logger.warning("could not cache recommendation: %s", exc)
