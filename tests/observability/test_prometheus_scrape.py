"""A real Prometheus scrapes the running services: every metric the dashboards and alert rules
read has series after ordinary traffic, every panel query runs and every alert rule evaluates.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml
from arq import create_pool
from arq.connections import RedisSettings

from workout_common.redis_support import free_port

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "monitoring/rules/workout-tracker.rules.yml"
WAIT_SECONDS = 60.0
# The operator needs a Kubernetes API to reconcile; its names are checked against its registry.
OPERATOR_PREFIX = "workout_operator_"


def wait_for(check: Any, what: str, timeout: float = WAIT_SECONDS) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.5)


@pytest.fixture(scope="module")
def prometheus(
    platform: Any, prometheus_binary: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("prometheus")
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(RULES)],
        "scrape_configs": [
            {
                "job_name": f"workout-{service.name}",
                "static_configs": [{"targets": [f"127.0.0.1:{service.port}"]}],
            }
            for service in platform.services
        ],
    }
    (workdir / "prometheus.yml").write_text(yaml.safe_dump(config))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (workdir / "prometheus.log").open("wb")
    process = subprocess.Popen(
        [
            prometheus_binary,
            f"--config.file={workdir / 'prometheus.yml'}",
            f"--storage.tsdb.path={workdir / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--log.level=warn",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:

        def ready() -> bool:
            assert process.poll() is None, (workdir / "prometheus.log").read_text()
            try:
                return httpx.get(f"{url}/-/ready", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(ready, "Prometheus to start")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def query(prometheus: str, promql: str) -> dict[str, Any]:
    answer = httpx.get(f"{prometheus}/api/v1/query", params={"query": promql}, timeout=10)
    body: dict[str, Any] = answer.json()
    assert answer.status_code == 200, f"{promql}: {body}"
    assert body["status"] == "success", f"{promql}: {body}"
    return body


def scraped_since(prometheus: str, since: float, *, times: int, targets: int) -> bool:
    """Whether each of ``targets`` scrape targets was scraped successfully ``times`` times
    after ``since``."""
    window = int(time.time() - since)  # whole seconds, so every sample counted is later
    if window < 1:
        return False
    counts = query(prometheus, f'sum_over_time(up{{job=~"workout-.+"}}[{window}s])')
    results = counts["data"]["result"]
    return len(results) == targets and all(float(r["value"][1]) >= times for r in results)


def series_count(prometheus: str, name: str) -> int:
    return len(query(prometheus, f'{{__name__="{name}"}}')["data"]["result"])


async def enqueue_worker_jobs(redis_server: str, queue_db: int) -> None:
    settings = RedisSettings.from_dsn(redis_server)
    settings.database = queue_db
    pool = await create_pool(settings)
    try:
        for job in ("refresh_exercises", "warmup_ai_cache", "cleanup_stale_data"):
            assert await pool.enqueue_job(job, _queue_name="arq:queue") is not None
    finally:
        await pool.aclose()


def worker_runs(platform: Any) -> int:
    text = httpx.get(f"{platform.worker.url}/metrics", timeout=5).text
    return sum(
        1
        for line in text.splitlines()
        if line.startswith("workout_worker_task_runs_total{") and not line.endswith(" 0.0")
    )


@pytest.fixture(scope="module")
def traffic(platform: Any, prometheus: str) -> None:
    """What users and the platform itself do on a normal day, and a little of what goes wrong."""
    api, coach = platform.api.url, platform.coach.url
    with httpx.Client(timeout=60, headers={"X-Trace-Id": "scrape-test"}) as http:
        login = http.post(f"{api}/auth/login", json={"username": "admin", "password": "admin123"})
        assert login.status_code == 200, login.text
        auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        answer = http.post(
            f"{api}/exercises",
            json={"name": "Deadlift", "sets": 3, "reps": 5, "weight": 140.0, "workout_day": "B"},
            headers=auth,
        )
        assert answer.status_code == 201, answer.text
        created = [answer.json()["id"], *platform.exercise_ids]
        listing = http.get(f"{api}/exercises")
        assert listing.status_code == 200
        etag = listing.headers["ETag"]
        assert http.get(f"{api}/exercises", headers={"If-None-Match": etag}).status_code == 304
        assert http.get(f"{api}/exercises/{created[0]}").status_code == 200
        assert http.get(f"{api}/exercises/987654").status_code == 404
        assert http.post(f"{api}/exercises", json={"name": ""}, headers=auth).status_code == 422
        statuses = [
            http.get(f"{api}/exercises/{created[1]}").status_code
            # Over twice the per-minute limit: a window boundary in the middle cannot hide it.
            for _ in range(2 * platform.anonymous_reads_per_minute + 5)
        ]
        assert 429 in statuses
        http.get(f"{api}/health")

        assert http.get(f"{coach}/health").status_code == 200
        chat = http.post(f"{coach}/chat", json={"message": "How balanced is my week?"})
        assert chat.status_code == 200, chat.text
        for _ in range(2):  # a miss, then a hit of the recommendation cache
            answer = http.post(f"{coach}/recommend", json={"focus_area": "legs"})
            assert answer.status_code == 200, answer.text
        assert http.get(f"{coach}/analyze").status_code == 200
        assert http.get(f"{coach}/exercises").status_code == 200

    asyncio.run(enqueue_worker_jobs(platform.redis_server, platform.queue_db))
    wait_for(lambda: worker_runs(platform) >= 3, "the worker to run its three tasks")
    assert httpx.get(f"{platform.worker.url}/health", timeout=10).status_code in {200, 503}
    # Until Prometheus has scraped the end of it, queries would see only part of the traffic;
    # rate() over a series needs two samples, so every service is scraped twice after it.
    traffic_done = time.time()
    wait_for(
        lambda: (
            series_count(prometheus, "workout_worker_task_runs_total") >= 3
            and series_count(prometheus, "workout_coach_cache_requests_total") >= 2
            and scraped_since(prometheus, traffic_done, times=2, targets=len(platform.services))
        ),
        "Prometheus to scrape the traffic",
    )


def test_every_metric_the_dashboards_and_alerts_read_has_series(
    platform: Any, prometheus: str, traffic: None, promql: ModuleType
) -> None:
    wanted: dict[str, list[str]] = {}
    for expression in promql.all_expressions():
        for name in promql.metric_names(expression.expr):
            wanted.setdefault(name, []).append(expression.source)
    scraped = {
        name: sources for name, sources in wanted.items() if not name.startswith(OPERATOR_PREFIX)
    }
    assert {
        "up",
        "workout_api_etag_not_modified_total",
        "workout_worker_queue_depth",
    } <= scraped.keys()

    def missing() -> dict[str, list[str]]:
        return {name: s for name, s in scraped.items() if series_count(prometheus, name) == 0}

    deadline = time.monotonic() + WAIT_SECONDS
    while (gaps := missing()) and time.monotonic() < deadline:
        time.sleep(1)
    assert not gaps, f"metrics without series (name: where it is used): {gaps}\n{platform.logs()}"


def test_operator_metrics_used_by_dashboards_and_alerts_exist(promql: ModuleType) -> None:
    from prometheus_client import REGISTRY

    import workout_operator.metrics  # noqa: F401 - registers the operator's metrics

    defined = {
        sample_name
        for family in REGISTRY.collect()
        if family.name.startswith(OPERATOR_PREFIX.rstrip("_"))
        for sample_name in (
            [family.name + "_total"]
            if family.type == "counter"
            else [family.name + s for s in ("_bucket", "_count", "_sum")]
            if family.type == "histogram"
            else [family.name]
        )
    }
    used = {
        name
        for expression in promql.all_expressions()
        for name in promql.metric_names(expression.expr)
        if name.startswith(OPERATOR_PREFIX)
    }
    assert used
    assert used <= defined, used - defined


def test_every_dashboard_query_runs_and_most_show_data(
    prometheus: str, traffic: None, promql: ModuleType
) -> None:
    expressions = promql.dashboard_expressions()
    empty = []
    for expression in expressions:
        if not query(prometheus, expression.expr)["data"]["result"]:
            empty.append(expression.source)
    # Error ratios of services without errors and operator panels may be empty; not most.
    assert len(empty) < len(expressions) / 3, empty


def test_alert_rules_evaluate_against_the_real_series(prometheus: str, traffic: None) -> None:
    def evaluated() -> list[dict[str, Any]]:
        body = httpx.get(f"{prometheus}/api/v1/rules", timeout=10).json()
        rules = [rule for group in body["data"]["groups"] for rule in group["rules"]]
        if rules and all(not rule["lastEvaluation"].startswith("0001") for rule in rules):
            return rules
        return []

    rules = wait_for(evaluated, "every alert rule to be evaluated")
    source = yaml.safe_load(RULES.read_text())
    assert len(rules) == sum(len(group["rules"]) for group in source["groups"])
    for rule in rules:
        assert rule["health"] == "ok", rule


def test_routes_are_labelled_by_template_never_by_raw_path(prometheus: str, traffic: None) -> None:
    result = query(prometheus, "count by (service, route) (workout_http_requests_total)")
    routes = {(r["metric"]["service"], r["metric"]["route"]) for r in result["data"]["result"]}
    assert ("api", "/exercises/{exercise_id}") in routes
    assert ("api", "/exercises") in routes
    assert ("coach", "/chat") in routes
    assert not [route for _, route in routes if any(ch.isdigit() for ch in route)], routes


def test_service_own_counters_saw_the_traffic(prometheus: str, traffic: None) -> None:
    def value(promql_text: str) -> float:
        result = query(prometheus, promql_text)["data"]["result"]
        return float(result[0]["value"][1]) if result else 0.0

    assert value("sum(workout_api_etag_not_modified_total)") >= 1
    assert value('sum(workout_api_rate_limited_total{route="/exercises/{exercise_id}"})') >= 1
    assert value('sum(workout_coach_cache_requests_total{result="hit"})') >= 1
    assert value('sum(workout_http_requests_total{service="api", status="429"})') >= 1
    assert value('min(workout_dependency_up{service="api"})') == 1


def test_exposition_follows_prometheus_naming_conventions(
    platform: Any, traffic: None, promtool: str
) -> None:
    """`promtool check metrics` lints names, units and suffixes of what each service exposes."""
    for service in platform.services:
        exposition = httpx.get(f"{service.url}/metrics", timeout=10).text
        assert "workout_http_requests_total{" in exposition, service.name
        result = subprocess.run(
            [promtool, "check", "metrics"],
            input=exposition,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, f"{service.name}: {result.stdout}{result.stderr}"
        assert not result.stdout.strip(), f"{service.name}: {result.stdout}"


def test_a_cronjob_run_reaches_prometheus_through_the_worker(
    platform: Any, prometheus: str, traffic: None
) -> None:
    """A one-shot ``run-task`` process exits long before any scrape; its run still shows."""
    success = 'workout_worker_task_runs_total{task="cleanup", outcome="success"}'

    def in_prometheus(promql: str) -> float | None:
        results = query(prometheus, promql)["data"]["result"]
        return max(float(r["value"][1]) for r in results) if results else None

    wait_for(lambda: in_prometheus(success) is not None, "the cleanup series")
    before = in_prometheus(success)
    assert before is not None
    started = time.time()
    base = {k: v for k, v in os.environ.items() if not k.startswith("WORKER_")}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "workout-worker"), "run-task", "cleanup"],
        env={**base, **platform.worker.env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr

    wait_for(lambda: in_prometheus(success) == before + 1, "Prometheus to scrape the run")
    last_success = in_prometheus(
        'workout_worker_task_last_success_timestamp_seconds{task="cleanup"}'
    )
    assert last_success is not None
    assert last_success >= started
