"""refresh_exercises against the live Workout API and real Redis."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from workout_worker.errors import TaskUnavailableError
from workout_worker.resources import open_resources
from workout_worker.settings import Settings
from workout_worker.tasks.runner import run_task

WORKER_BIN = Path(sys.executable).parent / "workout-worker"
SNAPSHOT_FIELDS = {"id", "name", "sets", "reps", "weight", "workout_day"}


async def refresh(settings: Settings) -> dict[str, Any]:
    async with open_resources(settings) as resources:
        return (await run_task("refresh", resources)).as_dict()


def snapshot(worker_redis: Any) -> dict[str, Any]:
    raw = worker_redis.cache.get("workout:context:v1")
    assert raw is not None
    value: dict[str, Any] = json.loads(raw)
    return value


async def first_page_status(live_api: Any, if_none_match: str) -> int:
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.get(
            f"{live_api.url}/exercises",
            params={"page": 1, "page_size": 200},
            headers={**live_api.admin_headers(), "If-None-Match": if_none_match},
        )
    return response.status_code


async def test_processes_every_exercise_and_publishes_the_snapshot(
    live_api: Any, worker_redis: Any, make_settings: Any
) -> None:
    bench = live_api.create(name="Bench Press", sets=4, reps=8, weight=80.0)
    pullup = live_api.create(name="Pull-up", sets=3, reps=10, weight=None, workout_day="B")
    settings = make_settings(
        api_client={"workout_api_url": live_api.url}, refresh={"idempotency_ttl": 1234}
    )

    result = await refresh(settings)

    assert result == {"processed": 2, "skipped": 0, "failed": 0, "total": 2, "success_rate": 100.0}
    context = snapshot(worker_redis)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", context["generated_at"])
    assert context["total"] == 2
    assert [e["name"] for e in context["exercises"]] == ["Bench Press", "Pull-up"]
    assert all(set(e) == SNAPSHOT_FIELDS for e in context["exercises"])
    summary = json.loads(worker_redis.cache.get(f"workout:exercise:{bench['id']}"))
    assert summary["name"] == "Bench Press"
    assert summary["volume"] == 4 * 8 * 80.0
    assert json.loads(worker_redis.cache.get(f"workout:exercise:{pullup['id']}"))["volume"] == 0
    keys = sorted(worker_redis.cache.scan_iter("idempotency:*"))
    assert len(keys) == 2
    assert keys[0].startswith(f"idempotency:refresh:{bench['id']}:")
    assert all(0 < worker_redis.cache.ttl(key) <= 1234 for key in keys)
    assert worker_redis.cache.ttl("workout:context:v1") == -1  # the coach judges age itself
    # The coach checks the snapshot against the list's ETag: it matches until the next change.
    assert await first_page_status(live_api, context["list_etag"]) == 304
    live_api.create(name="Squat", sets=5, reps=5, weight=100.0)
    assert await first_page_status(live_api, context["list_etag"]) == 200


async def test_unchanged_exercises_are_skipped_and_changed_ones_processed(
    live_api: Any, worker_redis: Any, make_settings: Any
) -> None:
    squat = live_api.create(name="Squat", weight=100.0)
    live_api.create(name="Deadlift", weight=120.0)
    live_api.create(name="Plank", weight=None)
    settings = make_settings(api_client={"workout_api_url": live_api.url})
    await refresh(settings)

    again = await refresh(settings)
    live_api.update(squat["id"], weight=105.0)
    after_change = await refresh(settings)

    assert again == {"processed": 0, "skipped": 3, "failed": 0, "total": 3, "success_rate": 100.0}
    assert after_change["processed"] == 1
    assert after_change["skipped"] == 2
    assert json.loads(worker_redis.cache.get(f"workout:exercise:{squat['id']}"))["weight"] == 105.0
    weights = {e["name"]: e["weight"] for e in snapshot(worker_redis)["exercises"]}
    assert weights["Squat"] == 105.0


async def test_an_expired_idempotency_key_means_processing_again(
    live_api: Any, worker_redis: Any, make_settings: Any
) -> None:
    live_api.create(name="Row")
    settings = make_settings(api_client={"workout_api_url": live_api.url})
    await refresh(settings)
    for key in worker_redis.cache.scan_iter("idempotency:*"):
        worker_redis.cache.delete(key)  # as if the TTL had run out

    result = await refresh(settings)

    assert result["processed"] == 1
    assert result["skipped"] == 0


async def test_deleted_exercises_leave_the_snapshot_and_their_summaries_go(
    live_api: Any, worker_redis: Any, make_settings: Any
) -> None:
    keep = live_api.create(name="Lunge")
    gone = live_api.create(name="Shrug")
    settings = make_settings(api_client={"workout_api_url": live_api.url})
    await refresh(settings)

    live_api.delete(gone["id"])
    result = await refresh(settings)

    assert result["total"] == 1
    assert [e["id"] for e in snapshot(worker_redis)["exercises"]] == [keep["id"]]
    assert worker_redis.cache.exists(f"workout:exercise:{keep['id']}")
    assert not worker_redis.cache.exists(f"workout:exercise:{gone['id']}")


async def test_reads_the_list_in_pages_of_200_as_the_service_identity(
    live_api: Any, worker_redis: Any, make_settings: Any, proxy: Any
) -> None:
    live_api.create_many(450)
    with proxy(live_api.url) as (url, recorder):
        settings = make_settings(api_client={"workout_api_url": url})
        result = await refresh(settings)

    assert result["processed"] == 450
    assert snapshot(worker_redis)["total"] == 450
    pages = recorder.requests_to("/exercises")
    assert sorted(r.query for r in pages) == [f"page={page}&page_size=200" for page in (1, 2, 3)]
    assert all(r.headers["authorization"].startswith("Bearer ") for r in pages)
    (login,) = recorder.requests_to("/auth/login", "POST")
    assert json.loads(login.body)["username"] == "workout-service"


async def test_every_request_names_the_worker_and_carries_one_trace_id(
    live_api: Any, make_settings: Any, proxy: Any
) -> None:
    live_api.create(name="Dip")
    with proxy(live_api.url) as (url, recorder):
        await refresh(make_settings(api_client={"workout_api_url": url}))
        first_run = list(recorder.seen)
        await refresh(make_settings(api_client={"workout_api_url": url}))

    assert recorder.seen
    assert all(r.headers["user-agent"] == "workout-tracker-worker" for r in recorder.seen)
    first_ids = {r.headers["x-trace-id"] for r in first_run}
    all_ids = {r.headers["x-trace-id"] for r in recorder.seen}
    assert len(first_ids) == 1  # one run, one trace id
    assert len(all_ids) == 2  # a new one per run


async def test_transient_api_errors_are_retried(
    live_api: Any, make_settings: Any, proxy: Any
) -> None:
    live_api.create(name="Curl")
    with proxy(live_api.url) as (url, recorder):
        recorder.fail_path_prefix = "/exercises"
        recorder.fail_next = 2
        result = await refresh(make_settings(api_client={"workout_api_url": url}))

    assert result["processed"] == 1
    assert len(recorder.requests_to("/exercises")) == 3


async def test_a_page_that_keeps_failing_counts_as_failures_and_keeps_the_old_snapshot(
    live_api: Any, worker_redis: Any, make_settings: Any, proxy: Any
) -> None:
    live_api.create_many(250)
    worker_redis.cache.set("workout:context:v1", '{"previous": true}')
    with proxy(live_api.url) as (url, recorder):
        recorder.fail_path_prefix = "/exercises"
        recorder.fail_query_contains = "page=2"
        recorder.fail_next = 100
        settings = make_settings(api_client={"workout_api_url": url}, refresh={"max_retries": 2})
        result = await refresh(settings)

    assert result == {
        "processed": 200,
        "skipped": 0,
        "failed": 50,
        "total": 250,
        "success_rate": 80.0,
    }
    assert len([r for r in recorder.requests_to("/exercises") if "page=2" in r.query]) == 3
    assert snapshot(worker_redis) == {"previous": True}


async def test_api_down_means_the_task_cannot_run(make_settings: Any, unused_url: Any) -> None:
    settings = make_settings(api_client={"workout_api_url": unused_url()})

    with pytest.raises(TaskUnavailableError, match="could not list exercises"):
        await refresh(settings)


async def test_redis_down_means_the_task_cannot_run(
    live_api: Any, make_settings: Any, down_redis_url: str
) -> None:
    settings = make_settings(
        api_client={"workout_api_url": live_api.url}, redis={"url": down_redis_url}
    )

    with pytest.raises(TaskUnavailableError, match="unreachable"):
        await refresh(settings)


def test_a_run_killed_half_way_can_run_again(
    live_api: Any, worker_redis: Any, make_settings: Any, proxy: Any
) -> None:
    live_api.create_many(1000)
    with proxy(live_api.url) as (url, recorder):
        recorder.delay_seconds = 0.3
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("WORKER_")},
            "WORKER_REDIS__URL": worker_redis.server_url,
            "WORKER_REDIS__DATABASE": str(worker_redis.queue_db),
            "WORKER_REDIS__CACHE_DATABASE": str(worker_redis.cache_db),
            "WORKER_API_CLIENT__WORKOUT_API_URL": url,
            "WORKER_REFRESH__CONCURRENCY": "1",
        }
        first = subprocess.Popen(
            [str(WORKER_BIN), "run-task", "refresh"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while worker_redis.cache.dbsize() < 500 and time.monotonic() < deadline:
                time.sleep(0.01)  # part-way through the second page
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()
        done_before = len(list(worker_redis.cache.scan_iter("idempotency:*")))
        assert 0 < done_before < 1000
        assert not worker_redis.cache.exists("workout:context:v1")

        again = subprocess.run(
            [str(WORKER_BIN), "run-task", "refresh"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert again.returncode == 0, again.stderr
    result = json.loads(again.stdout)
    assert result["failed"] == 0
    assert result["total"] == 1000
    assert result["skipped"] == done_before
    assert result["processed"] == 1000 - done_before
    assert snapshot(worker_redis)["total"] == 1000
    # Every idempotency key has its summary: no exercise is hidden for a TTL.
    ids = {key.split(":")[2] for key in worker_redis.cache.scan_iter("idempotency:*")}
    summaries = {key.split(":")[2] for key in worker_redis.cache.scan_iter("workout:exercise:*")}
    assert ids == summaries
    assert len(ids) == 1000


@pytest.mark.parametrize("concurrency", [1, 4])
async def test_pages_are_read_with_bounded_concurrency(
    live_api: Any, make_settings: Any, proxy: Any, concurrency: int
) -> None:
    live_api.create_many(1001)  # six pages
    with proxy(live_api.url) as (url, recorder):
        recorder.delay_seconds = 0.2
        settings = make_settings(
            api_client={"workout_api_url": url}, refresh={"concurrency": concurrency}
        )
        result = await refresh(settings)

    assert result["processed"] == 1001
    assert recorder.max_in_flight <= concurrency
    # Page 1 comes alone (it gives the total); the other five overlap when allowed to.
    assert recorder.max_in_flight == 1 if concurrency == 1 else recorder.max_in_flight >= 2


def test_the_coach_answers_from_the_published_snapshot_without_the_api(
    live_api: Any, worker_redis: Any, make_settings: Any, asgi_server: Any, unused_url: Any
) -> None:
    from workout_coach.main import create_app as create_coach
    from workout_coach.settings import CoachSettings

    live_api.create(name="Bench Press", sets=4, reps=8, weight=80.0)
    live_api.create(name="Back Squat", sets=5, reps=5, weight=100.0)
    asyncio.run(refresh(make_settings(api_client={"workout_api_url": live_api.url})))
    coach = create_coach(
        CoachSettings(
            workout_api_url=unused_url(),  # the API is gone: only the snapshot can answer
            redis_url=worker_redis.url(worker_redis.cache_db),
        )
    )

    with asgi_server(coach) as url:
        response = httpx.get(f"{url}/analyze", timeout=60)

    assert response.status_code == 200, response.text
    assert response.json()["muscle_balance_score"] is not None
