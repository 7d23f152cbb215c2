"""Worker benchmark: ``refresh_exercises`` over 10,000 exercises at page concurrency 1, 5 and 20.

The real Workout API runs as its own process (``workout-api``, real PostgreSQL, real
Redis) so that concurrent page reads are served the way a deployment serves them. It
holds 10,000 exercises: the first 200 created through ``POST /exercises`` as the admin,
the rest in one bulk INSERT (the API's triggers keep its count and list version right),
because creating 10,000 rows one request at a time takes minutes. Each figure is the
median of several runs: a cold run (empty cache database: every exercise processed) and a
warm run right after it (every exercise skipped by its idempotency key). Ratios compare
with concurrency 1 measured in the same run.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import redis

from workout_common.redis_support import free_port
from workout_common.urls import redis_db_of
from workout_common.workout_api_client import MAX_PAGE_SIZE
from workout_testkit.servers import fresh_postgres_database, leased_redis_db
from workout_worker.resources import open_resources
from workout_worker.settings import ApiClientConfig, RedisConfig, RefreshConfig, Settings
from workout_worker.tasks.refresh import refresh_exercises

pytestmark = pytest.mark.bench

EXERCISES = int(os.environ.get("WORKER_BENCH_EXERCISES", "10000"))
SEED_OVER_HTTP = 200
CONCURRENCY_LEVELS = (1, 5, 20)
ROUNDS = int(os.environ.get("WORKER_BENCH_ROUNDS", "3"))
API_BIN = Path(sys.executable).parent / "workout-api"


@pytest.fixture(scope="module")
def api_url(postgres_server: str, redis_server: str) -> Iterator[str]:
    """The Workout API in its own process, seeded with :data:`EXERCISES` exercises."""
    with (
        fresh_postgres_database(postgres_server) as database_url,
        leased_redis_db(redis_server) as limits_url,
    ):
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": limits_url,
            "ENVIRONMENT": "development",
            "BCRYPT_ROUNDS": "4",
            "RATELIMIT_WRITE_ADMIN": "100000/minute",
            # Every timed run signs in afresh (27 sign-ins in a couple of minutes), which
            # the contract's 10/min on POST /auth/* would refuse; the long-running worker
            # signs in once and keeps its token.
            "RATELIMIT_AUTH_ANONYMOUS": "100000/minute",
            "LOG_LEVEL": "WARNING",
        }
        process = subprocess.Popen(
            [str(API_BIN), "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(url, process)
            _seed(url, database_url)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "workout-api exited while starting"
        try:
            if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("workout-api did not start")


def _seed(url: str, database_url: str) -> None:
    login = httpx.post(
        f"{url}/auth/login", json={"username": "admin", "password": "admin123"}, timeout=30
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as http:
        for i in range(SEED_OVER_HTTP):
            body = {"name": f"Exercise {i}", "sets": 3, "reps": 8 + i % 5, "weight": 20.0 + i}
            assert http.post("/exercises", json=body).status_code == 201
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO exercise (name, sets, reps, weight, workout_day) "
            "SELECT 'Exercise ' || i, 1 + i %% 5, 5 + i %% 10, "
            "CASE WHEN i %% 7 = 0 THEN NULL ELSE (i %% 100)::float END, "
            "(ARRAY['A','B','C'])[1 + i %% 3] "
            "FROM generate_series(%s::int, %s::int) AS i",
            (SEED_OVER_HTTP, EXERCISES - 1),
        )
    total = httpx.get(f"{url}/exercises", params={"page_size": 1}, timeout=30).json()["total"]
    assert total == EXERCISES


async def _timed_page_reads(settings: Settings) -> float:
    """Only the API side: read every page at the refresh's concurrency, process nothing."""
    async with open_resources(settings) as resources:
        await resources.api.exercise_page(1)  # sign in first, as the refresh does
        pages = range(1, -(-EXERCISES // MAX_PAGE_SIZE) + 1)
        limit = asyncio.Semaphore(settings.refresh.concurrency)

        async def read(page: int) -> None:
            async with limit:
                await resources.api.exercise_page(page)

        started = time.perf_counter()
        await read(1)
        await asyncio.gather(*(read(page) for page in pages[1:]))
        return time.perf_counter() - started


async def _timed_refresh(settings: Settings) -> tuple[float, dict[str, Any]]:
    async with open_resources(settings) as resources:
        started = time.perf_counter()
        result = await refresh_exercises(resources)
        elapsed = time.perf_counter() - started
    return elapsed, result.as_dict()


@pytest.mark.timeout(1800)
def test_refresh_page_concurrency(api_url: str, redis_server: str) -> None:
    with leased_redis_db(redis_server) as queue_url, leased_redis_db(redis_server) as cache_url:
        cache = redis.Redis.from_url(cache_url)
        cold: dict[int, list[float]] = {level: [] for level in CONCURRENCY_LEVELS}
        warm: dict[int, list[float]] = {level: [] for level in CONCURRENCY_LEVELS}
        reads: dict[int, list[float]] = {level: [] for level in CONCURRENCY_LEVELS}
        for _ in range(ROUNDS):
            for level in CONCURRENCY_LEVELS:
                settings = Settings(
                    redis=RedisConfig(
                        url=redis_server,
                        database=redis_db_of(queue_url),
                        cache_database=redis_db_of(cache_url),
                    ),
                    api_client=ApiClientConfig(workout_api_url=api_url),
                    refresh=RefreshConfig(concurrency=level, retry_delay=0.05),
                )
                cache.flushdb()
                seconds, result = asyncio.run(_timed_refresh(settings))
                assert result["processed"] == EXERCISES, result
                cold[level].append(seconds)
                seconds, result = asyncio.run(_timed_refresh(settings))
                assert result["skipped"] == EXERCISES, result
                warm[level].append(seconds)
                reads[level].append(asyncio.run(_timed_page_reads(settings)))

    base_cold = statistics.median(cold[1])
    base_warm = statistics.median(warm[1])
    print(f"\nWorker refresh over {EXERCISES} exercises (median of {ROUNDS} runs)")
    print(
        "| concurrency | cold run (s) | exercises/s | speed-up "
        "| warm run (s) | speed-up | page reads alone (s) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for level in CONCURRENCY_LEVELS:
        c, w = statistics.median(cold[level]), statistics.median(warm[level])
        r = statistics.median(reads[level])
        print(
            f"| {level} | {c:.2f} | {EXERCISES / c:,.0f} | {base_cold / c:.2f}x "
            f"| {w:.2f} | {base_warm / w:.2f}x | {r:.2f} |"
        )
