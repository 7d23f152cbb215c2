"""``GET /health``: healthy when the Workout API and Redis answer, degraded otherwise (HTTP 200)."""

from __future__ import annotations

from fastapi import APIRouter

from workout_coach.deps import ResourcesDep
from workout_coach.health import check_health
from workout_coach.schemas import HealthResponse

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthResponse)
async def health(resources: ResourcesDep) -> HealthResponse:
    return await check_health(resources.api, resources.redis, resources.service.model.name)
