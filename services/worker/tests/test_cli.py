"""``workout-worker run-task``: result JSON on stdout, exit code says whether the task did its job."""

from __future__ import annotations

import json
from typing import Any


def test_cleanup_prints_its_result_and_exits_zero(worker_cli: Any, worker_redis: Any) -> None:
    worker_redis.cache.set("idempotency:refresh:1:x", "1")

    done = worker_cli("run-task", "cleanup")

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["deleted_idempotency_keys"] == 1
    assert set(result) == {"deleted_idempotency_keys", "cleanup_time_ms"}


def test_redis_down_exits_non_zero_with_a_message(
    worker_cli: Any, worker_redis: Any, down_redis_url: str
) -> None:
    done = worker_cli("run-task", "cleanup", WORKER_REDIS__URL=down_redis_url)

    assert done.returncode == 2
    assert done.stdout == ""
    assert "cleanup could not run" in done.stderr
    assert "unreachable" in done.stderr


def test_api_down_means_refresh_cannot_run(
    worker_cli: Any, worker_redis: Any, unused_url: Any
) -> None:
    done = worker_cli("run-task", "refresh", WORKER_API_CLIENT__WORKOUT_API_URL=unused_url())

    assert done.returncode == 2
    assert "refresh could not run" in done.stderr
    assert "Workout API" in done.stderr


def test_invalid_configuration_is_refused_with_the_variable_named(
    worker_cli: Any, worker_redis: Any
) -> None:
    done = worker_cli("run-task", "cleanup", WORKER_SCHEDULE__CLEANUP_DAY_OF_WEEK="8")

    assert done.returncode == 2
    assert "WORKER_SCHEDULE__CLEANUP_DAY_OF_WEEK" in done.stderr


def test_unknown_task_is_refused(worker_cli: Any, worker_redis: Any) -> None:
    done = worker_cli("run-task", "defrag")

    assert done.returncode == 2
    assert "invalid choice" in done.stderr


def test_every_item_failing_exits_one_after_printing_the_result(
    worker_cli: Any, worker_redis: Any, unused_url: Any
) -> None:
    done = worker_cli("run-task", "warmup", WORKER_API_CLIENT__AI_COACH_URL=unused_url())

    assert done.returncode == 1
    assert json.loads(done.stdout) == {"total_requests": 140, "successful": 0, "failed": 140}
    assert "every item failed" in done.stderr
