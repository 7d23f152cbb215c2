"""The worker's health server: ``/health`` (contract body, 503 when unhealthy) and ``/metrics``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Literal

import httpx
import redis.asyncio as aioredis
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from prometheus_client import REGISTRY
from pydantic import BaseModel
from redis.exceptions import RedisError
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from workout_common.metrics import DEPENDENCY_UP, metrics_response
from workout_common.redis_support import redis_client
from workout_common.service_layers import install_service_layers
from workout_common.web_telemetry import FASTAPI_TELEMETRY_OFF
from workout_worker.keys import ARQ_QUEUE_KEY
from workout_worker.metrics import QUEUE_DEPTH
from workout_worker.resources import api_http_client, coach_http_client
from workout_worker.settings import Settings, get_settings
from workout_worker.task_metrics import TaskMetricsCollector

SERVICE = "worker"
HEALTH_CHECK_TIMEOUT_SECONDS = 3.0
UNREACHABLE = "unreachable"

HealthStatus = Literal["healthy", "degraded", "unhealthy"]


class HealthResponse(BaseModel):
    status: HealthStatus
    redis_connected: bool
    queue_depth: int
    api_connected: bool
    ai_coach_connected: bool
    details: dict[str, str]


@dataclass
class HealthProbe:
    queue: aioredis.Redis
    api_http: httpx.AsyncClient
    coach_http: httpx.AsyncClient

    async def queue_depth(self) -> int | None:
        try:
            return int(await self.queue.zcard(ARQ_QUEUE_KEY))
        except (RedisError, OSError):
            return None

    @staticmethod
    async def _status_of(http: httpx.AsyncClient) -> int | None:
        try:
            response = await http.get("/health", timeout=HEALTH_CHECK_TIMEOUT_SECONDS)
        except httpx.HTTPError:
            return None
        return response.status_code

    async def check(self) -> HealthResponse:
        depth, api_status, coach_status = await asyncio.gather(
            self.queue_depth(), self._status_of(self.api_http), self._status_of(self.coach_http)
        )
        redis_ok = depth is not None
        api_ok = api_status == 200
        coach_ok = coach_status == 200
        if not redis_ok:
            status: HealthStatus = "unhealthy"
        elif api_ok and coach_ok:
            status = "healthy"
        else:
            status = "degraded"
        DEPENDENCY_UP.labels(SERVICE, "redis").set(int(redis_ok))
        DEPENDENCY_UP.labels(SERVICE, "api").set(int(api_ok))
        DEPENDENCY_UP.labels(SERVICE, "coach").set(int(coach_ok))
        if depth is not None:
            QUEUE_DEPTH.set(depth)
        return HealthResponse(
            status=status,
            redis_connected=redis_ok,
            queue_depth=depth or 0,
            api_connected=api_ok,
            ai_coach_connected=coach_ok,
            details={
                "queue_depth": str(depth) if depth is not None else UNREACHABLE,
                "api_status": str(api_status) if api_status is not None else UNREACHABLE,
                "ai_coach_status": str(coach_status) if coach_status is not None else UNREACHABLE,
            },
        )


def create_app(settings: Settings | None = None) -> FastAPI:
    """The health app; clients are opened on startup, so importing this module connects nothing."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        config = settings or get_settings()
        queue = redis_client(config.redis.queue_url())
        api_http = api_http_client(config, authenticated=False)
        coach_http = coach_http_client(config, authenticated=False)
        app.state.probe = HealthProbe(queue, api_http, coach_http)
        task_metrics = TaskMetricsCollector(config.redis.queue_url())
        REGISTRY.register(task_metrics)
        try:
            yield
        finally:
            REGISTRY.unregister(task_metrics)
            task_metrics.close()
            await api_http.aclose()
            await coach_http.aclose()
            await queue.aclose()

    app = FastAPI(
        title="Workout Tracker worker",
        version="0.1.0",
        lifespan=lifespan,
        telemetry=FASTAPI_TELEMETRY_OFF,
    )

    @app.get("/health", response_model=HealthResponse, tags=["health"])
    async def health(request: Request) -> JSONResponse:
        probe: HealthProbe = request.app.state.probe
        report = await probe.check()
        code = 503 if report.status == "unhealthy" else 200
        return JSONResponse(report.model_dump(), status_code=code)

    @app.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        probe: HealthProbe = request.app.state.probe
        depth = await probe.queue_depth()
        if depth is not None:
            QUEUE_DEPTH.set(depth)
        # The task metrics collector reads Redis with a blocking client: off the event loop.
        return await run_in_threadpool(metrics_response)

    install_service_layers(app, service=SERVICE, span_service="workout-worker")
    return app
