"""Everything an app instance owns (created in its lifespan, never module-global)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import redis.asyncio as aioredis
from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine

from workout_api.auth.passwords import PasswordHasher
from workout_api.database import SessionFactory
from workout_api.fastpath.driver_reads import KeptConnections
from workout_api.fastpath.shared_reads import SharedFreshRead
from workout_api.settings import Settings

if TYPE_CHECKING:
    from workout_api.exercises.columns import DataVersion
    from workout_api.imports.jobs import ImportJobs
    from workout_api.ratelimit.guard import RateLimitGuard


@dataclass
class AppResources:
    settings: Settings
    engine: AsyncEngine
    read_connections: KeptConnections
    session_factory: SessionFactory
    read_session_factory: SessionFactory
    hasher: PasswordHasher
    redis: aioredis.Redis
    rate_limits: RateLimitGuard
    data_version: SharedFreshRead[DataVersion]
    import_jobs: ImportJobs


def get_resources(request: Request) -> AppResources:
    resources: AppResources = request.app.state.resources
    return resources


def get_settings(request: Request) -> Settings:
    return get_resources(request).settings


def get_hasher(request: Request) -> PasswordHasher:
    return get_resources(request).hasher


ResourcesDep = Annotated[AppResources, Depends(get_resources)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
HasherDep = Annotated[PasswordHasher, Depends(get_hasher)]
