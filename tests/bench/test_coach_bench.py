"""AI coach benchmark: /recommend cached vs uncached, /analyze over 10,000 exercises.

The live Workout API app (real PostgreSQL, real Redis) holds 10,000 exercises: the first
200 created through its HTTP endpoint as the admin, the rest in one bulk INSERT (the API's
statement-level triggers keep its count and ETag version right), because creating 10,000
rows one request at a time would take longer than everything measured here. The coach runs
the offline coach model. Each figure is the median of several timed requests; ratios
compare paths measured in this run.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pydantic_ai import models

from workout_api.main import create_app as create_api_app
from workout_api.settings import Settings as ApiSettings
from workout_coach.main import create_app as create_coach_app
from workout_coach.settings import CoachSettings
from workout_coach.workout_context import build_context, parse_exercises
from workout_common.context_snapshot import CONTEXT_SNAPSHOT_KEY
from workout_common.redis_support import redis_client
from workout_testkit.fake_anthropic import serve_app
from workout_testkit.servers import leased_redis_db

pytestmark = pytest.mark.bench

EXERCISES = int(os.environ.get("COACH_BENCH_EXERCISES", "10000"))
SEED_CONCURRENCY = 8
SEED_OVER_HTTP = 200
ROUNDS = 7
NAMES = [
    ("Bench Press", 80.0),
    ("Back Squat", 100.0),
    ("Barbell Row", 60.0),
    ("Overhead Press", 45.0),
    ("Romanian Deadlift", 90.0),
    ("Pull-Up", None),
    ("Bicep Curl", 15.0),
    ("Tricep Pushdown", 25.0),
    ("Plank", None),
    ("Walking Lunge", 20.0),
]


def exercise(i: int) -> dict[str, Any]:
    name, weight = NAMES[i % len(NAMES)]
    return {
        "name": f"{name}",
        "sets": 3 + i % 3,
        "reps": 5 + i % 8,
        "weight": weight,
        "workout_day": "ABC"[i % 3],
    }


async def median_ms(call: Callable[[], Awaitable[httpx.Response]], rounds: int = ROUNDS) -> float:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = await call()
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text
    return statistics.median(timings)


@contextlib.asynccontextmanager
async def coach(**values: Any) -> AsyncIterator[httpx.AsyncClient]:
    settings = CoachSettings.model_validate(
        {
            "ai_model": "offline",
            "anthropic_api_key": None,
            "anthropic_base_url": None,
            # the benchmark measures the coach, not its limits
            "coach_ratelimit": "1000000/minute",
            **values,
        }
    )
    app = create_coach_app(settings)
    async with (
        LifespanManager(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://coach", timeout=120
        ) as client,
    ):
        yield client


def bulk_insert(postgres_url: str, first: int, count: int) -> None:
    import psycopg

    rows = [exercise(i) for i in range(first, first + count)]
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO exercise (name, sets, reps, weight, workout_day) "
            "SELECT * FROM unnest(%s::text[], %s::int[], %s::int[], %s::float8[], %s::text[])",
            [
                [row[column] for row in rows]
                for column in ("name", "sets", "reps", "weight", "workout_day")
            ],
        )


async def seed(api_url: str, count: int) -> None:
    async with httpx.AsyncClient(base_url=api_url, timeout=60) as client:
        login = await client.post("/auth/login", json={"username": "admin", "password": "admin123"})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        queue = iter(range(count))

        async def worker() -> None:
            for i in queue:
                response = await client.post("/exercises", json=exercise(i), headers=headers)
                assert response.status_code == 201, response.text

        await asyncio.gather(*(worker() for _ in range(SEED_CONCURRENCY)))


@pytest.mark.timeout(900)
async def test_coach_benchmark(
    postgres_url: str, redis_url: str, redis_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(models, "ALLOW_MODEL_REQUESTS", False)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    api_settings = ApiSettings(
        environment="test",
        database_url=postgres_url,
        redis_url=redis_url,
        secret_key="coach-benchmark-secret-key-for-the-workout-api-0123",
        bcrypt_rounds=4,
        seed_dev_users=True,
        auto_migrate=True,
        ratelimit_enabled=False,
    )
    with leased_redis_db(redis_server) as coach_redis_url:
        async with serve_app(create_api_app(api_settings)) as api_url:
            logging.getLogger().setLevel(logging.WARNING)
            over_http = min(SEED_OVER_HTTP, EXERCISES)
            started = time.perf_counter()
            await seed(api_url, over_http)
            http_seed_ms = (time.perf_counter() - started) * 1000 / over_http
            bulk_insert(postgres_url, over_http, EXERCISES - over_http)

            request = {"focus_area": "legs", "session_duration_minutes": 60}
            async with coach(
                workout_api_url=api_url, redis_url=coach_redis_url, coach_cache_ttl_seconds=0
            ) as uncached_coach:
                uncached_ms = await median_ms(
                    lambda: uncached_coach.post("/recommend", json=request)
                )
                analyze_api_ms = await median_ms(lambda: uncached_coach.get("/analyze"))
                analysis = (await uncached_coach.get("/analyze")).json()
                health_ms = await median_ms(lambda: uncached_coach.get("/health"))

            async with coach(
                workout_api_url=api_url, redis_url=coach_redis_url, coach_cache_ttl_seconds=3600
            ) as cached_coach:
                warm = await cached_coach.post("/recommend", json=request)
                cached_ms = await median_ms(lambda: cached_coach.post("/recommend", json=request))
                again = await cached_coach.post("/recommend", json=request)

            # the worker's snapshot of the same 10,000 exercises, read from Redis DB 0
            async with httpx.AsyncClient(base_url=api_url, timeout=60) as client:
                items: list[dict[str, Any]] = []
                page = 1
                while len(items) < EXERCISES:
                    response = await client.get(
                        "/exercises", params={"page": page, "page_size": 200}
                    )
                    if page == 1:
                        list_etag = response.headers["etag"]
                    items.extend(response.json()["items"])
                    page += 1
            redis = redis_client(coach_redis_url)
            await redis.set(
                CONTEXT_SNAPSHOT_KEY,
                json.dumps(
                    {
                        "generated_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                        "total": len(items),
                        "exercises": items,
                        "list_etag": list_etag,
                    }
                ),
            )
            await redis.aclose()
            async with coach(
                workout_api_url=api_url,
                redis_url=coach_redis_url,
                coach_cache_ttl_seconds=0,
                coach_context_max_age_seconds=3600,
            ) as snapshot_coach:
                analyze_snapshot_ms = await median_ms(lambda: snapshot_coach.get("/analyze"))
                snapshot_analysis = (await snapshot_coach.get("/analyze")).json()

    records = parse_exercises(items)
    started = time.perf_counter()
    for _ in range(ROUNDS):
        context = build_context(records)
    context_ms = (time.perf_counter() - started) * 1000 / ROUNDS

    assert warm.json() == again.json()
    assert f"{EXERCISES:,}".replace(",", "") in analysis["summary"].replace(",", "")
    assert snapshot_analysis == analysis
    assert analysis["muscle_balance_score"] == context.muscle_balance_score

    rows = [
        ("POST /exercises while seeding (per exercise)", f"{http_seed_ms:.1f} ms", ""),
        ("GET /health (baseline)", f"{health_ms:.1f} ms", "1.0x"),
        (
            f"POST /recommend, uncached ({EXERCISES:,} exercises)",
            f"{uncached_ms:.1f} ms",
            f"{uncached_ms / health_ms:.1f}x",
        ),
        ("POST /recommend, cached", f"{cached_ms:.1f} ms", f"{cached_ms / health_ms:.1f}x"),
        (
            f"GET /analyze, {-(-EXERCISES // 200)} API pages of 200",
            f"{analyze_api_ms:.1f} ms",
            f"{analyze_api_ms / health_ms:.1f}x",
        ),
        (
            "GET /analyze, worker snapshot",
            f"{analyze_snapshot_ms:.1f} ms",
            f"{analyze_snapshot_ms / health_ms:.1f}x",
        ),
        (f"build_context over {EXERCISES:,} exercises", f"{context_ms:.1f} ms", ""),
    ]
    print("\n\nAI coach benchmark (offline coach, medians of", ROUNDS, "requests)")
    for name, value, ratio in rows:
        print(f"| {name} | {value} | {ratio} |")
    print(f"cached /recommend is {uncached_ms / cached_ms:.0f}x faster than uncached")
    print(
        f"/analyze from the snapshot is {analyze_api_ms / analyze_snapshot_ms:.1f}x faster than paging the API"
    )
