"""§7.1 rate limits per role on Redis DB 2, the 429 answer, and the fallback when Redis is down."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import redis
import time_machine

from workout_api.main import create_app
from workout_api.ratelimit.policy import Category, limit_for
from workout_api.settings import Settings
from workout_common.redis_support import free_port

Headers = dict[str, str]
Login = Callable[[httpx.AsyncClient, str, str], Awaitable[Headers]]

SMALL_LIMITS = {
    "ratelimit_read_anonymous": "2/minute",
    "ratelimit_read_user": "3/minute",
    "ratelimit_read_admin": "4/minute",
    "ratelimit_service_read": "5/minute",
    "ratelimit_write_anonymous": "1/minute",
    "ratelimit_write_user": "2/minute",
    "ratelimit_write_admin": "3/minute",
    "ratelimit_public_anonymous": "2/minute",
    "ratelimit_admin": "2/minute",
}


async def _count_until_limited(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    headers: Headers | None = None,
    json: Any = None,
    attempts: int = 20,
) -> tuple[int, httpx.Response]:
    for allowed in range(attempts):
        response = await client.request(method, path, headers=headers, json=json)
        if response.status_code == 429:
            return allowed, response
    raise AssertionError(f"{method} {path} was never limited in {attempts} requests")


@pytest.fixture
def limited_settings(make_settings: Any, migrated_postgres_url: str) -> Settings:
    settings: Settings = make_settings(migrated_postgres_url, **SMALL_LIMITS)
    return settings


async def test_each_role_gets_its_own_read_limit(
    limited_settings: Settings, client_for: Any, login: Login
) -> None:
    async with client_for(create_app(limited_settings)) as client:
        admin = await login(client, "admin", "admin123")
        user = await login(client, "user", "user123")
        service = await login(client, "workout-service", limited_settings.service_account_password)
        anonymous_allowed, refused = await _count_until_limited(client, "GET", "/exercises")
        user_allowed, _ = await _count_until_limited(client, "GET", "/exercises", user)
        admin_allowed, _ = await _count_until_limited(client, "GET", "/exercises/1", admin)
        service_allowed, _ = await _count_until_limited(client, "GET", "/exercises", service)
    assert (anonymous_allowed, user_allowed, admin_allowed, service_allowed) == (2, 3, 4, 5)
    assert refused.json()["detail"].startswith("Rate limit exceeded: 2 per 1 minute")
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["x-request-id"]
    assert refused.headers["x-response-time"].endswith("ms")


async def test_reads_share_one_budget_per_caller(
    limited_settings: Settings, client_for: Any
) -> None:
    async with client_for(create_app(limited_settings)) as client:
        assert (await client.get("/exercises")).status_code == 200
        assert (await client.get("/exercises/1")).status_code == 404
        assert (await client.get("/exercises")).status_code == 429
        assert (await client.get("/")).status_code == 200  # another category


async def test_write_limits_per_role_apply_before_authentication(
    limited_settings: Settings, client_for: Any, login: Login
) -> None:
    body = {"name": "Squat", "sets": 1, "reps": 1}
    async with client_for(create_app(limited_settings)) as client:
        user = await login(client, "user", "user123")
        admin = await login(client, "admin", "admin123")
        anonymous_allowed, _ = await _count_until_limited(client, "POST", "/exercises", json=body)
        user_allowed, _ = await _count_until_limited(client, "POST", "/exercises", user, json=body)
        admin_allowed, _ = await _count_until_limited(
            client, "PATCH", "/exercises/1", admin, json={"sets": 2}
        )
    assert (anonymous_allowed, user_allowed, admin_allowed) == (1, 2, 3)


async def test_limits_are_counted_per_user_not_per_role(
    limited_settings: Settings, client_for: Any, login: Login
) -> None:
    async with client_for(create_app(limited_settings)) as client:
        admin = await login(client, "admin", "admin123")
        await client.post(
            "/admin/users",
            json={"username": "second", "password": "password2"},
            headers=admin,
        )
        first = await login(client, "user", "user123")
        second = await login(client, "second", "password2")
        allowed_first, _ = await _count_until_limited(client, "GET", "/exercises", first)
        allowed_second, _ = await _count_until_limited(client, "GET", "/exercises", second)
    assert allowed_first == allowed_second == 3


async def test_admin_endpoints_have_their_limit(
    limited_settings: Settings, client_for: Any, login: Login
) -> None:
    async with client_for(create_app(limited_settings)) as client:
        admin = await login(client, "admin", "admin123")
        allowed, _ = await _count_until_limited(client, "GET", "/admin/users", admin)
    assert allowed == 2


async def test_login_is_limited_to_ten_per_minute_per_ip(
    make_settings: Any, migrated_sqlite_url: str, client_for: Any
) -> None:
    async with client_for(create_app(make_settings(migrated_sqlite_url))) as client:
        allowed, refused = await _count_until_limited(
            client, "POST", "/auth/login", json={"username": "admin", "password": "wrong-one"}
        )
        me = await client.get("/auth/me")
    assert allowed == 10
    assert refused.status_code == 429
    assert me.status_code == 429  # GET /auth/me shares the 10/min auth budget


async def test_sign_in_attempts_are_limited_per_account_too(
    make_settings: Any, migrated_sqlite_url: str, client_for: Any
) -> None:
    # However many addresses (or one proxy in front of everyone): three tries on one account.
    settings = make_settings(
        migrated_sqlite_url,
        ratelimit_auth_anonymous="1000/minute",
        ratelimit_login_account="3/minute",
    )
    async with client_for(create_app(settings)) as client:
        tries = [
            await client.post("/auth/login", json={"username": name, "password": "wrong-one"})
            for name in ("admin", "Admin", "ADMIN", "admin")
        ]
        other = await client.post("/auth/login", json={"username": "user", "password": "user123"})
    assert [t.status_code for t in tries] == [401, 401, 401, 429]
    assert int(tries[-1].headers["Retry-After"]) >= 1
    assert other.status_code == 200


async def test_health_is_never_limited(limited_settings: Settings, client_for: Any) -> None:
    async with client_for(create_app(limited_settings)) as client:
        statuses = {(await client.get("/health")).status_code for _ in range(30)}
    assert statuses == {200}


async def test_counters_live_in_redis_db_2_of_the_configured_server(
    make_settings: Any, migrated_sqlite_url: str, redis_url: str, client_for: Any
) -> None:
    settings = make_settings(migrated_sqlite_url, redis_url=redis_url.rsplit("/", 1)[0])
    from workout_api.main import rate_limit_redis_url

    assert rate_limit_redis_url(settings).endswith("/2")
    leased = make_settings(migrated_sqlite_url)  # REDIS_URL naming a DB keeps it
    assert rate_limit_redis_url(leased) == redis_url
    async with client_for(create_app(leased)) as client:
        await client.get("/")
    keys = redis.Redis.from_url(redis_url).keys("*workout-api*")
    assert keys, "the hit should be counted in the configured Redis database"


async def test_rate_limiting_can_be_disabled(
    make_settings: Any, migrated_sqlite_url: str, client_for: Any
) -> None:
    settings = make_settings(migrated_sqlite_url, ratelimit_enabled=False, **SMALL_LIMITS)
    async with client_for(create_app(settings)) as client:
        statuses = {(await client.get("/exercises")).status_code for _ in range(10)}
    assert statuses == {200}


async def test_redis_down_falls_back_to_memory_and_logs_once(
    make_settings: Any,
    migrated_sqlite_url: str,
    client_for: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    dead_redis = f"redis://127.0.0.1:{free_port()}/2"
    settings = make_settings(migrated_sqlite_url, redis_url=dead_redis, **SMALL_LIMITS)
    caplog.set_level(logging.INFO)
    async with client_for(create_app(settings)) as client:
        allowed, refused = await _count_until_limited(client, "GET", "/exercises")
        for _ in range(5):
            await client.get("/exercises")
        health = await client.get("/health")
    assert allowed == 2
    assert refused.status_code == 429
    assert health.status_code == 200
    assert health.json()["status"] == "healthy"
    assert health.json()["redis"] == {"status": "disconnected", "rate_limit_storage": "memory"}
    fallback_lines = [r for r in caplog.records if "counted in memory" in r.getMessage()]
    assert len(fallback_lines) == 1


async def test_a_concurrent_burst_gets_exactly_the_limit(
    limited_settings: Settings, client_for: Any, login: Login
) -> None:
    async with client_for(create_app(limited_settings)) as client:
        user = await login(client, "user", "user123")
        answers = await asyncio.gather(*(client.get("/exercises", headers=user) for _ in range(20)))
        health = await client.get("/health")
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200] * 3 + [429] * 17
    assert health.json()["redis"] == {"status": "connected", "rate_limit_storage": "redis"}


async def test_a_restarted_redis_that_forgot_its_scripts_still_counts(
    limited_settings: Settings, client_for: Any, redis_url: str
) -> None:
    async with client_for(create_app(limited_settings)) as client:
        first = await client.get("/exercises")
        with redis.Redis.from_url(redis_url) as server:
            server.script_flush()
        allowed, refused = await _count_until_limited(client, "GET", "/exercises")
        health = await client.get("/health")
    assert first.status_code == 200
    assert allowed == 1  # the anonymous limit is 2: one went before the flush
    assert refused.status_code == 429
    assert health.json()["redis"]["rate_limit_storage"] == "redis"


async def test_rate_limited_metric(limited_settings: Settings, client_for: Any) -> None:
    async with client_for(create_app(limited_settings)) as client:
        await _count_until_limited(client, "GET", "/")
        metrics = (await client.get("/metrics")).text
    assert 'workout_api_rate_limited_total{route="/"}' in metrics


def test_every_cell_of_the_table_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATELIMIT_READ_USER", "7/minute")
    monkeypatch.setenv("RATELIMIT_SERVICE_WRITE", "9/second")
    settings = Settings()
    assert limit_for(settings, Category.READ, "user") == "7/minute"
    assert limit_for(settings, Category.READ, "readonly") == "7/minute"
    assert limit_for(settings, Category.WRITE, "service") == "9/second"
    defaults = Settings.model_construct()
    table = {
        (Category.PUBLIC, None): "100/minute",
        (Category.AUTH, "user"): "10/minute",
        (Category.READ, None): "60/minute",
        (Category.READ, "user"): "120/minute",
        (Category.READ, "admin"): "300/minute",
        (Category.WRITE, None): "30/minute",
        (Category.WRITE, "user"): "60/minute",
        (Category.WRITE, "admin"): "150/minute",
        (Category.ADMIN, "admin"): "100/minute",
        (Category.READ, "service"): "10000/minute",
    }
    for (category, role), expected in table.items():
        assert limit_for(defaults, category, role) == expected


async def test_a_burst_across_a_minute_boundary_is_one_burst(
    limited_settings: Settings, client_for: Any
) -> None:
    # Two reads at 00:00:59.5 and a third at 00:01:00.5: within one minute, so refused,
    # whichever minute it is (fixed windows would let it through, and a test on them
    # would depend on the second it started at).
    async with client_for(create_app(limited_settings)) as client:
        with time_machine.travel(datetime(2024, 3, 4, 0, 0, 59, 500_000, tzinfo=UTC)) as clock:
            assert [(await client.get("/exercises")).status_code for _ in range(2)] == [200, 200]
            clock.move_to(datetime(2024, 3, 4, 0, 1, 0, 500_000, tzinfo=UTC))
            refused = await client.get("/exercises")
            clock.move_to(datetime(2024, 3, 4, 0, 2, 0, tzinfo=UTC))
            again = await client.get("/exercises")
    assert refused.status_code == 429
    # The first read leaves the window about 59 s later (60 once rounded up on a slow run).
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert again.status_code == 200
