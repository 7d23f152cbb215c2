"""Each task run is counted in the worker's Prometheus metrics."""

from __future__ import annotations

from typing import Any

from prometheus_client import REGISTRY

from workout_worker.resources import open_resources
from workout_worker.tasks.runner import run_task


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_runs_outcomes_and_items_are_counted(
    make_settings: Any, worker_redis: Any, unused_url: Any
) -> None:
    worker_redis.cache.set("idempotency:refresh:1:a", "1")
    worker_redis.cache.set("idempotency:refresh:2:b", "1")
    before = {
        "cleanup_ok": sample("workout_worker_task_runs_total", task="cleanup", outcome="success"),
        "cleanup_items": sample(
            "workout_worker_task_items_total", task="cleanup", result="processed"
        ),
        "warmup_bad": sample("workout_worker_task_runs_total", task="warmup", outcome="failure"),
        "warmup_failed": sample("workout_worker_task_items_total", task="warmup", result="failed"),
        "cleanup_timed": sample("workout_worker_task_duration_seconds_count", task="cleanup"),
    }

    settings = make_settings(api_client={"ai_coach_url": unused_url()})
    async with open_resources(settings) as resources:
        await run_task("cleanup", resources)
        await run_task("warmup", resources)

    assert sample("workout_worker_task_runs_total", task="cleanup", outcome="success") == (
        before["cleanup_ok"] + 1
    )
    assert sample("workout_worker_task_items_total", task="cleanup", result="processed") == (
        before["cleanup_items"] + 2
    )
    assert sample("workout_worker_task_runs_total", task="warmup", outcome="failure") == (
        before["warmup_bad"] + 1
    )
    assert sample("workout_worker_task_items_total", task="warmup", result="failed") == (
        before["warmup_failed"] + 140
    )
    assert sample("workout_worker_task_duration_seconds_count", task="cleanup") == (
        before["cleanup_timed"] + 1
    )
