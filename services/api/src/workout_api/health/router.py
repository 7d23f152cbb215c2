"""``GET /health`` (no auth, no rate limit) and ``GET /``."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from workout_api import __version__
from workout_api.exercises.repository import ExerciseRepository
from workout_api.ratelimit.guard import RateLimit
from workout_api.ratelimit.policy import Category
from workout_api.resources import AppResources, ResourcesDep
from workout_api.schemas import error_responses
from workout_common.metrics import DEPENDENCY_UP
from workout_common.redis_support import redis_ping

logger = logging.getLogger(__name__)

router = APIRouter(tags=["health"])

# Below the probes' timeout (3 s in the chart): a stalled database makes /health answer 503
# in time instead of the probe giving up on a request that hangs.
DATABASE_CHECK_SECONDS = 2.0


class DatabaseHealth(BaseModel):
    status: Literal["connected", "disconnected"]
    message: str
    exercise_count: int | None


class RedisHealth(BaseModel):
    status: Literal["connected", "disconnected"]
    rate_limit_storage: Literal["redis", "memory"]


class HealthResponse(BaseModel):
    status: Literal["healthy", "unhealthy"]
    version: str
    timestamp: str
    database: DatabaseHealth
    redis: RedisHealth


class RootResponse(BaseModel):
    message: str
    version: str
    docs: str


async def _database_health(resources: AppResources) -> DatabaseHealth:
    try:
        async with asyncio.timeout(DATABASE_CHECK_SECONDS):
            async with resources.read_session_factory() as session:
                count = await ExerciseRepository(session).count()
    except TimeoutError:
        logger.warning("health: database did not answer within %ss", DATABASE_CHECK_SECONDS)
        DEPENDENCY_UP.labels("api", "database").set(0)
        return DatabaseHealth(
            status="disconnected",
            message=f"Database did not answer within {DATABASE_CHECK_SECONDS:g} s",
            exercise_count=None,
        )
    except Exception as exc:  # any failure to query means the database is not usable
        logger.warning("health: database check failed: %s", exc.__class__.__name__)
        DEPENDENCY_UP.labels("api", "database").set(0)
        return DatabaseHealth(
            status="disconnected",
            message=f"Database unavailable: {exc.__class__.__name__}",
            exercise_count=None,
        )
    DEPENDENCY_UP.labels("api", "database").set(1)
    return DatabaseHealth(status="connected", message="Connected", exercise_count=count)


async def _redis_health(resources: AppResources) -> RedisHealth:
    up = await redis_ping(resources.redis)
    DEPENDENCY_UP.labels("api", "redis").set(1 if up else 0)
    storage: Literal["redis", "memory"] = (
        "memory" if resources.rate_limits.using_fallback or not up else "redis"
    )
    return RedisHealth(status="connected" if up else "disconnected", rate_limit_storage=storage)


@router.get(
    "/health",
    response_model=HealthResponse,
    responses={503: {"model": HealthResponse, "description": "The database is unreachable"}},
)
async def health(resources: ResourcesDep) -> JSONResponse:
    """Healthy when the database answers. Redis being down only moves rate limits to memory."""
    database, redis = await asyncio.gather(_database_health(resources), _redis_health(resources))
    body = HealthResponse(
        status="healthy" if database.status == "connected" else "unhealthy",
        version=__version__,
        timestamp=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        database=database,
        redis=redis,
    )
    return JSONResponse(body.model_dump(), status_code=200 if body.status == "healthy" else 503)


@router.get(
    "/",
    response_model=RootResponse,
    responses=error_responses(429),
    dependencies=[RateLimit(Category.PUBLIC)],
)
async def root(request: Request) -> RootResponse:
    return RootResponse(
        message="Welcome to the Workout Tracker API",
        version=__version__,
        docs=request.app.docs_url or "/docs",
    )
