"""Workout API benchmark (``make bench``): throughput and latency against a plain baseline.

Seeds 10,000 exercises in PostgreSQL, serves the API and a minimal Starlette + psycopg
baseline with uvicorn, drives both from a separate load-generator process, and writes
the figures and the machine into ``docs/benchmarks.md`` (section "Workout API").
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psutil
import psycopg
import pytest

from tests.bench.server_memory import sampled_memory
from workout_api import migrations
from workout_common.redis_support import free_port
from workout_testkit.servers import fresh_postgres_database, leased_redis_db

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Workout API"
SEED_ROWS = 10_000
LARGE_EXPORT_ROWS = 100_000
LIST_TARGET = "/exercises?page=1&page_size=20"
DURATION = float(os.environ.get("API_BENCH_SECONDS", "8"))
CONCURRENCY = 16
ROUNDS = 3
UNLIMITED = "1000000/minute"

pytestmark = pytest.mark.bench


def _seed(url: str, rows: int) -> None:
    rng = random.Random(rows)
    names = ["Squat", "Bench Press", "Deadlift", "Row", "Pull Up", "Dips", "Lunge", "Press"]
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        with cursor.copy(
            "COPY exercise (name, sets, reps, weight, workout_day) FROM STDIN"
        ) as copy:
            for i in range(rows):
                weight = None if i % 5 == 0 else round(rng.uniform(5, 200), 1)
                copy.write_row(
                    (
                        f"{rng.choice(names)} {i}",
                        rng.randint(1, 6),
                        rng.randint(1, 20),
                        weight,
                        rng.choice("ABC"),
                    )
                )
        conn.commit()


def api_environment(
    database: str, redis_url: str, unlimited: Iterable[str], **extra: str
) -> dict[str, str]:
    """The API's environment in a benchmark: dev users, WARNING logs, and the ``RATELIMIT_*``
    cells named in ``unlimited`` raised so the load is not throttled."""
    return {
        **os.environ,
        "ENVIRONMENT": "test",
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "benchmark-secret-key-0123456789abcdef0123",
        "SEED_DEV_USERS": "true",
        "LOG_LEVEL": "WARNING",
        **{f"RATELIMIT_{cell}": UNLIMITED for cell in unlimited},
        **extra,
    }


def api_command(port: int) -> list[str]:
    return [sys.executable, "-m", "workout_api.cli", "--host", "127.0.0.1", "--port", str(port)]


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(log.read_text())
        with contextlib.suppress(httpx.TransportError):
            httpx.get(url, timeout=1)
            return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up:\n{log.read_text()}")


@contextlib.contextmanager
def _serve(command: list[str], env: dict[str, str], probe: str, log: Path) -> Iterator[int]:
    with log.open("w") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            _wait_until_up(probe, process, log)
            yield process.pid
        finally:
            process.terminate()
            process.wait(timeout=30)


def _load(base: str, targets: list[str], **options: Any) -> dict[str, Any]:
    command = [sys.executable, str(HERE / "api_load.py"), base, *targets]
    command += ["--concurrency", str(options.get("concurrency", CONCURRENCY))]
    command += ["--duration", str(DURATION), "--method", options.get("method", "GET")]
    for name, value in options.get("headers", {}).items():
        command += ["--header", f"{name}: {value}"]
    if "body" in options:
        command += ["--body", options["body"]]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    figures: dict[str, Any] = json.loads(result.stdout)
    return figures


def _csv_export(base: str, pid: int) -> dict[str, float]:
    lines = 0
    with (
        sampled_memory(pid) as memory,
        httpx.stream("GET", f"{base}/exercises?format=csv", timeout=300) as response,
    ):
        assert response.status_code == 200
        for chunk in response.iter_bytes():
            lines += chunk.count(b"\n")
    return {
        "rows": lines - 1,
        "seconds": memory.seconds,
        "rss_before_mib": memory.before / 2**20,
        "peak_growth_mib": memory.growth_mib,
    }


def _host() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        model = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = model.group(1) if model else cpu
    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def _machine(postgres_url: str) -> str:
    with psycopg.connect(postgres_url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    server = row[0] if row else "?"
    return (
        f"{_host()}, PostgreSQL {server} (local), Redis 7 (local); server, baseline, load "
        "generator and database share the machine"
    )


def _login_storm(base: str, stop: threading.Event, counter: list[int]) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        while not stop.is_set():
            response = client.post("/auth/login", json={"username": "user", "password": "user123"})
            assert response.status_code == 200, response.text
            counter.append(1)


def _during_logins(
    base: str, measure: Callable[[], dict[str, Any]], rates: list[float]
) -> dict[str, Any]:
    """``measure()`` while four clients sign in back to back (bcrypt cost 12)."""
    stop, logins = threading.Event(), []
    storm = [threading.Thread(target=_login_storm, args=(base, stop, logins)) for _ in range(4)]
    for thread in storm:
        thread.start()
    started = time.perf_counter()
    try:
        return measure()
    finally:
        stop.set()
        for thread in storm:
            thread.join()
        rates.append(len(logins) / (time.perf_counter() - started))


def runs_in_turn(
    scenarios: dict[str, Callable[[], dict[str, Any]]], rounds: int = ROUNDS
) -> dict[str, list[dict[str, Any]]]:
    """Every run of each scenario, the scenarios run in turn round after round, so a change
    of the machine's load hits them alike."""
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in scenarios}
    for _ in range(rounds):
        for name, scenario in scenarios.items():
            runs[name].append(scenario())
    return runs


