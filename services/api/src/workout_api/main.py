"""The FastAPI application: ``app`` for ASGI servers, ``create_app(settings)`` for tests."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from sqlalchemy.exc import OperationalError

from workout_api import __version__
from workout_api.admin.router import router as admin_router
from workout_api.auth.passwords import PasswordHasher
from workout_api.auth.router import router as auth_router
from workout_api.database import (
    POOL_RECYCLE_SECONDS,
    create_engine_for,
    create_read_engine_for,
    create_read_session_factory,
    create_session_factory,
    is_sqlite,
)
from workout_api.errors import database_unavailable_handler
from workout_api.exercises.fast_reads import shared_data_version
from workout_api.exercises.router import hot_read_router as exercise_reads_router
from workout_api.exercises.router import router as exercises_router
from workout_api.fastpath.driver_reads import KeptConnections
from workout_api.health.router import router as health_router
from workout_api.imports.jobs import ImportJobs
from workout_api.imports.router import MAX_BODY_BYTES as IMPORT_MAX_BODY_BYTES
from workout_api.imports.router import router as imports_router
from workout_api.ratelimit.guard import RateLimitExceededError, RateLimitGuard
from workout_api.ratelimit.handler import rate_limit_exceeded_handler
from workout_api.resources import AppResources
from workout_api.settings import REDIS_DEFAULT_DB, Settings
from workout_api.startup import prepare_database
from workout_api.training.router import (
    analysis_router,
    templates_router,
    workout_reads_router,
    workouts_router,
)
from workout_api.users.preferences import router as preferences_router
from workout_common.docs_pages import docs_paths
from workout_common.heap import startup_heap_frozen
from workout_common.logging_setup import configure_logging
from workout_common.metrics import metrics_endpoint
from workout_common.redis_support import redis_client, resolve_redis_url
from workout_common.request_limits import validation_error_handler
from workout_common.service_layers import install_service_layers
from workout_common.telemetry import instrument_sqlalchemy
from workout_common.urls import redis_db_of, redis_url_with_db
from workout_common.web_telemetry import FASTAPI_TELEMETRY_OFF

logger = logging.getLogger("workout_api")

SERVICE_NAME = "workout-api"
REDIS_TIMEOUT_SECONDS = 0.5
MAX_BODY_BYTES = 1024 * 1024  # the largest JSON body of the API is far smaller


def _operation_id(route: APIRoute) -> str:
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}"


def rate_limit_redis_url(settings: Settings) -> str:
    """``REDIS_URL`` (or the local/embedded fallback) on its own DB, by default DB 2."""
    url = resolve_redis_url(settings.redis_url)
    db = (
        redis_db_of(settings.redis_url, REDIS_DEFAULT_DB)
        if settings.redis_url
        else REDIS_DEFAULT_DB
    )
    return redis_url_with_db(url, db)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    settings.check_production_safety()
    configure_logging(SERVICE_NAME)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        redis_url = rate_limit_redis_url(settings)
        engine = create_engine_for(settings.database_url)
        read_engine = create_read_engine_for(settings.database_url)
        instrument_sqlalchemy(engine)
        instrument_sqlalchemy(read_engine)
        read_connections = KeptConnections(read_engine, recycle=POOL_RECYCLE_SECONDS)
        redis = redis_client(redis_url, timeout=REDIS_TIMEOUT_SECONDS)
        session_factory = create_session_factory(engine)
        resources = AppResources(
            settings=settings,
            engine=engine,
            read_connections=read_connections,
            session_factory=session_factory,
            read_session_factory=create_read_session_factory(read_engine),
            hasher=PasswordHasher(settings.bcrypt_rounds),
            redis=redis,
            rate_limits=RateLimitGuard(settings, redis),
            data_version=shared_data_version(read_connections),
            import_jobs=ImportJobs(
                session_factory, concurrent_writers=not is_sqlite(settings.database_url)
            ),
        )
        app.state.resources = resources
        await prepare_database(resources)
        logger.info(
            "Workout API %s ready (environment %s, rate limits %s)",
            __version__,
            settings.environment.value,
            "on" if settings.ratelimit_enabled else "off",
        )
        try:
            with startup_heap_frozen():
                yield
        finally:
            await resources.import_jobs.aclose()
            await resources.redis.aclose()
            await read_connections.aclose()
            await read_engine.dispose()
            await engine.dispose()

    app = FastAPI(
        telemetry=FASTAPI_TELEMETRY_OFF,
        title="Workout Tracker API",
        version=__version__,
        description="Track exercises; sign in for writes. See docs/api.md.",
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        **docs_paths(settings.docs_enabled),
    )
    app.state.settings = settings
    app.include_router(health_router)
    app.include_router(exercise_reads_router)
    app.include_router(exercises_router)
    app.include_router(auth_router)
    app.include_router(admin_router)
    app.include_router(preferences_router)
    app.include_router(templates_router)
    # Before /workouts/{workout_id}: /workouts/export is not a workout id.
    app.include_router(imports_router)
    app.include_router(workout_reads_router)
    app.include_router(workouts_router)
    app.include_router(analysis_router)
    app.add_route("/metrics", metrics_endpoint, include_in_schema=False)
    app.add_exception_handler(RateLimitExceededError, rate_limit_exceeded_handler)
    app.add_exception_handler(OperationalError, database_unavailable_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)

    install_service_layers(
        app,
        service="api",
        span_service=SERVICE_NAME,
        max_body_bytes=MAX_BODY_BYTES,
        # Uploads of exports: streamed to the route, which reads them under its own limit.
        streamed_bodies={"/imports": IMPORT_MAX_BODY_BYTES},
        cors={
            "allow_origins": settings.cors_origins,
            "allow_credentials": True,
            "allow_methods": ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            "allow_headers": ["Authorization", "Content-Type", "If-None-Match", "X-Trace-Id"],
            "expose_headers": [
                "ETag",
                "X-Total-Count",
                "X-Request-Id",
                "X-Response-Time",
                "Retry-After",
            ],
        },
    )
    return app


def __getattr__(name: str) -> FastAPI:
    # ``workout_api.main:app`` is built on first access, so importing the module (tests,
    # tools) never reads the environment or refuses to start.
    if name == "app":
        application = create_app()
        globals()["app"] = application
        return application
    raise AttributeError(name)
