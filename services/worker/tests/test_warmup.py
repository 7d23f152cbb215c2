"""warmup_ai_cache against the live AI coach (built-in offline model) and Workout API."""

from __future__ import annotations

import json
from typing import Any

from workout_worker.resources import open_resources
from workout_worker.settings import Settings
from workout_worker.tasks.runner import run_task
from workout_worker.tasks.warmup import MUSCLE_GROUPS, SESSION_MINUTES


async def warmup(settings: Settings) -> dict[str, Any]:
    async with open_resources(settings) as resources:
        return (await run_task("warmup", resources)).as_dict()


async def test_all_140_recommendations_succeed_and_fill_the_coach_cache(
    live_api: Any, live_coach: str, worker_redis: Any, make_settings: Any, proxy: Any
) -> None:
    live_api.create(name="Bench Press", sets=4, reps=8, weight=80.0)
    live_api.create(name="Squat", sets=5, reps=5, weight=100.0)
    async with open_resources(make_settings(api_client={"workout_api_url": live_api.url})) as res:
        await run_task("refresh", res)  # the coach then reads the snapshot, not the API
    with proxy(live_coach) as (url, recorder):
        # The worker signs in to the API and its coach calls carry that token: the coach
        # counts them against the service identity's limit, not one address's.
        settings = make_settings(api_client={"ai_coach_url": url, "workout_api_url": live_api.url})
        result = await warmup(settings)

    assert result == {"total_requests": 140, "successful": 140, "failed": 0}
    posts = recorder.requests_to("/recommend", "POST")
    bodies = [json.loads(r.body) for r in posts]
    assert len({json.dumps(b, sort_keys=True) for b in bodies}) == 140
    assert {b["focus_area"] for b in bodies} == set(MUSCLE_GROUPS)
    assert {b["session_duration_minutes"] for b in bodies} == set(SESSION_MINUTES)
    assert len({tuple(b["equipment_available"]) for b in bodies}) == 5
    assert all(r.headers["user-agent"] == "workout-tracker-worker" for r in posts)
    assert all(r.headers["authorization"].startswith("Bearer ") for r in posts)
    assert len({r.headers["x-trace-id"] for r in posts}) == 1
    assert len(list(worker_redis.cache.scan_iter("coach:recommend:v1:*"))) == 140


async def test_coach_down_counts_every_request_as_failed(
    make_settings: Any, unused_url: Any
) -> None:
    settings = make_settings(api_client={"ai_coach_url": unused_url()})

    result = await warmup(settings)

    assert result == {"total_requests": 140, "successful": 0, "failed": 140}


async def test_coach_errors_are_retried(
    live_api: Any, live_coach: str, make_settings: Any, proxy: Any
) -> None:
    with proxy(live_coach) as (url, recorder):
        recorder.fail_path_prefix = "/recommend"
        recorder.fail_next = 3
        settings = make_settings(api_client={"ai_coach_url": url, "workout_api_url": live_api.url})
        result = await warmup(settings)

    assert result == {"total_requests": 140, "successful": 140, "failed": 0}
    assert len(recorder.requests_to("/recommend", "POST")) == 143


async def test_a_coach_that_stays_broken_fails_fast_after_the_retries(
    live_coach: str, make_settings: Any, proxy: Any
) -> None:
    with proxy(live_coach) as (url, recorder):
        recorder.fail_path_prefix = "/recommend"
        recorder.fail_next = 10_000
        settings = make_settings(api_client={"ai_coach_url": url}, refresh={"max_retries": 2})
        result = await warmup(settings)

    assert result == {"total_requests": 140, "successful": 0, "failed": 140}
    # One request tried three times; the rest are not sent to a coach that is down.
    assert len(recorder.requests_to("/recommend", "POST")) == 3
