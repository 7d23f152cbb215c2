"""FastAPI dependencies: the objects the app built at start-up, as typed aliases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import httpx
import redis.asyncio as aioredis
from fastapi import Depends, Request

from workout_coach.coach_service import CoachService
from workout_common.workout_api_client import WorkoutApiClient


@dataclass
class CoachResources:
    service: CoachService
    api: WorkoutApiClient
    api_http: httpx.AsyncClient
    redis: aioredis.Redis | None


def get_resources(request: Request) -> CoachResources:
    resources: CoachResources = request.app.state.resources
    return resources


def get_coach_service(request: Request) -> CoachService:
    return get_resources(request).service


ResourcesDep = Annotated[CoachResources, Depends(get_resources)]
CoachServiceDep = Annotated[CoachService, Depends(get_coach_service)]
