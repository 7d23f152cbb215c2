"""Cached answers of signed-in lifters: per account, and never after their log changed."""

from __future__ import annotations

from typing import Any

import redis.asyncio as aioredis

from workout_coach.answer_cache import CACHE_KEY_PREFIX, LIFTER_KEY_PREFIX
from workout_common.service_identity import DEFAULT_SERVICE_PASSWORD, DEFAULT_SERVICE_USERNAME
from workout_testkit.training_logs import NOW, TwoLifters, at, sign_in

LEGS = {"focus_area": "legs", "equipment_available": ["barbell"], "session_duration_minutes": 45}


def stats_reads(workout_api: Any) -> int:
    return len([r for r in workout_api.recorder.seen if r.path == "/stats"])


async def test_a_cached_analysis_is_not_served_after_the_log_changed(
    make_coach: Any, two_lifters: TwoLifters, workout_api: Any
) -> None:
    squatter = two_lifters.squatter
    async with make_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        first = await coach.get("/analyze", headers=squatter.headers)
        reads = stats_reads(workout_api)
        again = await coach.get("/analyze", headers=squatter.headers)
        assert again.json() == first.json()
        assert stats_reads(workout_api) == reads  # served from the cache
        await squatter.log(at(4, hour=7), "Lower B", [("Barbell Back Squat", [(107.5, 5)] * 5)])
        after = await coach.get("/analyze", headers=squatter.headers)
    assert first.json()["training_log"]["workouts"] == 6
    assert after.json()["training_log"]["workouts"] == 7
    assert stats_reads(workout_api) > reads


async def test_a_cached_plan_follows_the_next_logged_session(
    make_coach: Any, two_lifters: TwoLifters
) -> None:
    squatter = two_lifters.squatter

    async def squat_weight(coach: Any) -> str:
        plan = (await coach.post("/recommend", json=LEGS, headers=squatter.headers)).json()
        squat = next(e for e in plan["exercises"] if e["name"] == "Barbell Back Squat")
        return str(squat["weight_suggestion"])

    async with make_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        before = [await squat_weight(coach), await squat_weight(coach)]
        await squatter.log(at(4, hour=7), "Lower B", [("Barbell Back Squat", [(107.5, 5)] * 5)])
        after = await squat_weight(coach)
    assert before == ["107.5 kg", "107.5 kg"]
    assert after == "112.5 kg"


async def test_one_lifters_cached_answer_is_never_served_to_another(
    make_coach: Any, two_lifters: TwoLifters, coach_redis_url: str
) -> None:
    request = {"equipment_available": ["barbell"], "session_duration_minutes": 60}
    async with make_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        mine = await coach.post("/recommend", json=request, headers=two_lifters.squatter.headers)
        theirs = await coach.post(
            "/recommend", json=request, headers=two_lifters.deadlifter.headers
        )
        anonymous = await coach.post("/recommend", json=request)
    my_lifts = {e["name"] for e in mine.json()["exercises"]}
    their_lifts = {e["name"] for e in theirs.json()["exercises"]}
    assert "Barbell Bench Press" in my_lifts
    assert "Conventional Deadlift" in their_lifts
    assert not my_lifts & their_lifts - {"Overhead Press"}
    assert "based_on" not in anonymous.json()
    redis = aioredis.from_url(coach_redis_url)
    try:
        lifter_keys = await redis.keys(LIFTER_KEY_PREFIX + "*")
        anonymous_keys = await redis.keys(CACHE_KEY_PREFIX + "*")
    finally:
        await redis.aclose()
    assert len(lifter_keys) == 2
    assert len(anonymous_keys) == 1


async def test_the_service_identity_warms_anonymous_answers_only(
    make_coach: Any, two_lifters: TwoLifters, coach_redis_url: str, workout_api: Any
) -> None:
    async with make_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        # Signed in as the worker's warm-up is: the service identity, which has no log.
        service = await sign_in(
            two_lifters.api_url, DEFAULT_SERVICE_USERNAME, DEFAULT_SERVICE_PASSWORD
        )
        workout_api.recorder.seen.clear()
        answer = await coach.post("/recommend", json=LEGS, headers=service.headers)
    assert answer.status_code == 200
    assert "based_on" not in answer.json()
    assert not [r for r in workout_api.recorder.seen if r.path in ("/workouts", "/stats")]
    redis = aioredis.from_url(coach_redis_url)
    try:
        assert await redis.keys(LIFTER_KEY_PREFIX + "*") == []
        assert len(await redis.keys(CACHE_KEY_PREFIX + "*")) == 1
    finally:
        await redis.aclose()
