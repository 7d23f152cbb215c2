"""Import benchmark (``make bench``): a generated 100,000-row Strong file and Hevy file
through ``POST /imports`` on a uvicorn-served API over PostgreSQL, first as a dry run, then
imported, with rows per second and the server's peak memory growth; then
``GET /workouts/export`` of 100,000 sets in each format, with sets per second and memory
growth, against the database alone handing over the same sets (``COPY ... TO STDOUT``).
Written into ``docs/benchmarks.md`` ("Imports").

Targets: at least 5,000 rows/s and under 100 MB of growth per file.
"""

from __future__ import annotations

import importlib.util
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
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
TARGET_ROWS_PER_S = 5000
TARGET_GROWTH_MIB = 100
# The Strong file's workouts: 4,000 days from 2000-01-01, all before this.
STRONG_UNTIL = "2015-01-01"
EXPORT_FORMATS = ("json", "strong", "hevy")
# The sets of the Strong file's workouts, as the export reads them (the baseline).
BASELINE_SQL = """
COPY (
    SELECT w.started_at, w.title, e.position, t.name, s.position, s.type, s.weight_kg,
           s.reps, s.duration_s, s.distance_m, s.rpe, s.completed
    FROM workout w
    JOIN workout_exercise e ON e.workout_id = w.id
    JOIN exercise_template t ON t.id = e.template_id
    JOIN workout_set s ON s.workout_exercise_id = e.id
    WHERE w.started_at < '2015-01-01'
    ORDER BY w.started_at, w.id, e.position, s.position
) TO STDOUT
"""

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


def _finished(api: str, headers: dict[str, str], response: httpx.Response) -> dict[str, Any]:
    """The result of an import: at once (200), or polled until its job is done (202)."""
    if response.status_code == 200:
        body: dict[str, Any] = response.json()
        return body
    assert response.status_code == 202, response.text
    location = f"{api}{response.headers['location']}"
    while True:
        job = httpx.get(location, headers=headers, timeout=30).json()
        if job["status"] != "running":
            assert job["status"] == "succeeded", job
            result: dict[str, Any] = job["result"]
            return result
        time.sleep(0.05)


def _import(
    api: str, pid: int, headers: dict[str, str], path: Path, *, dry_run: bool
) -> dict[str, float]:
    with sampled_memory(pid, interval=0.01) as memory, path.open("rb") as content:
        response = httpx.post(
            f"{api}/imports",
            params={"dry_run": str(dry_run).lower()},
            files={"file": (path.name, content, "text/csv")},
            headers=headers,
            timeout=900,
        )
        result = _finished(api, headers, response)
    assert result["sets_created"] == ROWS
    assert result["dry_run"] is dry_run
    return {
        "mib": path.stat().st_size / 2**20,
        "seconds": memory.seconds,
        "rows_per_s": ROWS / memory.seconds,
        "growth_mib": memory.growth_mib,
    }


def _export(api: str, pid: int, headers: dict[str, str], export_format: str) -> dict[str, float]:
    size = 0
    with (
        sampled_memory(pid, interval=0.01) as memory,
        httpx.stream(
            "GET",
            f"{api}/workouts/export",
            params={"format": export_format, "to": STRONG_UNTIL},
            headers=headers,
            timeout=900,
        ) as response,
    ):
        assert response.status_code == 200
        for chunk in response.iter_bytes():
            size += len(chunk)
    return {
        "mib": size / 2**20,
        "seconds": memory.seconds,
        "sets_per_s": ROWS / memory.seconds,
        "growth_mib": memory.growth_mib,
    }


def _baseline_export(database: str) -> float:
    """Seconds for PostgreSQL alone to hand the same 100,000 sets to a client."""
    with psycopg.connect(database) as conn, conn.cursor() as cursor:
        started = time.perf_counter()
        rows = 0
        with cursor.copy(BASELINE_SQL) as copy:
            for block in copy:  # text format: one line per row, newlines in values escaped
                rows += bytes(block).count(b"\n")
        seconds = time.perf_counter() - started
    assert rows == ROWS
    return seconds


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
        env = api_bench.api_environment(
            database, redis_url, ("AUTH_ANONYMOUS", "IMPORT_USER", "READ_USER")
        )
        command = api_bench.api_command(port)
        with api_bench._serve(command, env, f"{api}/health", tmp_path / "api.log") as pid:
            login = httpx.post(
                f"{api}/auth/login",
                json={"username": "user", "password": "user123"},
                timeout=60,  # the machine may be shared and loaded
            )
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            load = os.getloadavg()
            dry_runs: dict[str, Any] = {
                "Strong CSV": _import(api, pid, headers, strong, dry_run=True),
                "Hevy CSV": _import(api, pid, headers, hevy, dry_run=True),
            }
            figures: dict[str, Any] = {
                "Strong CSV": _import(api, pid, headers, strong, dry_run=False),
                "Hevy CSV": _import(api, pid, headers, hevy, dry_run=False),
            }
            baseline = _baseline_export(database)
            exports = {name: _export(api, pid, headers, name) for name in EXPORT_FORMATS}
        machine = api_bench._machine(database)
    lines = [
        SECTION,
        "",
        f"`tests/bench/test_import_bench.py`: one `POST /imports` of a generated "
        f"{ROWS:,}-row file (4,000 workouts x 5 exercises x 5 sets) into an empty log, "
        "uvicorn, PostgreSQL. Memory is the server's peak RSS growth during the request, "
        "from its RSS before it: memory an earlier request left to the process is reused "
        "first, so a later request can show none.",
        "Files over 5 MB are answered 202 and imported in the background: the time runs "
        "from the upload to the poll of `GET /imports/{id}` (every 50 ms) that sees it done.",
        f"Targets: {TARGET_ROWS_PER_S:,} rows/s, under {TARGET_GROWTH_MIB} MB. {machine}. "
        f"Load average at the start: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}.",
        "",
        "| file | size | seconds | rows/s | peak growth | dry run seconds | dry run rows/s "
        "| dry run vs import | dry run growth |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {name} | {f['mib']:.1f} MiB | {f['seconds']:.1f} | {f['rows_per_s']:,.0f} "
        f"| {f['growth_mib']:.0f} MiB | {d['seconds']:.1f} | {d['rows_per_s']:,.0f} "
        f"| {d['rows_per_s'] / f['rows_per_s']:.1f}x | {d['growth_mib']:.0f} MiB |"
        for (name, f), d in zip(figures.items(), dry_runs.values(), strict=True)
    ]
    lines += [
        "",
        f"`GET /workouts/export?to={STRONG_UNTIL}`: the Strong file's {ROWS:,} sets (4,000 "
        "workouts) streamed and read to the end, with the other 4,000 workouts in the log. "
        "Baseline: PostgreSQL alone sending the same sets, joined and sorted, to a client "
        f"(`COPY ... TO STDOUT`): {baseline:.2f} s, {ROWS / baseline:,.0f} sets/s.",
        "",
        "| format | size | seconds | sets/s | vs baseline (time) | peak growth |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {name} | {e['mib']:.1f} MiB | {e['seconds']:.1f} | {e['sets_per_s']:,.0f} "
        f"| {e['seconds'] / baseline:.1f}x | {e['growth_mib']:.0f} MiB |"
        for name, e in exports.items()
    ]
    api_bench._write_section("\n".join(lines) + "\n", SECTION)
    print("\n".join(lines))
