"""Redis DB 0 cache of the coach's answers.

* Anonymous ``/recommend`` answers are keyed by the normalised request (and model), so the
  worker's daily warm-up makes users' requests fast.
* A signed-in lifter's answers are keyed by their account, their log's version (which every
  change to their log bumps) and the request: an answer is never served to another account,
  nor after the log it was computed from has changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Final, TypeVar

import redis.asyncio as aioredis
from pydantic import BaseModel, ValidationError

from workout_coach.exercise_catalogue import normalise_equipment
from workout_coach.metrics import CACHE_REQUESTS
from workout_coach.schemas import RecommendationRequest

logger = logging.getLogger(__name__)

# Bump a version when the answer's shape or the offline coach's rules change.
CACHE_KEY_PREFIX: Final = "coach:recommend:v1:"
LIFTER_KEY_PREFIX: Final = "coach:lifter:v1:"

AnswerT = TypeVar("AnswerT", bound=BaseModel)


def normalised_request(request: RecommendationRequest) -> dict[str, object]:
    """Requests that must get the same answer normalise to the same value."""
    return {
        "focus_area": request.focus_area.value if request.focus_area else None,
        "equipment_available": normalise_equipment(request.equipment_available),
        "session_duration_minutes": request.session_duration_minutes,
    }


def _digest(payload: dict[str, object]) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def cache_key(request: RecommendationRequest, model_name: str) -> str:
    """The key of an anonymous ``/recommend`` answer."""
    return CACHE_KEY_PREFIX + _digest({"model": model_name, **normalised_request(request)})


def lifter_key(
    *, account: str, log_version: str, endpoint: str, request: dict[str, object], model_name: str
) -> str:
    """The key of a signed-in lifter's answer (hashed: no account name lands in Redis keys)."""
    return LIFTER_KEY_PREFIX + _digest(
        {
            "account": account,
            "log_version": log_version,
            "endpoint": endpoint,
            "model": model_name,
            **request,
        }
    )


class AnswerCache:
    def __init__(self, redis: aioredis.Redis | None, ttl_seconds: int) -> None:
        self.redis = redis
        self.ttl_seconds = ttl_seconds

    @property
    def enabled(self) -> bool:
        return self.redis is not None and self.ttl_seconds > 0

    async def get(self, key: str, answer_type: type[AnswerT]) -> AnswerT | None:
        if not self.enabled or self.redis is None:
            return None
        try:
            raw = await self.redis.get(key)
        except Exception as exc:  # the cache is best-effort: Redis down means a miss
            CACHE_REQUESTS.labels("error").inc()
            logger.warning("answer cache unavailable: %s", exc)
            return None
        if raw is None:
            CACHE_REQUESTS.labels("miss").inc()
            return None
        try:
            answer = answer_type.model_validate_json(raw)
        except ValidationError:
            CACHE_REQUESTS.labels("miss").inc()
            return None
        CACHE_REQUESTS.labels("hit").inc()
        return answer

    async def put(self, key: str, answer: BaseModel) -> None:
        if not self.enabled or self.redis is None:
            return
        try:
            await self.redis.set(key, answer.model_dump_json(), ex=self.ttl_seconds)
        except Exception as exc:  # best-effort, as above
            logger.warning("could not cache an answer: %s", exc)
