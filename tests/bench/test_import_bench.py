"""Import benchmark (``make bench``): a generated 100,000-row Strong file and Hevy file
through ``POST /imports`` on a uvicorn-served API over PostgreSQL, with rows per second
and the server's peak memory growth, written into ``docs/benchmarks.md`` ("Imports").

Targets: at least 5,000 rows/s and under 100 MB of growth per file.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.bench.server_memory import sampled_memory
from workout_api import migrations
from workout_common.redis_support import free_port
from workout_testkit.servers import fresh_postgres_database, leased_redis_db

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("api_bench", HERE / "test_api_bench.py")
assert _spec is not None
assert _spec.loader is not None
api_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(api_bench)

DOC = HERE.parents[1] / "docs" / "benchmarks.md"
SECTION = "## Imports"
ROWS = 100_000
EXERCISES = (
    "Bench Press (Barbell)",
    "Squat (Barbell)",
    "Deadlift (Barbell)",
    "Overhead Press (Barbell)",
    "Bent Over Row (Barbell)",
)
SETS = 5  # x 5 exercises = 25 rows a workout
UNLIMITED = "1000000/minute"
TARGET_ROWS_PER_S = 5000
TARGET_GROWTH_MIB = 100

pytestmark = pytest.mark.bench


def _strong(path: Path, start: datetime) -> None:
    with path.open("w", newline="") as out:
        out.write("Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,")
        out.write("Seconds,Notes,Workout Notes,RPE\n")
        for n in range(ROWS // (SETS * len(EXERCISES))):
            when = (start + timedelta(days=n)).strftime("%Y-%m-%d %H:%M:%S")
            for exercise in EXERCISES:
                for order in range(1, SETS + 1):
                    out.write(
                        f"{when},Session {n},1h 5m,{exercise},{order},{60 + n % 40}.0,"
                        f"{5 + order}.0,0,0,,,8\n"
                    )


def _hevy(path: Path, start: datetime) -> None:
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    with path.open("w", newline="") as out:
        out.write(
            '"title","start_time","end_time","description","exercise_title","superset_id",'
            '"exercise_notes","set_index","set_type","weight_kg","reps","distance_km",'
            '"duration_seconds","rpe"\n'
        )
        for n in range(ROWS // (SETS * len(EXERCISES))):
            day = start + timedelta(days=n)
            begin = f"{day.day} {months[day.month - 1]} {day.year}, 07:30"
            end = f"{day.day} {months[day.month - 1]} {day.year}, 08:40"
            for exercise in EXERCISES:
                for index in range(SETS):
                    out.write(
                        f'"Day {n}","{begin}","{end}","","{exercise}","","","{index}",'
                        f'"normal","{60 + n % 40}","{5 + index}","","",""\n'
                    )


def _import(api: str, pid: int, headers: dict[str, str], path: Path) -> dict[str, float]:
    with sampled_memory(pid, interval=0.01) as memory, path.open("rb") as content:
        response = httpx.post(
            f"{api}/imports",
            files={"file": (path.name, content, "text/csv")},
            headers=headers,
            timeout=900,
        )
    assert response.status_code == 200, response.text
    assert response.json()["sets_created"] == ROWS
    return {
        "mib": path.stat().st_size / 2**20,
        "seconds": memory.seconds,
        "rows_per_s": ROWS / memory.seconds,
        "growth_mib": memory.growth_mib,
    }


def _write_section(text: str) -> None:
    existing = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(existing):
        updated = pattern.sub(lambda _: text.rstrip("\n") + "\n\n", existing)
    else:
        updated = existing.rstrip("\n") + "\n\n" + text
    DOC.write_text(updated.rstrip("\n") + "\n")


@pytest.mark.timeout(1200)  # seeding, then each format imported in turn
def test_import_benchmark(postgres_server: str, redis_server: str, tmp_path: Path) -> None:
    strong, hevy = tmp_path / "strong.csv", tmp_path / "hevy.csv"
    _strong(strong, datetime(2000, 1, 1, 7, tzinfo=UTC))
    _hevy(hevy, datetime(2020, 1, 1, tzinfo=UTC))
    with (
        fresh_postgres_database(postgres_server) as database,
        leased_redis_db(redis_server) as redis_url,
    ):
        migrations.upgrade(database)
        port = free_port()
        api = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "ENVIRONMENT": "test",
            "DATABASE_URL": database,
            "REDIS_URL": redis_url,
            "SECRET_KEY": "benchmark-secret-key-0123456789abcdef0123",
            "SEED_DEV_USERS": "true",
            "LOG_LEVEL": "WARNING",
            "RATELIMIT_AUTH_ANONYMOUS": UNLIMITED,
            "RATELIMIT_IMPORT_USER": UNLIMITED,
        }
        command = [sys.executable, "-m", "workout_api.cli", "--host", "127.0.0.1"]
        command += ["--port", str(port)]
        with api_bench._serve(command, env, f"{api}/health", tmp_path / "api.log") as pid:
            login = httpx.post(
                f"{api}/auth/login", json={"username": "user", "password": "user123"}
            )
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            figures: dict[str, Any] = {
                "Strong CSV": _import(api, pid, headers, strong),
                "Hevy CSV": _import(api, pid, headers, hevy),
            }
        machine = api_bench._machine(database)
    lines = [
        SECTION,
        "",
        f"`tests/bench/test_import_bench.py`: one `POST /imports` of a generated "
        f"{ROWS:,}-row file (4,000 workouts x 5 exercises x 5 sets) into an empty log, "
        "uvicorn, PostgreSQL. Memory is the server's peak RSS growth during the request.",
        f"Targets: {TARGET_ROWS_PER_S:,} rows/s, under {TARGET_GROWTH_MIB} MB. {machine}",
        "",
        "| file | size | seconds | rows/s | peak growth |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {name} | {f['mib']:.1f} MiB | {f['seconds']:.1f} | {f['rows_per_s']:,.0f} "
        f"| {f['growth_mib']:.0f} MiB |"
        for name, f in figures.items()
    ]
    _write_section("\n".join(lines) + "\n")
    print("\n".join(lines))
