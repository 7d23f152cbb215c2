"""``workout-worker``: Arq loop and health server in one process, stopped cleanly by SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import httpx
from arq.connections import create_pool
from arq.jobs import Job, JobStatus

from workout_worker.queue import arq_redis_settings

WORKER_BIN = Path(sys.executable).parent / "workout-worker"


def worker_env(settings: dict[str, str]) -> dict[str, str]:
    """This environment without any ``WORKER_*`` variable of the caller, plus ``settings``."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("WORKER_")},
        **settings,
    }


@contextlib.contextmanager
def worker_service(
    env: dict[str, str], stderr: IO[bytes] | int
) -> Iterator[subprocess.Popen[bytes]]:
    """``workout-worker`` running as a service; killed at the end if the test left it running."""
    process = subprocess.Popen(
        [str(WORKER_BIN), "--host", "127.0.0.1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def wait_for_health(url: str, process: subprocess.Popen[bytes]) -> httpx.Response:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "workout-worker exited while starting"
        try:
            return httpx.get(url, timeout=5)
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError("health server did not answer")


async def run_refresh_job(settings: Any) -> dict[str, Any]:
    """Queue a refresh for the running worker process and wait for its result."""
    pool = await create_pool(arq_redis_settings(settings))
    try:
        job = await pool.enqueue_job("refresh_exercises")
        assert job is not None
        result: dict[str, Any] = await job.result(timeout=60)
        assert await Job(job.job_id, pool).status() == JobStatus.complete
        return result
    finally:
        await pool.aclose()


def test_runs_jobs_serves_health_and_stops_on_sigterm(
    live_api: Any, live_coach: str, worker_redis: Any, make_settings: Any
) -> None:
    settings = make_settings(
        api_client={"workout_api_url": live_api.url, "ai_coach_url": live_coach}
    )
    live_api.create(name="Overhead Press", weight=40.0)
    env = worker_env(
        {
            "WORKER_REDIS__URL": worker_redis.server_url,
            "WORKER_REDIS__DATABASE": str(worker_redis.queue_db),
            "WORKER_REDIS__CACHE_DATABASE": str(worker_redis.cache_db),
            "WORKER_API_CLIENT__WORKOUT_API_URL": live_api.url,
            "WORKER_API_CLIENT__AI_COACH_URL": live_coach,
            "WORKER_WORKER__HEALTH_PORT": str(settings.worker.health_port),
            # Only the refresh queued below runs, whatever the hour (no scheduled one meets it).
            "WORKER_SCHEDULE__ENABLE_HOURLY_REFRESH": "false",
            "WORKER_SCHEDULE__ENABLE_DAILY_WARMUP": "false",
            "WORKER_SCHEDULE__ENABLE_WEEKLY_CLEANUP": "false",
        }
    )
    with worker_service(env, stderr=subprocess.DEVNULL) as process:
        health = wait_for_health(f"http://127.0.0.1:{settings.worker.health_port}/health", process)
        assert health.status_code == 200
        assert health.json()["status"] == "healthy"

        assert asyncio.run(run_refresh_job(settings))["processed"] == 1
        assert worker_redis.cache.exists("workout:context:v1")

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0


def test_without_redis_it_stays_up_reports_unhealthy_and_still_stops_cleanly(
    worker_redis: Any, make_settings: Any, down_redis_url: str, unused_url: Any, tmp_path: Path
) -> None:
    port = make_settings().worker.health_port
    env = worker_env(
        {
            "WORKER_REDIS__URL": down_redis_url,
            "WORKER_API_CLIENT__WORKOUT_API_URL": unused_url(),
            "WORKER_API_CLIENT__AI_COACH_URL": unused_url(),
            "WORKER_WORKER__HEALTH_PORT": str(port),
        }
    )
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log, worker_service(env, stderr=log) as process:
        health = wait_for_health(f"http://127.0.0.1:{port}/health", process)
        assert health.status_code == 503
        assert health.json()["status"] == "unhealthy"
        deadline = time.monotonic() + 60
        while "cannot reach Redis" not in log_path.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "cannot reach Redis" in log_path.read_text()
        assert process.poll() is None
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).status_code == 503

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
