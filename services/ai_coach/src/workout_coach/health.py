"""The coach's health: its dependencies checked concurrently, reported per contract §4.2."""

from __future__ import annotations

import asyncio

import redis.asyncio as aioredis

from workout_coach.schemas import HealthResponse
from workout_common.metrics import DEPENDENCY_UP
from workout_common.redis_support import redis_ping
from workout_common.workout_api_client import WorkoutApiClient

SERVICE_LABEL = "coach"


async def check_health(
    api: WorkoutApiClient, redis: aioredis.Redis | None, model_name: str
) -> HealthResponse:
    async def redis_ok() -> bool:
        return redis is not None and await redis_ping(redis)

    api_status, redis_connected = await asyncio.gather(api.health_status(), redis_ok())
    api_connected = api_status == 200
    DEPENDENCY_UP.labels(SERVICE_LABEL, "api").set(1 if api_connected else 0)
    DEPENDENCY_UP.labels(SERVICE_LABEL, "redis").set(1 if redis_connected else 0)
    return HealthResponse(
        status="healthy" if api_connected and redis_connected else "degraded",
        ai_model=model_name,
        workout_api_connected=api_connected,
        redis_connected=redis_connected,
    )
