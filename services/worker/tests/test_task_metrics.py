"""Every task run, in a CronJob pod or a queued job, shows in the long-running worker's metrics.

The runs record their figures in the queue database; the worker's ``/metrics`` reads them
at scrape time. These tests run ``workout-worker run-task`` as a CronJob does, then scrape.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from workout_common.redis_support import redis_client
from workout_worker.errors import TaskUnavailableError
from workout_worker.health import create_app
from workout_worker.resources import Resources, api_http_client, coach_http_client, open_resources
from workout_worker.task_metrics import TaskMetricsCollector
from workout_worker.tasks.runner import run_task


def scrape(asgi_server: Any, settings: Any) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """The worker's ``/metrics``, as {(sample name, labels): value}."""
    with asgi_server(create_app(settings)) as url:
        response = httpx.get(f"{url}/metrics", timeout=30)
    assert response.status_code == 200
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def value(samples: dict[Any, float], name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


@pytest.fixture
def collector(make_settings: Any) -> Iterator[CollectorRegistry]:
    """The task metrics collector alone, on the test's queue database."""
    registry = CollectorRegistry()
    task_metrics = TaskMetricsCollector(make_settings().redis.queue_url())
    registry.register(task_metrics)
    yield registry
    task_metrics.close()


def test_a_cronjob_run_shows_in_the_workers_metrics(
    worker_cli: Any, worker_redis: Any, make_settings: Any, asgi_server: Any
) -> None:
    worker_redis.cache.set("idempotency:refresh:1:a", "1")
    worker_redis.cache.set("idempotency:refresh:2:b", "1")
    started = time.time()

    done = worker_cli("run-task", "cleanup")

    finished = time.time()
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["deleted_idempotency_keys"] == 2
    metrics = scrape(asgi_server, make_settings())
    assert value(metrics, "workout_worker_task_metrics_up") == 1
    runs = "workout_worker_task_runs_total"
    assert value(metrics, runs, task="cleanup", outcome="success") == 1
    assert value(metrics, runs, task="cleanup", outcome="failure") == 0
    assert value(metrics, runs, task="refresh", outcome="success") == 0  # there from the start
    assert (
        value(metrics, "workout_worker_task_items_total", task="cleanup", result="processed") == 2
    )
    duration = "workout_worker_task_duration_seconds"
    assert value(metrics, f"{duration}_count", task="cleanup") == 1
    assert value(metrics, f"{duration}_bucket", task="cleanup", le="+Inf") == 1
    took = value(metrics, f"{duration}_sum", task="cleanup")
    assert took is not None
    assert 0 < took < finished - started
    last_success = value(
        metrics, "workout_worker_task_last_success_timestamp_seconds", task="cleanup"
    )
    assert last_success is not None
    assert started <= last_success <= finished
    assert value(metrics, "workout_worker_task_last_run_timestamp_seconds", task="cleanup") == (
        last_success
    )
    assert (
        value(metrics, "workout_worker_task_last_success_timestamp_seconds", task="warmup") is None
    )


def test_a_failed_cronjob_run_counts_as_failure_without_a_success_time(
    worker_cli: Any, make_settings: Any, asgi_server: Any, unused_url: Any
) -> None:
    done = worker_cli("run-task", "warmup", WORKER_API_CLIENT__AI_COACH_URL=unused_url())

    assert done.returncode == 1
    metrics = scrape(asgi_server, make_settings())
    runs = "workout_worker_task_runs_total"
    assert value(metrics, runs, task="warmup", outcome="failure") == 1
    assert value(metrics, runs, task="warmup", outcome="success") == 0
    assert value(metrics, "workout_worker_task_items_total", task="warmup", result="failed") == 140
    assert value(metrics, "workout_worker_task_last_run_timestamp_seconds", task="warmup")
    assert (
        value(metrics, "workout_worker_task_last_success_timestamp_seconds", task="warmup") is None
    )


async def test_a_failure_after_a_success_does_not_move_the_success_time(
    worker_cli: Any, make_settings: Any, collector: CollectorRegistry, down_redis_url: str
) -> None:
    assert worker_cli("run-task", "cleanup").returncode == 0
    succeeded = collector.get_sample_value(
        "workout_worker_task_last_success_timestamp_seconds", {"task": "cleanup"}
    )

    # The cache database is gone but the queue database answers: the run fails, and says so.
    settings = make_settings()
    resources = Resources(
        settings,
        redis_client(down_redis_url),
        redis_client(settings.redis.queue_url()),
        api_http_client(settings),
        coach_http_client(settings),
    )
    try:
        with pytest.raises(TaskUnavailableError):
            await run_task("cleanup", resources)
    finally:
        for client in (resources.cache, resources.queue, resources.api_http, resources.coach_http):
            await client.aclose()

    def sample(name: str, **labels: str) -> float | None:
        return collector.get_sample_value(name, {"task": "cleanup", **labels})

    assert sample("workout_worker_task_runs_total", outcome="success") == 1
    assert sample("workout_worker_task_runs_total", outcome="failure") == 1
    assert sample("workout_worker_task_duration_seconds_count") == 2
    assert sample("workout_worker_task_last_success_timestamp_seconds") == succeeded
    last_run = sample("workout_worker_task_last_run_timestamp_seconds")
    assert succeeded is not None
    assert last_run is not None
    assert last_run >= succeeded


async def test_queued_runs_are_recorded_the_same_way(
    make_settings: Any, worker_redis: Any, unused_url: Any, collector: CollectorRegistry
) -> None:
    worker_redis.cache.set("idempotency:refresh:1:a", "1")
    settings = make_settings(api_client={"ai_coach_url": unused_url()})

    async with open_resources(settings) as resources:
        await run_task("cleanup", resources)
        await run_task("cleanup", resources)
        await run_task("warmup", resources)

    def sample(name: str, **labels: str) -> float | None:
        return collector.get_sample_value(name, labels)

    assert sample("workout_worker_task_runs_total", task="cleanup", outcome="success") == 2
    assert sample("workout_worker_task_items_total", task="cleanup", result="processed") == 1
    assert sample("workout_worker_task_duration_seconds_count", task="cleanup") == 2
    assert sample("workout_worker_task_runs_total", task="warmup", outcome="failure") == 1
    assert sample("workout_worker_task_items_total", task="warmup", result="failed") == 140
    assert sample("workout_worker_task_metrics_up") == 1


def test_the_scrape_still_answers_when_redis_is_down(
    make_settings: Any, asgi_server: Any, down_redis_url: str
) -> None:
    settings = make_settings(redis={"url": down_redis_url})

    metrics = scrape(asgi_server, settings)

    assert value(metrics, "workout_worker_task_metrics_up") == 0
    assert not any(name.startswith("workout_worker_task_runs") for name, _ in metrics)
    assert value(metrics, "workout_worker_queue_depth") is not None
