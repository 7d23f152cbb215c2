"""The clients a task run needs (Redis cache DB, Workout API, AI coach), opened and closed together."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
import redis.asyncio as aioredis

from workout_common.http_client import service_client
from workout_common.redis_support import redis_client
from workout_common.service_identity import ForwardedServiceToken, ServiceTokenAuth
from workout_common.workout_api_client import WorkoutApiClient
from workout_worker.settings import Settings

USER_AGENT = "workout-tracker-worker"


@dataclass
class Resources:
    settings: Settings
    cache: aioredis.Redis
    queue: aioredis.Redis  # where each run's figures are recorded (see task_figures)
    api_http: httpx.AsyncClient
    coach_http: httpx.AsyncClient

    @property
    def api(self) -> WorkoutApiClient:
        return WorkoutApiClient(self.api_http)


def api_http_client(settings: Settings, *, authenticated: bool = True) -> httpx.AsyncClient:
    """The Workout API client; signed in as the service identity unless only probing health."""
    client = service_client(
        settings.api_client.workout_api_url,
        timeout=settings.api_client.timeout,
        user_agent=USER_AGENT,
    )
    if authenticated:
        client.auth = ServiceTokenAuth(settings.api_client.credentials())
    return client


def coach_http_client(settings: Settings, *, authenticated: bool = True) -> httpx.AsyncClient:
    """The coach client; its calls carry the service identity's API token, so the coach
    counts them against the service's limits rather than one address's."""
    client = service_client(
        settings.api_client.ai_coach_url,
        timeout=settings.api_client.timeout,
        user_agent=USER_AGENT,
    )
    if authenticated:
        client.auth = ForwardedServiceToken(
            settings.api_client.credentials(),
            settings.api_client.workout_api_url,
            timeout=settings.api_client.timeout,
        )
    return client


@asynccontextmanager
async def open_resources(settings: Settings) -> AsyncIterator[Resources]:
    cache = redis_client(settings.redis.cache_url())
    queue = redis_client(settings.redis.queue_url())
    api_http = api_http_client(settings)
    coach_http = coach_http_client(settings)
    try:
        yield Resources(settings, cache, queue, api_http, coach_http)
    finally:
        await api_http.aclose()
        await coach_http.aclose()
        await cache.aclose()
        await queue.aclose()
