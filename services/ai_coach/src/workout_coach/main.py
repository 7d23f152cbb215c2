"""The AI Coach application: ``create_app(settings)`` and the module-level ``app``."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

import httpx
import redis.asyncio as aioredis
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute

from workout_coach import __version__
from workout_coach.answer_cache import AnswerCache
from workout_coach.callers import CallerDirectory
from workout_coach.coach_service import Clock, CoachService, TokenPrices, utc_now
from workout_coach.deps import CoachResources
from workout_coach.errors import CoachError
from workout_coach.model_budget import ModelBudget
from workout_coach.model_selection import select_model
from workout_coach.rate_limits import KEY_PREFIX as RATE_LIMIT_KEY_PREFIX
from workout_coach.routes import coach, exercises, health
from workout_coach.settings import CoachSettings
from workout_coach.workout_data import WorkoutDataSource
from workout_common.docs_pages import docs_paths
from workout_common.heap import startup_heap_frozen
from workout_common.http_client import service_client
from workout_common.logging_setup import configure_logging
from workout_common.metrics import metrics_endpoint
from workout_common.rate_limits import (
    MovingWindowCounter,
    RateLimitExceededError,
    too_many_requests,
)
from workout_common.redis_support import redis_client, resolve_redis_url
from workout_common.request_limits import validation_error_handler
from workout_common.service_identity import ServiceTokenAuth
from workout_common.service_layers import install_service_layers
from workout_common.web_telemetry import FASTAPI_TELEMETRY_OFF
from workout_common.workout_api_client import WorkoutApiClient

logger = logging.getLogger("workout_coach")

USER_AGENT = "workout-tracker-ai-coach"
REDIS_TIMEOUT_SECONDS = 1.0
MAX_BODY_BYTES = 64 * 1024


def _connect_redis(settings: CoachSettings) -> aioredis.Redis | None:
    try:
        url = settings.coach_redis_url(resolve_redis_url(settings.redis_url))
    except Exception as exc:  # the coach answers without Redis (no cache, no snapshot)
        logger.warning("Redis unavailable, running without cache: %s", exc)
        return None
    return redis_client(url, timeout=REDIS_TIMEOUT_SECONDS)


def _operation_id(route: APIRoute) -> str:
    """``{tag}-{name}`` operation ids, so clients generated from /openapi.json read well."""
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


async def rate_limit_exceeded(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, RateLimitExceededError)
    return too_many_requests(exc)


def create_app(
    settings: CoachSettings | None = None,
    *,
    api_transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock = utc_now,
) -> FastAPI:
    """Build the coach. ``api_transport`` lets tests reach an in-process Workout API;
    ``clock`` tells the time the lifter's log is read against (weeks, the last 48 hours)."""
    settings = settings or CoachSettings()
    configure_logging("workout_coach")
    selected = select_model(settings)  # fails fast on an unknown AI_MODEL

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        api_http = service_client(
            settings.workout_api_url,
            timeout=settings.workout_api_timeout_seconds,
            user_agent=USER_AGENT,
            transport=api_transport,
        )
        api_http.auth = ServiceTokenAuth(settings.service_credentials)
        redis = _connect_redis(settings)
        api = WorkoutApiClient(api_http)
        rate_limits = MovingWindowCounter(redis, key_prefix=RATE_LIMIT_KEY_PREFIX)
        service = CoachService(
            model=selected,
            data=WorkoutDataSource(
                api, redis, snapshot_max_age_seconds=settings.coach_context_max_age_seconds
            ),
            cache=AnswerCache(redis, settings.coach_cache_ttl_seconds),
            timeout_seconds=settings.ai_timeout_seconds,
            api_http=api_http,
            clock=clock,
            budget=ModelBudget(rate_limits, settings.coach_daily_model_calls),
            prices=TokenPrices(settings.coach_model_input_price, settings.coach_model_output_price),
        )
        app.state.rate_limits = rate_limits
        app.state.callers = CallerDirectory(api_http)
        app.state.resources = CoachResources(
            service=service, api=api, api_http=api_http, redis=redis
        )
        logger.info(
            "AI coach ready: model %s, Workout API %s", selected.name, settings.workout_api_url
        )
        try:
            with startup_heap_frozen():
                yield
        finally:
            await api_http.aclose()
            if redis is not None:
                await redis.aclose()

    app = FastAPI(
        telemetry=FASTAPI_TELEMETRY_OFF,
        generate_unique_id_function=_operation_id,
        title="Workout Tracker AI Coach",
        version=__version__,
        description="Training advice grounded in your workout log.",
        lifespan=lifespan,
        **docs_paths(settings.docs_enabled),
    )

    @app.exception_handler(CoachError)
    async def coach_error(_: Request, exc: CoachError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)

    app.include_router(health.router)
    app.include_router(coach.router)
    app.include_router(exercises.router)
    app.add_route("/metrics", metrics_endpoint, include_in_schema=False)
    app.state.settings = settings
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(RateLimitExceededError, rate_limit_exceeded)
    # A chat message or a recommendation request is a few kilobytes at most.
    install_service_layers(
        app, service="coach", span_service="workout-coach", max_body_bytes=MAX_BODY_BYTES
    )
    return app