def median_runs(runs: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Each scenario's median run by throughput."""
    return {
        name: sorted(results, key=lambda r: r["rps"])[len(results) // 2]
        for name, results in runs.items()
    }


def medians_in_turn(
    scenarios: dict[str, Callable[[], dict[str, Any]]], rounds: int = ROUNDS
) -> dict[str, dict[str, Any]]:
    """Each scenario's median run (by throughput) of ``rounds`` run in turn."""
    return median_runs(runs_in_turn(scenarios, rounds))


def _write_section(text: str, section: str | None = None) -> None:
    """Replace the section of docs/benchmarks.md that starts with ``section`` (or append it)."""
    existing = DOC.read_text() if DOC.exists() else "# Benchmarks\n\nFigures from `make bench`.\n"
    heading = section or SECTION
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(existing):
        updated = pattern.sub(lambda _: text.rstrip("\n") + "\n\n", existing)
    else:
        updated = existing.rstrip("\n") + "\n\n" + text
    DOC.write_text(updated.rstrip("\n") + "\n")


@pytest.mark.timeout(1200)  # 10,000 rows seeded, then every scenario in turn
def test_api_benchmark(postgres_server: str, redis_server: str, tmp_path: Path) -> None:
    with (
        fresh_postgres_database(postgres_server) as database,
        leased_redis_db(redis_server) as redis_url,
    ):
        migrations.upgrade(database)
        _seed(database, SEED_ROWS)
        api_port, baseline_port = free_port(), free_port()
        api, baseline = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{baseline_port}"
        env = api_environment(
            database,
            redis_url,
            ("PUBLIC_ANONYMOUS", "AUTH_ANONYMOUS", "READ_ANONYMOUS", "WRITE_USER", "READ_USER"),
            BCRYPT_ROUNDS="12",
        )
        baseline_command = [sys.executable, str(HERE / "api_baseline.py")]
        with (
            _serve(api_command(api_port), env, f"{api}/health", tmp_path / "a.log") as api_pid,
            _serve(
                [*baseline_command, "--database-url", database, "--port", str(baseline_port)],
                env,
                f"{baseline}{LIST_TARGET}",
                tmp_path / "b.log",
            ),
        ):
            api_body = httpx.get(f"{api}{LIST_TARGET}").json()
            baseline_body = httpx.get(f"{baseline}{LIST_TARGET}").json()
            assert api_body == baseline_body, "the baseline must return the same JSON"
            token = httpx.post(
                f"{api}/auth/login", json={"username": "user", "password": "user123"}
            ).json()["access_token"]
            etag = httpx.get(f"{api}{LIST_TARGET}").headers["etag"]
            ids = random.Random(1).sample(range(1, SEED_ROWS + 1), 500)

            login_rates: list[float] = []
            # The machine is shared: scenarios that are compared are alternated, round after
            # round, and each keeps its median run, so a change of load hits them alike.
            scenarios: dict[str, Callable[[], dict[str, Any]]] = {
                "baseline list": lambda: _load(baseline, [LIST_TARGET]),
                "list (200)": lambda: _load(api, [LIST_TARGET]),
                "list, If-None-Match (304)": lambda: _load(
                    api, [LIST_TARGET], headers={"If-None-Match": etag}
                ),
                "get by id": lambda: _load(api, [f"/exercises/{i}" for i in ids]),
                "root document, no database (framework floor)": lambda: _load(api, ["/"]),
                "list (200) during logins": lambda: _during_logins(
                    api, lambda: _load(api, [LIST_TARGET]), login_rates
                ),
            }
            figures = medians_in_turn(scenarios)
            login_rate = statistics.median(login_rates)

            figures["create (authenticated POST)"] = _load(
                api,
                ["/exercises"],
                method="POST",
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                body=json.dumps({"name": "Bench Press", "sets": 4, "reps": 8, "weight": 80}),
                concurrency=8,
            )
            exports = {"10k": _csv_export(api, api_pid)}
            with psycopg.connect(database) as conn:
                row = conn.execute("SELECT count(*) FROM exercise").fetchone()
            assert row is not None
            _seed(database, LARGE_EXPORT_ROWS - int(row[0]))
            exports["100k"] = _csv_export(api, api_pid)

        machine = _machine(database)

    list_ratio = figures["list (200)"]["rps"] / figures["baseline list"]["rps"]
    not_modified_ratio = figures["list, If-None-Match (304)"]["rps"] / figures["list (200)"]["rps"]
    p99_ratio = figures["list (200) during logins"]["p99_ms"] / figures["list (200)"]["p99_ms"]
    floor_ratio = (
        figures["root document, no database (framework floor)"]["rps"]
        / figures["baseline list"]["rps"]
    )

    rows = "\n".join(
        f"| {name} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} |"
        for name, r in figures.items()
    )
    exports_rows = "\n".join(
        f"| {e['rows']:,} | {e['seconds']:.2f} | {e['rows'] / e['seconds']:,.0f} | "
        f"{e['peak_growth_mib']:.1f} |"
        for e in exports.values()
    )

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    _write_section(
        f"""{SECTION}

Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` (`tests/bench/test_api_bench.py`).
Machine: {machine}.

Setup: {SEED_ROWS:,} exercises in PostgreSQL; one uvicorn worker each for the API and the
baseline (plain Starlette + a psycopg connection pool running the same two SQL statements
and returning the same JSON); load from a separate process over {CONCURRENCY} keep-alive
connections, {DURATION:.0f} s per scenario after a 1 s warm-up; the scenarios of the first
table run in turn, {ROUNDS} rounds, and each keeps its median run. The API runs as deployed
(rate limiting on Redis, Prometheus, OpenTelemetry with no OTLP endpoint as in the chart's
default, request-context, security-header and request-size middleware) with the limits
raised so the benchmark is not throttled, and log level WARNING.

| scenario | requests/s | p50 ms | p99 ms |
|---|---:|---:|---:|
{rows}

Logins during the loaded runs: {login_rate:.1f}/s (4 clients signing in back to back,
bcrypt cost 12, hashing threads capped at half the cores and run at lower CPU priority).

| target | figure | |
|---|---:|---|
| list throughput vs baseline (>= 0.6) | {list_ratio:.2f} | {verdict(list_ratio >= 0.6)} |
| 304 vs 200 throughput (>= 1.5) | {not_modified_ratio:.2f} | {verdict(not_modified_ratio >= 1.5)} |
| list p99 during logins vs unloaded (<= 2) | {p99_ratio:.2f} | {verdict(p99_ratio <= 2.0)} |

Where the list's time goes: `GET /` (no database at all, through the same middleware:
server span, request context, security headers, request-size limits, Prometheus, CORS,
error boundary, rate limiting) reaches
{floor_ratio:.2f} of the baseline's list throughput. Profiled with py-spy at the list, psycopg
is about a quarter of the server's CPU (one statement: the data version rides along the
page as scalar subqueries; the baseline runs two), uvicorn's HTTP handling a seventh,
FastAPI's and Starlette's routing and response path an eighth, the middleware layers a
twelfth, the rate-limit count (a Redis round trip the baseline does not make) a tenth,
the query parsing, ETag and JSON about a tenth, the event loop the rest. The list route
is a `PlainRoute` (documented by FastAPI, called without its dependency solving), reads
on connections kept checked out of the read engine, and its rate-limit counts leave as
one redis-py pipeline per loop turn. A conditional request waits for the next data-version read and
shares it with every conditional request that arrived before that read started (never a
version read before the request arrived, so never a 304 after a write), then skips the
page query and the serialisation when the ETag matches.

Tried and not kept: FastAPI's own query-parameter model (no gain: it still solves each
field on its own); positional instead of named SQL parameters (no measurable change); a
data version kept in Redis for 304s (a second source of truth, not needed once the
version read is shared).

Rate limits on the `limits` library and redis-py instead of our own Redis protocol client
(2026-12-07; `make bench`'s API benchmark run back to back on the code before and after,
same machine and hour; the machine ran at about two thirds of its speed of 2026-11-26, when
the baseline reached 3033 requests/s, so the ratios are the comparable figures):

| rate-limit counting | baseline req/s | list req/s | list / baseline | 304 / list | `GET /` / baseline |
|---|---:|---:|---:|---:|---:|
| before: hand-written RESP counters, fixed windows, one write per loop turn | 1729 | 1092 | 0.63 | 1.59 | 1.15 |
| `limits`' moving-window limiter, one script call per request | 1594 | 820 | 0.51 | 1.10 | 0.73 |
| the same scripts, a loop turn's counts in one redis-py pipeline | 1916 | 1001 | 0.52 | 1.47 | 0.86 |

Where the time goes (py-spy, 250 samples/s over 12 s of each load): counting a request took
about 9% of the server's samples at a 304 before and 15% after, 5% and 9% at the list.
Under 16 concurrent callers (`tests/bench/rate_limit_counts.py`) redis-py spends 110-160 us
of CPU on a lone command (a PING) and the limiter about 200 us on a count; batched into
pipelines a count costs 50-56 us, but
redis-py still packs each command and parses each reply on its own, checks the connection
out of its pool and back for every pipeline (with a readiness probe on the socket), and
OpenTelemetry's Redis instrumentation wraps each pipeline (a fifth of its time even with
spans dropped). The rest of the gap to the figures before is the two middlewares added since
(security headers, request-size limits), about 40 us a request. The list target of 0.6 is
missed by this much; our own protocol client is not coming back for it.

Changes made while profiling, measured with the same load generator against a server
and baseline started alike (4 s runs, 16 connections; the baseline's own figure moves
with the machine's load, so the ratio is the comparable figure; the first four rows
come from a busier day of the same machine, the last six from another machine of the
same kind):

| change | list req/s | baseline req/s | list / baseline | 304 req/s | `GET /` req/s |
|---|---:|---:|---:|---:|---:|
| before (rate limit as a blocking Redis script on the event loop) | 201 | 1176 | 0.17 | - | 618 |
| async pipelined Redis client; no ASGI send/receive spans | 242 | 1479 | 0.16 | 348 | 735 |
| rate-limit counters on one pipelined RESP connection | 323 | 1692 | 0.19 | 504 | 1077 |
| version and page in one statement | 359 | 1923 | 0.19 | 490 | 1104 |
| the same code on a quiet machine | 602 | 3607 | 0.17 | 852 | 1888 |
| the same, tracing removed altogether (for comparison only) | 791 | 3546 | 0.22 | 1288 | 3233 |
| one lean server span, dropped while nothing receives spans; hot reads as precompiled SQL on the driver connection | 1074 | 3353 | 0.32 | 1143 | 3020 |
| ETag key hashed without JSON (runs spread by about 10%) | 1418 | 3926 | 0.36 | 1687 | 3240 |
| start-up heap frozen out of the collector's scans (list p99 68 ms -> 13 ms) | 1566 | 4097 | 0.38 | 1697 | 3696 |
| list query validated as one model in one call | 1536 | 3600 | 0.43 | 1672 | 3232 |
| the same code, on the second machine | 1384 | 3042 | 0.46 | 1611 | 2953 |
| conditional requests share one fresh data-version read | 1386 | 3123 | 0.44 | 2505 | 3153 |
| the list as a `PlainRoute` | 1485 | 2988 | 0.50 | 2950 | 3050 |
| reads on kept connections instead of a pool checkout each | 1704 | 2934 | 0.58 | 2928 | 3194 |
| rate-limit counts of a loop turn in one write (3 runs, medians) | 1826 | 2950 | 0.62 | 3121 | 3392 |
| rate-limit replies parsed in bulk, one timer per write; page items built directly | 1983 | 3055 | 0.65 | 3336 | 3722 |

The server's CPU time per request (from its process's CPU counters, steadier than
throughput on a shared machine) tells the same story: on the second machine the list
took 711 us before the last five changes and 492 us after, against 318-349 us for the
baseline; `GET /` 325 us before and 267 us after; a 304 618 us before and 298 us after.

CSV export (`GET /exercises?format=csv`, streamed):

| rows | seconds | rows/s | server peak memory growth (MiB) |
|---:|---:|---:|---:|
{exports_rows}
"""
    )
    print(DOC.read_text())
    # A benchmark, not a test: the verdicts are recorded above; only a run that measured
    # errors instead of answers is refused.
    for name, result in figures.items():
        assert set(result["statuses"]) <= {"200", "201", "304"}, (name, result["statuses"])
