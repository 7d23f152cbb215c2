"""cleanup_stale_data: orphaned idempotency keys go; live ones and other data stay."""

from __future__ import annotations

from typing import Any

import pytest

from workout_worker.errors import TaskUnavailableError
from workout_worker.resources import open_resources
from workout_worker.settings import Settings
from workout_worker.tasks.runner import run_task


async def run_cleanup(settings: Settings) -> dict[str, Any]:
    async with open_resources(settings) as resources:
        return (await run_task("cleanup", resources)).as_dict()


async def test_deletes_keys_without_ttl_or_about_to_expire(
    make_settings: Any, worker_redis: Any
) -> None:
    cache = worker_redis.cache
    cache.set("idempotency:refresh:1:aaaa", "1")  # no TTL: orphaned
    cache.set("idempotency:refresh:2:bbbb", "1", ex=30)  # under 60 s
    cache.set("idempotency:refresh:3:cccc", "1", ex=3600)  # live
    cache.set("idempotency:other", "1", ex=61)  # live
    cache.set("workout:exercise:1", "{}")  # not an idempotency key
    cache.set("coach:recommend:v1:x", "{}")

    result = await run_cleanup(make_settings())

    assert result["deleted_idempotency_keys"] == 2
    assert isinstance(result["cleanup_time_ms"], int)
    assert result["cleanup_time_ms"] >= 0
    assert sorted(cache.keys("*")) == [
        "coach:recommend:v1:x",
        "idempotency:other",
        "idempotency:refresh:3:cccc",
        "workout:exercise:1",
    ]


async def test_scans_a_large_keyspace_in_batches(make_settings: Any, worker_redis: Any) -> None:
    cache = worker_redis.cache
    pipe = cache.pipeline()
    for i in range(2500):
        pipe.set(f"idempotency:refresh:{i}:h", "1")
        pipe.set(f"idempotency:refresh:{i}:keep", "1", ex=3600)
    pipe.execute()

    result = await run_cleanup(make_settings())

    assert result["deleted_idempotency_keys"] == 2500
    assert cache.dbsize() == 2500
    assert all(key.endswith(":keep") for key in cache.scan_iter("idempotency:*", count=1000))


async def test_nothing_to_delete_is_a_success(make_settings: Any, worker_redis: Any) -> None:
    worker_redis.cache.set("idempotency:refresh:1:x", "1", ex=600)

    result = await run_cleanup(make_settings())

    assert result["deleted_idempotency_keys"] == 0
    assert worker_redis.cache.exists("idempotency:refresh:1:x")


async def test_redis_down_means_the_task_cannot_run(
    make_settings: Any, down_redis_url: str
) -> None:
    settings = make_settings(redis={"url": down_redis_url})

    with pytest.raises(TaskUnavailableError, match="unreachable"):
        await run_cleanup(settings)
