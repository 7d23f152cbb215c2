"""Run one task by name: one trace (and X-Trace-Id) per run, metrics, one summary log line."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Literal, Protocol

from redis.exceptions import RedisError

from workout_common.telemetry import operation_span
from workout_worker.errors import TaskUnavailableError
from workout_worker.resources import Resources
from workout_worker.task_metrics import TaskRun, record_run
from workout_worker.tasks.cleanup import cleanup_stale_data
from workout_worker.tasks.refresh import refresh_exercises
from workout_worker.tasks.warmup import warmup_ai_cache

logger = logging.getLogger(__name__)

TaskName = Literal["refresh", "warmup", "cleanup"]


class TaskResult(Protocol):
    @property
    def all_failed(self) -> bool: ...

    def as_dict(self) -> dict[str, Any]: ...


TaskFunction = Callable[[Resources], Awaitable[TaskResult]]

TASKS: dict[str, TaskFunction] = {
    "refresh": refresh_exercises,
    "warmup": warmup_ai_cache,
    "cleanup": cleanup_stale_data,
}
# Tasks that cannot do anything useful without the cache database.
NEEDS_REDIS = frozenset({"refresh", "cleanup"})


def _item_counts(task: str, result: dict[str, Any]) -> dict[str, int]:
    if task == "warmup":
        return {"processed": result["successful"], "failed": result["failed"]}
    if task == "cleanup":
        return {"processed": result["deleted_idempotency_keys"]}
    return {key: result[key] for key in ("processed", "skipped", "failed")}


async def _check_redis(resources: Resources) -> None:
    try:
        await resources.cache.ping()
    except (RedisError, OSError) as exc:
        raise TaskUnavailableError(
            f"Redis at {resources.settings.redis.cache_url()} is unreachable: {exc}"
        ) from exc


async def run_task(task: str, resources: Resources) -> TaskResult:
    """Run ``task`` once; raise :class:`TaskUnavailableError` when it could not run at all."""
    function = TASKS[task]
    with operation_span(f"task {task}", attributes={"workout.task": task}):
        return await _run_traced(task, function, resources)


async def _run_traced(task: str, function: TaskFunction, resources: Resources) -> TaskResult:
    started = time.perf_counter()
    outcome = "failure"
    items: dict[str, int] = {}
    try:
        if task in NEEDS_REDIS:
            await _check_redis(resources)
        try:
            result = await function(resources)
        except (RedisError, OSError) as exc:
            raise TaskUnavailableError(f"{task} stopped: Redis failed: {exc}") from exc
        summary = result.as_dict()
        items = _item_counts(task, summary)
        outcome = "failure" if result.all_failed else "success"
        logger.info("task %s finished (%s): %s", task, outcome, summary)
        return result
    except TaskUnavailableError as exc:
        logger.error("task %s could not run: %s", task, exc)
        raise
    finally:
        run = TaskRun(task, outcome, time.perf_counter() - started, time.time(), items)
        await _record(resources, run)


async def _record(resources: Resources, run: TaskRun) -> None:
    """Record the run's figures; a Redis failure here loses them but not the run's result."""
    try:
        await record_run(resources.queue, run)
    except (RedisError, OSError) as exc:
        logger.warning("task %s: its figures were not recorded: %s", run.task, exc)
