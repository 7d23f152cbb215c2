"""Configuration: the contract's WORKER_* table, its defaults, and readable errors."""

from __future__ import annotations

import pytest

from workout_common.service_identity import DEFAULT_SERVICE_USERNAME
from workout_worker.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("WORKER_"):
            monkeypatch.delenv(name)


def test_defaults_are_the_contracts() -> None:
    settings = load_settings()

    assert (settings.redis.host, settings.redis.port) == ("localhost", 6379)
    assert (settings.redis.database, settings.redis.cache_database) == (1, 0)
    assert settings.api_client.workout_api_url == "http://localhost:8000"
    assert settings.api_client.ai_coach_url == "http://localhost:8001"
    assert settings.api_client.timeout == 30
    assert (settings.worker.max_jobs, settings.worker.job_timeout) == (10, 300)
    assert settings.worker.health_port == 8002
    schedule = settings.schedule
    assert schedule.enable_hourly_refresh
    assert schedule.enable_daily_warmup
    assert schedule.enable_weekly_cleanup
    assert (schedule.warmup_hour, schedule.cleanup_day_of_week, schedule.cleanup_hour) == (6, 6, 2)
    refresh = settings.refresh
    assert (refresh.concurrency, refresh.idempotency_ttl) == (5, 3600)
    assert (refresh.retry_delay, refresh.max_retries) == (5, 3)
    assert settings.warmup.delay_seconds == 0.5
    assert settings.api_client.service_username == DEFAULT_SERVICE_USERNAME
    assert settings.redis.queue_url() == "redis://localhost:6379/1"
    assert settings.redis.cache_url() == "redis://localhost:6379/0"


def test_nested_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKER_REDIS__HOST", "redis.internal")
    monkeypatch.setenv("WORKER_REDIS__PORT", "6380")
    monkeypatch.setenv("WORKER_REDIS__DATABASE", "4")
    monkeypatch.setenv("WORKER_REDIS__CACHE_DATABASE", "5")
    monkeypatch.setenv("WORKER_API_CLIENT__WORKOUT_API_URL", "http://api:8000/")
    monkeypatch.setenv("WORKER_API_CLIENT__SERVICE_PASSWORD", "s3cret")
    monkeypatch.setenv("WORKER_SCHEDULE__ENABLE_DAILY_WARMUP", "false")
    monkeypatch.setenv("WORKER_SCHEDULE__WARMUP_HOUR", "23")
    monkeypatch.setenv("WORKER_REFRESH__CONCURRENCY", "20")
    monkeypatch.setenv("WORKER_WARMUP__DELAY_SECONDS", "0")

    settings = load_settings()

    assert settings.redis.queue_url() == "redis://redis.internal:6380/4"
    assert settings.redis.cache_url() == "redis://redis.internal:6380/5"
    assert settings.api_client.workout_api_url == "http://api:8000"
    assert settings.api_client.credentials().password == "s3cret"
    assert settings.schedule.enable_daily_warmup is False
    assert settings.schedule.warmup_hour == 23
    assert settings.refresh.concurrency == 20
    assert settings.warmup.delay_seconds == 0


def test_redis_url_overrides_host_and_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKER_REDIS__URL", "redis://127.0.0.1:7001/9")
    monkeypatch.setenv("WORKER_REDIS__HOST", "ignored")

    settings = load_settings()

    assert settings.redis.queue_url() == "redis://127.0.0.1:7001/1"
    assert settings.redis.cache_url() == "redis://127.0.0.1:7001/0"


@pytest.mark.parametrize(
    ("variable", "value", "complaint"),
    [
        ("WORKER_REDIS__PORT", "70000", "less than or equal to 65535"),
        ("WORKER_REDIS__DATABASE", "16", "less than or equal to 15"),
        ("WORKER_REDIS__CACHE_DATABASE", "-1", "greater than or equal to 0"),
        ("WORKER_WORKER__HEALTH_PORT", "0", "greater than or equal to 1"),
        ("WORKER_SCHEDULE__WARMUP_HOUR", "24", "less than or equal to 23"),
        ("WORKER_SCHEDULE__CLEANUP_HOUR", "-3", "greater than or equal to 0"),
        ("WORKER_SCHEDULE__CLEANUP_DAY_OF_WEEK", "7", "less than or equal to 6"),
        ("WORKER_REFRESH__CONCURRENCY", "0", "greater than or equal to 1"),
        ("WORKER_WORKER__MAX_JOBS", "0", "greater than or equal to 1"),
        ("WORKER_SCHEDULE__ENABLE_HOURLY_REFRESH", "maybe", "valid boolean"),
        ("WORKER_API_CLIENT__AI_COACH_URL", "coach:8001", "http:// or https:// URL"),
        ("WORKER_REDIS__URL", "http://redis:6379", "redis://"),
        ("WORKER_REFRESH__CONCURENCY", "8", "Extra inputs are not permitted"),
    ],
)
def test_bad_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, complaint: str
) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(SettingsError) as caught:
        load_settings()

    message = str(caught.value)
    assert variable in message
    assert complaint in message
