"""Training-log benchmark (``make bench``): a long history against a short one, and the
contract's ``GET /exercises`` list as yardstick, in one run.

Seeds PostgreSQL with a crowd of lifters, one heavy user (2,000 workouts, 50,000 sets) and
one with 1,000 sets, computing the kept summaries and records with the API's own
functions, serves the API with uvicorn, drives it from a separate load-generator process
and writes the ratios into ``docs/benchmarks.md`` (section "Training log").
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import statistics
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import bcrypt
import httpx
import psycopg
import pytest

from tests.bench.server_memory import PeakMemory, sampled_memory
from workout_api import migrations
from workout_api.training.figures import SUMMARY_COLUMN, exercise_figures, records_over, week_start
from workout_common.redis_support import free_port
from workout_testkit.servers import fresh_postgres_database, leased_redis_db

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("api_bench", HERE / "test_api_bench.py")
assert _spec is not None
assert _spec.loader is not None
api_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(api_bench)

SECTION = "## Training log"
CROWD = int(os.environ.get("TRAINING_BENCH_CROWD", "100"))
CROWD_WORKOUTS = 500  # 100 x 500 workouts x 25 sets: 1.25 million sets beside the heavy user
HEAVY_WORKOUTS = 2000
SETS_PER_EXERCISE = 5
EXERCISES_PER_WORKOUT = 5
LIGHT_WORKOUTS = 40  # 40 x 5 x 5 = 1,000 sets
PASSWORD = "bench-password"
ROUNDS = 5
POSTERS = 8  # writers in parallel, one connection each: one lifter logs one workout at a time
EPOCH = datetime(2019, 1, 7, 17, 0, tzinfo=UTC)
SPAN_HOURS = 24 * 7 * 365  # every history spans seven years
FIGURE_COLUMNS = ("set_count", "working_sets", "volume_kg", *SUMMARY_COLUMN.values())
YARDSTICK = "/exercises?page=1&page_size=20"

pytestmark = pytest.mark.bench


class _Set:
    __slots__ = ("completed", "reps", "type", "weight_kg")

    def __init__(self, type_: str, weight_kg: float, reps: int) -> None:
        self.type, self.weight_kg, self.reps, self.completed = type_, weight_kg, reps, True


def _history(
    rng: random.Random, user_id: int, count: int, templates: list[int], ids: dict[str, int]
) -> dict[str, list[tuple[Any, ...]]]:
    """``count`` workouts of 5 exercises x 5 sets over seven years, with summaries and records."""
    out: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    by_template: dict[int, list[dict[str, Any]]] = defaultdict(list)
    summaries = []
    for n in range(count):
        ids["workout"] += 1
        workout_id = ids["workout"]
        started = EPOCH + timedelta(hours=n * SPAN_HOURS / max(count, 1))
        totals = {"set_count": 0, "working_sets": 0, "volume_kg": 0.0}
        for position, template in enumerate(rng.sample(templates, EXERCISES_PER_WORKOUT), start=1):
            ids["exercise"] += 1
            out["workout_exercise"].append((ids["exercise"], workout_id, position, template))
            base = 40 + template % 7 * 10 + n * 0.02
            sets = [
                _Set("normal", round(base + rng.uniform(-5, 5), 1), rng.randint(3, 12))
                for _ in range(SETS_PER_EXERCISE)
            ]
            out["workout_set"].extend(
                (ids["exercise"], i, s.type, s.weight_kg, s.reps, True)
                for i, s in enumerate(sets, start=1)
            )
            figures = exercise_figures(sets)
            for key in totals:
                totals[key] += figures[key]
            summary = {"workout_id": workout_id, "started_at": started, **figures}
            by_template[template].append(summary)
            summaries.append((template, position, summary))
        out["workout"].append(
            (
                workout_id,
                user_id,
                f"Session {n}",
                started,
                started + timedelta(hours=1),
                "manual",
                str(uuid.UUID(int=workout_id)),
                started,
                started,
                week_start(started),
                EXERCISES_PER_WORKOUT,
                totals["set_count"],
                totals["working_sets"],
                totals["volume_kg"],
                3600,
            )
        )
    counts: dict[tuple[int, int], int] = {}
    for template, rows in by_template.items():
        best, per_workout = records_over(rows)
        counts.update({(workout_id, template): c for workout_id, c in per_workout.items()})
        out["personal_record"].extend(
            (user_id, template, kind, r.value, r.workout_id, r.achieved_at)
            for kind, r in best.items()
        )
    out["workout_exercise_summary"].extend(
        (
            summary["workout_id"],
            template,
            user_id,
            summary["started_at"],
            position,
            *(summary[column] for column in FIGURE_COLUMNS),
            counts[(summary["workout_id"], template)],
        )
        for template, position, summary in summaries
    )
    out["training_log_version"].append((user_id, 1))
    return out


COLUMNS = {
    # First: the triggers on ``workout`` count each user's workouts into these rows.
    "training_log_version": ("user_id", "version"),
    "workout": (
        "id",
        "user_id",
        "title",
        "started_at",
        "ended_at",
        "source",
        "client_id",
        "created_at",
        "updated_at",
        "week_start",
        "exercise_count",
        "set_count",
        "working_set_count",
        "volume_kg",
        "duration_s",
    ),
    "workout_exercise": ("id", "workout_id", "position", "template_id"),
    "workout_set": ("workout_exercise_id", "position", "type", "weight_kg", "reps", "completed"),
    "workout_exercise_summary": (
        "workout_id",
        "template_id",
        "user_id",
        "started_at",
        "first_position",
        *FIGURE_COLUMNS,
        "record_count",
    ),
    "personal_record": ("user_id", "template_id", "kind", "value", "workout_id", "achieved_at"),
}


def _seed(url: str) -> dict[str, Any]:
    """The users and their histories; returns what the scenarios need."""
    rng = random.Random(16)
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
    users = {"heavy": HEAVY_WORKOUTS, "light": LIGHT_WORKOUTS}
    users.update({f"poster{i}": 0 for i in range(POSTERS)})
    users.update({f"crowd{i}": CROWD_WORKOUTS for i in range(CROWD)})
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        templates = [
            int(row[0])
            for row in cursor.execute(
                "SELECT id FROM exercise_template WHERE type = 'weight_reps' ORDER BY id LIMIT 12"
            )
        ]
        user_ids = {}
        for name in users:
            row = cursor.execute(
                "INSERT INTO app_user (username, role, disabled, hashed_password, created_at, "
                "weight_unit) VALUES (%s, 'user', false, %s, now(), 'kg') RETURNING id",
                (name, hashed),
            ).fetchone()
            assert row is not None
            user_ids[name] = int(row[0])
        ids = {"workout": 0, "exercise": 0}
        rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for name, count in users.items():
            for table, table_rows in _history(rng, user_ids[name], count, templates, ids).items():
                rows[table].extend(table_rows)
        for table, columns in COLUMNS.items():
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows[table]:
                    copy.write_row(row)
        for table in ("workout", "workout_exercise"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        conn.commit()
        cursor.execute("ANALYZE")
        busiest = cursor.execute(
            "SELECT template_id FROM workout_exercise_summary WHERE user_id = %s "
            "GROUP BY template_id ORDER BY count(*) DESC LIMIT 1",
            (user_ids["heavy"],),
        ).fetchone()
        assert busiest is not None
        heavy_sets = cursor.execute(
            "SELECT sum(set_count) FROM workout WHERE user_id = %s", (user_ids["heavy"],)
        ).fetchone()
        light_sets = cursor.execute(
            "SELECT sum(set_count) FROM workout WHERE user_id = %s", (user_ids["light"],)
        ).fetchone()
        total_sets = cursor.execute("SELECT count(*) FROM workout_set").fetchone()
    assert heavy_sets
    assert light_sets
    assert total_sets
    return {
        "template": int(busiest[0]),
        "templates": templates,
        "heavy_sets": int(heavy_sets[0]),
        "light_sets": int(light_sets[0]),
        "total_sets": int(total_sets[0]),
    }


def _token(api: str, username: str, password: str) -> dict[str, str]:
    response = httpx.post(f"{api}/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _workout_body(templates: list[int]) -> str:
    exercises = [
        {"template_id": template, "sets": [{"weight_kg": 60 + i, "reps": 8} for i in range(4)]}
        for template in templates[:6]
    ]
    return json.dumps(
        {"title": "Bench", "started_at": "2026-01-05T17:00:00Z", "exercises": exercises}
    )


def _parallel_posts(api: str, path: str, body: str, tokens: list[dict[str, str]]) -> dict[str, Any]:
    """One load process per writer (each its own user, one connection), run together."""
    results: list[dict[str, Any]] = []

    def run(token: dict[str, str]) -> None:
        results.append(
            api_bench._load(
                api,
                [path],
                method="POST",
                headers={**token, "Content-Type": "application/json"},
                body=body,
                concurrency=1,
            )
        )

    threads = [threading.Thread(target=run, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses: dict[str, int] = defaultdict(int)
    for result in results:
        for status, count in result["statuses"].items():
            statuses[status] += count
    return {
        "rps": sum(r["rps"] for r in results),
        "p50_ms": statistics.median(r["p50_ms"] for r in results),
        "p99_ms": max(r["p99_ms"] for r in results),
        "statuses": dict(statuses),
    }


@pytest.mark.timeout(1200)  # seeding 151,000 sets, then 30 scenario runs of 6 s
def test_training_log_benchmark(postgres_server: str, redis_server: str, tmp_path: Path) -> None:
    with (
        fresh_postgres_database(postgres_server) as database,
        leased_redis_db(redis_server) as redis_url,
    ):
        migrations.upgrade(database)
        seeded = _seed(database)
        port = free_port()
        api = f"http://127.0.0.1:{port}"
        env = api_bench.api_environment(
            database,
            redis_url,
            ("PUBLIC_ANONYMOUS", "AUTH_ANONYMOUS", "READ_ANONYMOUS", "WRITE_USER", "READ_USER"),
        )
        command = api_bench.api_command(port)
        with api_bench._serve(command, env, f"{api}/health", tmp_path / "api.log") as pid:
            heavy = _token(api, "heavy", PASSWORD)
            light = _token(api, "light", PASSWORD)
            posters = [_token(api, f"poster{i}", PASSWORD) for i in range(POSTERS)]
            template = seeded["template"]
            progress = f"/exercise-templates/{template}/progress"
            year = "/stats?from=2024-01-01&to=2025-01-01"
            month = "/stats?from=2024-12-01&to=2025-01-01"
            for path in ("/workouts?page_size=20", progress, "/records", year, month):
                assert httpx.get(f"{api}{path}", headers=heavy).status_code == 200, path

            memory: dict[str, list[PeakMemory]] = defaultdict(list)

            def watched(name: str, run: Callable[[], dict[str, Any]]) -> Callable[[], Any]:
                """``run`` with the server's resident memory sampled, run by run."""

                def scenario() -> dict[str, Any]:
                    with sampled_memory(pid) as figures:
                        result = run()
                    memory[name].append(figures)
                    return result

                return scenario

            scenarios = {
                "GET /exercises (contract list, yardstick)": lambda: api_bench._load(
                    api, [YARDSTICK]
                ),
                "GET /workouts?page_size=20, heavy user": lambda: api_bench._load(
                    api, ["/workouts?page_size=20"], headers=heavy
                ),
                "GET progress (e1rm), heavy user": watched(
                    "progress", lambda: api_bench._load(api, [progress], headers=heavy)
                ),
                "GET progress (e1rm), 1,000-set user": lambda: api_bench._load(
                    api, [progress], headers=light
                ),
                "GET /records, heavy user": watched(
                    "records", lambda: api_bench._load(api, ["/records"], headers=heavy)
                ),
                "GET /records, 1,000-set user": lambda: api_bench._load(
                    api, ["/records"], headers=light
                ),
                "GET /stats over a year, heavy user": lambda: api_bench._load(
                    api, [year], headers=heavy
                ),
                "GET /stats over a month, heavy user": lambda: api_bench._load(
                    api, [month], headers=heavy
                ),
            }
            runs = api_bench.runs_in_turn(scenarios, ROUNDS)
            exercise_body = json.dumps({"name": "Bench Press", "sets": 4, "reps": 8, "weight": 80})
            workout_body = _workout_body(seeded["templates"])
            posts: dict[str, Callable[[], dict[str, Any]]] = {
                "POST /exercises (contract create)": lambda: _parallel_posts(
                    api, "/exercises", exercise_body, posters
                ),
                "POST /workouts, 6 exercises x 4 sets": lambda: _parallel_posts(
                    api, "/workouts", workout_body, posters
                ),
            }
            runs.update(api_bench.runs_in_turn(posts, ROUNDS))
        machine = api_bench._machine(database)

    mib = 2**20
    memory_rows = "\n".join(
        f"| {name} | {sampled[0].before / mib:.0f} | {sampled[0].growth_mib:.1f} | "
        + " | ".join(f"{run.peak / mib:.0f}" for run in sampled)
        + " |"
        for name, sampled in memory.items()
    )
    # Flat: the last round's peak within 5 MiB of the first's (a leak, or a cache that grows
    # with what is read, would raise it round after round).
    memory_growth = max((sampled[-1].peak - sampled[0].peak) / mib for sampled in memory.values())

    figures = api_bench.median_runs(runs)

    def by_round(name: str, other: str, figure: str) -> list[float]:
        """``name``'s figure over ``other``'s, round by round: the two ran one after the
        other, so a change of the machine's speed between rounds cancels out."""
        return [
            float(mine[figure]) / float(theirs[figure])
            for mine, theirs in zip(runs[name], runs[other], strict=True)
        ]

    targets: list[tuple[str, list[float], Callable[[float], bool]]] = [
        (
            "GET /workouts (heavy) vs GET /exercises throughput (>= 0.5)",
            by_round(
                "GET /workouts?page_size=20, heavy user",
                "GET /exercises (contract list, yardstick)",
                "rps",
            ),
            lambda r: r >= 0.5,
        ),
        (
            "progress p99, heavy vs 1,000-set user (<= 2)",
            by_round(
                "GET progress (e1rm), heavy user", "GET progress (e1rm), 1,000-set user", "p99_ms"
            ),
            lambda r: r <= 2,
        ),
        (
            "records p99, heavy vs 1,000-set user (<= 2)",
            by_round("GET /records, heavy user", "GET /records, 1,000-set user", "p99_ms"),
            lambda r: r <= 2,
        ),
        (
            "POST /workouts 6x4 vs POST /exercises throughput (>= 0.5)",
            by_round(
                "POST /workouts, 6 exercises x 4 sets", "POST /exercises (contract create)", "rps"
            ),
            lambda r: r >= 0.5,
        ),
        (
            "stats p99, a year vs a month (<= 2)",
            by_round(
                "GET /stats over a year, heavy user",
                "GET /stats over a month, heavy user",
                "p99_ms",
            ),
            lambda r: r <= 2,
        ),
        (
            f"server memory, heavy user's progress and records: MiB gained from round 1 to {ROUNDS} "
            "(flat: <= 5)",
            [memory_growth],
            lambda growth: growth <= 5,
        ),
    ]
    rows = "\n".join(
        f"| {name} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} |"
        for name, r in figures.items()
    )
    verdicts = "\n".join(
        f"| {name} | {statistics.median(ratios):.2f} | "
        f"{min(ratios):.2f}-{max(ratios):.2f} | "
        f"{'met' if ok(statistics.median(ratios)) else '**missed**'} |"
        for name, ratios, ok in targets
    )
    text = f"""{SECTION}

Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench`
(`tests/bench/test_training_log_bench.py`). Machine: {machine}.

Setup: PostgreSQL seeded with {CROWD} lifters of {CROWD_WORKOUTS} workouts each, one heavy
user ({HEAVY_WORKOUTS:,} workouts, {seeded["heavy_sets"]:,} sets over seven years), one
user with {seeded["light_sets"]:,} sets, {seeded["total_sets"]:,} sets in all. Summaries and
records are seeded with the API's own functions. One uvicorn worker as deployed (rate limiting on Redis, limits
raised); load from a separate process over 16 keep-alive connections (the POSTs: 8 users writing in parallel, one connection each),
{api_bench.DURATION:.0f} s per scenario, scenarios in turn for {ROUNDS} rounds; the table
shows each scenario's median round. Progress is the heavy user's most frequent exercise (all
points, one per workout). Absolute figures move with the machine's load, which on this shared
machine changes from one run to the next: each target is a ratio of two scenarios taken
within each round (they ran one after the other), and its figure is the median of the
{ROUNDS} rounds' ratios, with their range beside it.

| scenario | requests/s | p50 ms | p99 ms |
|---|---:|---:|---:|
{rows}

| target | median of the rounds' ratios | rounds | |
|---|---:|---:|---|
{verdicts}

Server memory (resident set, MiB) while the heavy user's progress and records are read
again and again ({ROUNDS} runs each, one per round): before the first run, gained during
it (a whole-history load would show here), and the peak of each run.

| heavy user's reads | before | gained, first run | {" | ".join(f"peak, run {n}" for n in range(1, ROUNDS + 1))} |
|---|---:|---:|{"---:|" * ROUNDS}
{memory_rows}
"""
    api_bench._write_section(text, SECTION)
    print(text)
    for name, result in figures.items():
        assert set(result["statuses"]) <= {"200", "201"}, (name, result["statuses"])
