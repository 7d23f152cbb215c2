"""Fixtures of the observability tests: PromQL helpers, promtool, helm, the chart files script."""

from __future__ import annotations

import contextlib
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from workout_common.redis_support import free_port
from workout_common.urls import redis_db_of
from workout_testkit.modules import load_module
from workout_testkit.otlp_receiver import OtlpReceiver
from workout_testkit.servers import fresh_postgres_database, leased_redis_db
from workout_testkit.service_process import ServiceProcess

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ANONYMOUS_READS_PER_MINUTE = 20


@pytest.fixture(scope="session")
def promql() -> ModuleType:
    return load_module(Path(__file__).with_name("promql.py"), "observability_promql")


@pytest.fixture(scope="session")
def chart_files() -> ModuleType:
    return load_module(ROOT / "monitoring/build_chart_files.py", "observability_chart_files")


def _tool(name: str, hint: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is missing: {hint}"
    return found


@pytest.fixture(scope="session")
def promtool() -> str:
    return _tool("promtool", "run `make prometheus-tools` (Debian package prometheus)")


@pytest.fixture(scope="session")
def prometheus_binary() -> str:
    return _tool("prometheus", "run `make prometheus-tools` (Debian package prometheus)")


@pytest.fixture(scope="session")
def helm() -> str:
    path = ROOT / ".tools/bin/helm"
    assert path.exists(), "helm is missing: run `make helm`"
    return str(path)


@dataclass
class Platform:
    api: Any
    coach: Any
    worker: Any
    otlp: OtlpReceiver
    redis_server: str
    queue_db: int
    exercise_ids: list[int] = field(default_factory=list)
    anonymous_reads_per_minute: int = ANONYMOUS_READS_PER_MINUTE

    @property
    def services(self) -> list[Any]:
        return [self.api, self.coach, self.worker]

    def logs(self) -> str:
        return "\n".join(service.log_tail() for service in self.services)


@pytest.fixture(scope="session")
def platform(
    postgres_server: str, redis_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Platform]:
    """API, coach and worker as real processes exporting spans to a local OTLP receiver.

    Each has its own leased Redis databases and a fresh PostgreSQL database; the coach has
    no provider key, so it answers with its built-in offline model.
    """
    logs = tmp_path_factory.mktemp("platform-logs")
    with contextlib.ExitStack() as stack:
        otlp = stack.enter_context(OtlpReceiver())
        database_url = stack.enter_context(fresh_postgres_database(postgres_server))
        api_redis = stack.enter_context(leased_redis_db(redis_server))
        cache_redis = stack.enter_context(leased_redis_db(redis_server))
        queue_redis = stack.enter_context(leased_redis_db(redis_server))
        api_port, coach_port, worker_port = free_port(), free_port(), free_port()
        api_url = f"http://127.0.0.1:{api_port}"
        coach_url = f"http://127.0.0.1:{coach_port}"

        def otel(name: str) -> dict[str, str]:
            return {
                "OTEL_SERVICE_NAME": name,
                "OTEL_EXPORTER_OTLP_ENDPOINT": otlp.endpoint,
                "OTEL_BSP_SCHEDULE_DELAY": "200",
                "LOG_LEVEL": "INFO",
            }

        api = ServiceProcess(
            "api",
            [str(BIN / "workout-api"), "--host", "127.0.0.1", "--port", str(api_port)],
            {
                **otel("workout-api"),
                "DATABASE_URL": database_url,
                "REDIS_URL": api_redis,
                "ENVIRONMENT": "development",
                "RATELIMIT_READ_ANONYMOUS": f"{ANONYMOUS_READS_PER_MINUTE}/minute",
            },
            api_port,
            logs / "api.log",
        )
        coach = ServiceProcess(
            "coach",
            [str(BIN / "workout-coach"), "--host", "127.0.0.1", "--port", str(coach_port)],
            {**otel("workout-coach"), "WORKOUT_API_URL": api_url, "REDIS_URL": cache_redis},
            coach_port,
            logs / "coach.log",
        )
        worker = ServiceProcess(
            "worker",
            [str(BIN / "workout-worker"), "--host", "127.0.0.1"],
            {
                **otel("workout-worker"),
                "WORKER_REDIS__URL": redis_server,
                "WORKER_REDIS__DATABASE": str(redis_db_of(queue_redis)),
                "WORKER_REDIS__CACHE_DATABASE": str(redis_db_of(cache_redis)),
                "WORKER_API_CLIENT__WORKOUT_API_URL": api_url,
                "WORKER_API_CLIENT__AI_COACH_URL": coach_url,
                "WORKER_WORKER__HEALTH_PORT": str(worker_port),
                "WORKER_SCHEDULE__ENABLE_HOURLY_REFRESH": "false",
                "WORKER_SCHEDULE__ENABLE_DAILY_WARMUP": "false",
                "WORKER_SCHEDULE__ENABLE_WEEKLY_CLEANUP": "false",
                "WORKER_WARMUP__DELAY_SECONDS": "0",
            },
            worker_port,
            logs / "worker.log",
        )
        started = Platform(api, coach, worker, otlp, redis_server, redis_db_of(queue_redis))
        for service in started.services:
            stack.callback(service.stop)
        for service in started.services:
            service.start()
            service.wait_healthy()
        started.exercise_ids = seed_exercises(api.url)
        yield started


SEED_EXERCISES = [
    {"name": "Bench Press", "sets": 4, "reps": 8, "weight": 80.0, "workout_day": "A"},
    {"name": "Squat", "sets": 5, "reps": 5, "weight": 120.0, "workout_day": "B"},
    {"name": "Pull Up", "sets": 3, "reps": 10, "weight": None, "workout_day": "A"},
]


def admin_headers(api_url: str) -> dict[str, str]:
    login = httpx.post(
        f"{api_url}/auth/login", json={"username": "admin", "password": "admin123"}, timeout=30
    )
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def seed_exercises(api_url: str) -> list[int]:
    """A small workout, so the coach and the worker have something to work on in any test."""
    headers = admin_headers(api_url)
    ids = []
    for exercise in SEED_EXERCISES:
        answer = httpx.post(f"{api_url}/exercises", json=exercise, headers=headers, timeout=30)
        assert answer.status_code == 201, answer.text
        ids.append(int(answer.json()["id"]))
    return ids
