"""Worker configuration: exactly the contract's ``WORKER_*`` table, nested with ``__``."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import SettingsConfigDict

from workout_common.service_identity import (
    DEFAULT_SERVICE_PASSWORD,
    DEFAULT_SERVICE_USERNAME,
    ServiceCredentials,
)
from workout_common.settings_base import ServiceSettings
from workout_common.urls import redis_url_with_db


class _Section(BaseModel):
    # A misspelt WORKER_REDIS__HOTS is refused rather than silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


class RedisConfig(_Section):
    host: str = "localhost"
    port: int = Field(6379, ge=1, le=65535)
    database: int = Field(1, ge=0, le=15, description="Arq queue database")
    cache_database: int = Field(0, ge=0, le=15, description="cache / idempotency database")
    url: str | None = Field(None, description="full redis:// URL; overrides host and port")

    @field_validator("url")
    @classmethod
    def _url_is_redis(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        scheme = urlsplit(value.strip()).scheme
        if scheme not in ("redis", "rediss", "unix"):
            raise ValueError(f"must start with redis://, rediss:// or unix://, got {value!r}")
        return value.strip()

    def server_url(self) -> str:
        return self.url or f"redis://{self.host}:{self.port}/0"

    def queue_url(self) -> str:
        return redis_url_with_db(self.server_url(), self.database)

    def cache_url(self) -> str:
        return redis_url_with_db(self.server_url(), self.cache_database)


class ApiClientConfig(_Section):
    workout_api_url: str = "http://localhost:8000"
    ai_coach_url: str = "http://localhost:8001"
    timeout: float = Field(30.0, gt=0, description="HTTP client timeout in seconds")
    service_username: str = DEFAULT_SERVICE_USERNAME
    service_password: str = DEFAULT_SERVICE_PASSWORD

    @field_validator("workout_api_url", "ai_coach_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"must be an http:// or https:// URL, got {value!r}")
        return value.strip().rstrip("/")

    def credentials(self) -> ServiceCredentials:
        return ServiceCredentials(self.service_username, self.service_password)


class WorkerLoopConfig(_Section):
    max_jobs: int = Field(10, ge=1)
    job_timeout: int = Field(300, ge=1, description="per-job timeout in seconds")
    health_port: int = Field(8002, ge=1, le=65535)


class ScheduleConfig(_Section):
    enable_hourly_refresh: bool = True
    enable_daily_warmup: bool = True
    enable_weekly_cleanup: bool = True
    warmup_hour: int = Field(6, ge=0, le=23, description="UTC hour of the daily warm-up")
    cleanup_day_of_week: int = Field(6, ge=0, le=6, description="0=Monday ... 6=Sunday")
    cleanup_hour: int = Field(2, ge=0, le=23, description="UTC hour of the weekly cleanup")
    # At most as long as finished runs' results are kept: that record is what makes a late
    # run happen once (see workout_worker.schedule).
    starting_deadline_seconds: int = Field(
        300, ge=0, le=3600, description="a run missed by more than this is skipped"
    )


class RefreshConfig(_Section):
    concurrency: int = Field(5, ge=1, description="pages fetched and processed at once")
    idempotency_ttl: int = Field(3600, ge=1, description="seconds an unchanged exercise is skipped")
    retry_delay: float = Field(5.0, ge=0, description="base delay of the exponential backoff (s)")
    max_retries: int = Field(3, ge=0, description="retries after the first attempt")


class WarmupConfig(_Section):
    delay_seconds: float = Field(0.5, ge=0, description="pause between two warm-up requests")


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="WORKER_",
        env_nested_delimiter="__",
        extra="ignore",
        frozen=True,
    )

    redis: RedisConfig = RedisConfig()
    api_client: ApiClientConfig = ApiClientConfig()
    worker: WorkerLoopConfig = WorkerLoopConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    refresh: RefreshConfig = RefreshConfig()
    warmup: WarmupConfig = WarmupConfig()


class SettingsError(ValueError):
    """The ``WORKER_*`` environment holds a value the worker cannot use."""


def describe_validation_error(error: ValidationError) -> str:
    """One line per bad variable, named as the user set it (``WORKER_REDIS__PORT``)."""
    lines = []
    for item in error.errors():
        name = "WORKER_" + "__".join(str(part).upper() for part in item["loc"])
        given = item.get("input")
        shown = "" if isinstance(given, dict) else f" (got {given!r})"
        lines.append(f"{name}: {item['msg']}{shown}")
    return "invalid worker configuration:\n  " + "\n  ".join(lines)


def load_settings() -> Settings:
    """Read the environment; raise :class:`SettingsError` with a readable message on bad values."""
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError(describe_validation_error(exc)) from exc


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
