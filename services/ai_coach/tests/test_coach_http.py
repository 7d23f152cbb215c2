"""The coach over HTTP against the live Workout API app, real PostgreSQL and real Redis."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis

from workout_coach.answer_cache import CACHE_KEY_PREFIX
from workout_coach.errors import NO_EXERCISES_DETAIL, WORKOUT_API_UNAVAILABLE_DETAIL
from workout_coach.workout_context import build_context, parse_exercises
from workout_common.context_snapshot import CONTEXT_SNAPSHOT_KEY

SAMPLE_LOG: list[dict[str, Any]] = [
    {"name": "Bench Press", "sets": 4, "reps": 8, "weight": 80.0, "workout_day": "A"},
    {"name": "Incline Dumbbell Press", "sets": 3, "reps": 10, "weight": 30.0, "workout_day": "A"},
    {"name": "Push-Ups", "sets": 3, "reps": 15, "weight": None, "workout_day": "A"},
    {"name": "Barbell Row", "sets": 3, "reps": 8, "weight": 60.0, "workout_day": "B"},
    {"name": "Bicep Curl", "sets": 3, "reps": 12, "weight": 15.0, "workout_day": "B"},
    {"name": "Plank", "sets": 3, "reps": 1, "weight": None, "workout_day": "B"},
]


def expected_context() -> Any:
    return build_context(parse_exercises({"id": i, **item} for i, item in enumerate(SAMPLE_LOG, 1)))


async def test_health_is_healthy_with_api_and_redis(make_coach: Any, workout_api: Any) -> None:
    async with make_coach(workout_api_url=workout_api.url) as coach:
        response = await coach.get("/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "healthy",
        "service": "ai-coach",
        "ai_model": "offline:workout-coach",
        "workout_api_connected": True,
        "redis_connected": True,
    }


async def test_health_is_degraded_but_answers_without_dependencies(
    make_coach: Any, unreachable_url: str
) -> None:
    dead_redis = unreachable_url.replace("http://", "redis://") + "/0"
    async with make_coach(redis_url=dead_redis) as coach:
        response = await coach.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["workout_api_connected"] is False
    assert body["redis_connected"] is False


async def test_chat_is_grounded_in_the_log_and_forwards_the_trace_id(
    make_coach: Any, workout_api: Any
) -> None:
    await workout_api.seed(SAMPLE_LOG)
    workout_api.recorder.seen.clear()
    async with make_coach(workout_api_url=workout_api.url) as coach:
        response = await coach.post(
            "/chat",
            json={"message": "Am I training my legs enough?"},
            headers={"X-Trace-Id": "trace-coach-1"},
        )
    assert response.status_code == 200
    assert response.headers["X-Request-Id"] == "trace-coach-1"
    body = response.json()
    assert body["context_used"] is True
    assert "6 exercises, 19 sets" in body["response"]
    assert "no legs exercises logged" in body["response"]
    reads = workout_api.recorder.exercise_reads()
    assert reads, "the coach read the exercises from the API"
    assert all(r.headers.get("x-trace-id") == "trace-coach-1" for r in reads)
    # called as the service identity, in pages of 200
    assert all(r.headers.get("authorization", "").startswith("Bearer ") for r in reads)
    assert "page_size=200" in reads[0].query
    logins = [r for r in workout_api.recorder.seen if r.path == "/auth/login"]
    assert len(logins) == 1


async def test_chat_without_context_does_not_read_the_log(
    make_coach: Any, workout_api: Any
) -> None:
    async with make_coach(workout_api_url=workout_api.url) as coach:
        response = await coach.post(
            "/chat", json={"message": "How do I squat?", "include_workout_context": False}
        )
    assert response.status_code == 200
    assert response.json()["context_used"] is False
    assert workout_api.recorder.exercise_reads() == []


async def test_chat_continues_without_context_when_the_api_is_down(
    make_coach: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    async with make_coach() as coach:
        response = await coach.post("/chat", json={"message": "What should I train today?"})
    assert response.status_code == 200
    body = response.json()
    assert body["context_used"] is False
    assert body["response"].startswith("This is general advice, not based on your training log")
    assert any("without workout context" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/chat", {"message": ""}, "message"),
        ("/chat", {"message": "x" * 2001}, "message"),
        ("/chat", {}, "message"),
        ("/recommend", {"focus_area": "arms"}, "focus_area"),
        ("/recommend", {"session_duration_minutes": 14}, "session_duration_minutes"),
        ("/recommend", {"session_duration_minutes": 181}, "session_duration_minutes"),
        ("/recommend", {"equipment_available": "barbell"}, "equipment_available"),
    ],
)
async def test_invalid_requests_get_a_422_naming_the_field(
    make_coach: Any, path: str, payload: dict[str, Any], field: str
) -> None:
    async with make_coach() as coach:
        response = await coach.post(path, json=payload)
    assert response.status_code == 422
    locations = [error["loc"][-1] for error in response.json()["detail"]]
    assert field in locations


async def test_boundary_values_are_accepted(make_coach: Any) -> None:
    async with make_coach() as coach:
        long_message = await coach.post("/chat", json={"message": "x" * 2000})
        shortest = await coach.post("/recommend", json={"session_duration_minutes": 15})
        longest = await coach.post("/recommend", json={"session_duration_minutes": 180})
    assert long_message.status_code == 200
    assert shortest.status_code == 200
    assert longest.status_code == 200
    assert shortest.json()["estimated_duration_minutes"] <= 15
    assert longest.json()["estimated_duration_minutes"] <= 180


async def test_recommendation_uses_the_log_and_is_cached_in_redis(
    make_coach: Any, workout_api: Any, coach_redis_url: str
) -> None:
    await workout_api.seed(SAMPLE_LOG)
    request = {
        "focus_area": "chest",
        "equipment_available": ["dumbbells"],
        "session_duration_minutes": 45,
    }
    async with make_coach(workout_api_url=workout_api.url, coach_cache_ttl_seconds=600) as coach:
        first = await coach.post("/recommend", json=request)
        reads_after_first = len(workout_api.recorder.exercise_reads())
        # same request written differently: same cache entry, no model run, no API read
        second = await coach.post(
            "/recommend", json={**request, "equipment_available": [" Dumbbell"]}
        )
        metrics = (await coach.get("/metrics")).text
    assert first.status_code == 200
    assert second.status_code == 200
    assert second.json() == first.json()
    assert len(workout_api.recorder.exercise_reads()) == reads_after_first
    body = first.json()
    assert body["title"].startswith("Chest session")
    incline = next(e for e in body["exercises"] if e["name"] == "Incline Dumbbell Press")
    assert "30" in incline["weight_suggestion"]
    assert 'workout_coach_cache_requests_total{result="hit"}' in metrics
    redis = aioredis.Redis.from_url(coach_redis_url, decode_responses=True)
    try:
        keys = await redis.keys(CACHE_KEY_PREFIX + "*")
        assert len(keys) == 1
        assert 0 < await redis.ttl(keys[0]) <= 600
    finally:
        await redis.aclose()


async def test_recommend_works_without_redis_and_without_the_api(
    make_coach: Any, unreachable_url: str
) -> None:
    dead_redis = unreachable_url.replace("http://", "redis://") + "/0"
    async with make_coach(redis_url=dead_redis) as coach:
        response = await coach.post("/recommend", json={"focus_area": "back"})
        metrics = (await coach.get("/metrics")).text
    assert response.status_code == 200
    assert response.json()["title"].startswith("Back session")
    assert 'workout_coach_cache_requests_total{result="error"}' in metrics


async def test_analysis_reports_the_computed_figures(make_coach: Any, workout_api: Any) -> None:
    await workout_api.seed(SAMPLE_LOG)
    async with make_coach(workout_api_url=workout_api.url) as coach:
        response = await coach.get("/analyze")
    assert response.status_code == 200
    body = response.json()
    context = expected_context()
    assert body["muscle_balance_score"] == context.muscle_balance_score
    assert body["strengths"][0].startswith("Chest: 10 sets over 3 exercises, 53% of your sets")
    assert body["areas_to_improve"][0] == "Legs: no exercises logged"
    assert f"{context.total_sets} sets" in body["summary"]


async def test_analysis_reports_volume_per_muscle_group_as_the_coach_groups_exercises(
    make_coach: Any, workout_api: Any
) -> None:
    await workout_api.seed(
        [
            *SAMPLE_LOG,
            {
                "name": "Romanian Deadlift",
                "sets": 3,
                "reps": 10,
                "weight": 70.0,
                "workout_day": "C",
            },
            {"name": "Deadlift", "sets": 2, "reps": 5, "weight": 140.0, "workout_day": "C"},
            {"name": "Burpees", "sets": 2, "reps": 10, "weight": None, "workout_day": "C"},
            {"name": "Juggling", "sets": 1, "reps": 20, "weight": 2.0, "workout_day": "C"},
        ]
    )
    async with make_coach(workout_api_url=workout_api.url) as coach:
        response = await coach.get("/analyze")
    assert response.status_code == 200
    # sets x reps x weight summed per group; bodyweight sets count but add no load,
    # "Romanian Deadlift" is legs while "Deadlift" is back, untrained groups are left out.
    assert response.json()["volume_by_muscle_group"] == [
        {"group": "chest", "exercises": 3, "sets": 10, "volume": 4 * 8 * 80 + 3 * 10 * 30},
        {"group": "back", "exercises": 2, "sets": 5, "volume": 3 * 8 * 60 + 2 * 5 * 140},
        {"group": "legs", "exercises": 1, "sets": 3, "volume": 3 * 10 * 70},
        {"group": "biceps", "exercises": 1, "sets": 3, "volume": 3 * 12 * 15},
        {"group": "other", "exercises": 1, "sets": 1, "volume": 1 * 20 * 2},
        {"group": "core", "exercises": 1, "sets": 3, "volume": 0},
        {"group": "full_body", "exercises": 1, "sets": 2, "volume": 0},
    ]


async def test_analysis_of_an_empty_log_is_a_400(make_coach: Any, workout_api: Any) -> None:
    async with make_coach(workout_api_url=workout_api.url) as coach:
        response = await coach.get("/analyze")
    assert response.status_code == 400
    assert response.json() == {"detail": NO_EXERCISES_DETAIL}


async def test_analysis_without_the_api_is_a_503(make_coach: Any) -> None:
    async with make_coach() as coach:
        response = await coach.get("/analyze")
    assert response.status_code == 503
    assert response.json() == {"detail": WORKOUT_API_UNAVAILABLE_DETAIL}


async def test_all_exercises_are_read_in_pages_of_200(make_coach: Any, make_api: Any) -> None:
    many = [
        {"name": f"Goblet Squat {i}", "sets": 1, "reps": 10, "weight": 20.0, "workout_day": "A"}
        for i in range(205)
    ]
    async with make_api(ratelimit_enabled=False) as api:
        await api.seed(many)
        async with make_coach(workout_api_url=api.url) as coach:
            response = await coach.get("/analyze")
        pages = [r.query for r in api.recorder.exercise_reads()]
    assert response.status_code == 200
    assert "205 exercises" in response.json()["summary"]
    assert pages == ["page=1&page_size=200", "page=2&page_size=200"]


async def first_page_etag(api: Any) -> str:
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.get(
            f"{api.url}/exercises",
            params={"page": 1, "page_size": 200},
            headers=await api.admin_headers(client),
        )
    response.raise_for_status()
    return str(response.headers["etag"])


async def write_snapshot(
    redis_url: str, exercises: list[dict[str, Any]], *, age_seconds: float = 0, **extra: Any
) -> None:
    taken = datetime.now(UTC) - timedelta(seconds=age_seconds)
    redis = aioredis.Redis.from_url(redis_url, decode_responses=True)
    try:
        await redis.set(
            CONTEXT_SNAPSHOT_KEY,
            json.dumps(
                {
                    "generated_at": taken.isoformat().replace("+00:00", "Z"),
                    "total": len(exercises),
                    "exercises": exercises,
                    **extra,
                }
            ),
        )
    finally:
        await redis.aclose()


async def test_a_fresh_worker_snapshot_replaces_the_api_read(
    make_coach: Any, workout_api: Any, coach_redis_url: str
) -> None:
    created = await workout_api.seed(SAMPLE_LOG)
    etag = await first_page_etag(workout_api)
    await write_snapshot(coach_redis_url, created, list_etag=etag)
    reads_before = len(workout_api.recorder.exercise_reads())
    async with make_coach(
        workout_api_url=workout_api.url, coach_context_max_age_seconds=600
    ) as coach:
        response = await coach.get("/analyze")
    reads = workout_api.recorder.exercise_reads()[reads_before:]
    assert response.status_code == 200
    assert "6 exercises" in response.json()["summary"]
    # One conditional request (answered 304), no page read.
    assert [r.headers.get("if-none-match") for r in reads] == [etag]


async def test_a_change_after_the_snapshot_sends_the_coach_to_the_api(
    make_coach: Any, workout_api: Any, coach_redis_url: str
) -> None:
    created = await workout_api.seed(SAMPLE_LOG[:5])
    await write_snapshot(coach_redis_url, created, list_etag=await first_page_etag(workout_api))
    async with make_coach(
        workout_api_url=workout_api.url, coach_context_max_age_seconds=600
    ) as coach:
        before = await coach.get("/analyze")
        await workout_api.seed(SAMPLE_LOG[5:])
        after = await coach.get("/analyze")
    assert "5 exercises" in before.json()["summary"]
    assert after.status_code == 200
    assert "6 exercises" in after.json()["summary"]


async def test_an_old_or_unchecked_snapshot_is_not_used(
    make_coach: Any, workout_api: Any, coach_redis_url: str
) -> None:
    await workout_api.seed(SAMPLE_LOG[:1])
    etag = await first_page_etag(workout_api)
    snapshot_items = [{"id": i + 1, **item} for i, item in enumerate(SAMPLE_LOG)]
    async with make_coach(
        workout_api_url=workout_api.url, coach_context_max_age_seconds=600
    ) as coach:
        await write_snapshot(coach_redis_url, snapshot_items, age_seconds=601, list_etag=etag)
        too_old = await coach.get("/analyze")
        await write_snapshot(coach_redis_url, snapshot_items)  # no ETag: cannot be checked
        unchecked = await coach.get("/analyze")
    assert "1 exercise " in too_old.json()["summary"]  # the API's single exercise
    assert "1 exercise " in unchecked.json()["summary"]


async def test_the_snapshot_answers_while_the_api_is_down(
    make_coach: Any, coach_redis_url: str
) -> None:
    snapshot_items = [{"id": i + 1, **item} for i, item in enumerate(SAMPLE_LOG)]
    await write_snapshot(coach_redis_url, snapshot_items, list_etag='W/"any"')
    async with make_coach(coach_context_max_age_seconds=600) as coach:
        response = await coach.get("/analyze")
    assert response.status_code == 200
    assert "6 exercises" in response.json()["summary"]


async def test_an_unreadable_snapshot_is_ignored(
    make_coach: Any, workout_api: Any, coach_redis_url: str
) -> None:
    await workout_api.seed(SAMPLE_LOG[:2])
    redis = aioredis.Redis.from_url(coach_redis_url, decode_responses=True)
    try:
        await redis.set(CONTEXT_SNAPSHOT_KEY, '{"generated_at": "now", "exercises": "all"}')
        async with make_coach(workout_api_url=workout_api.url) as coach:
            response = await coach.get("/analyze")
    finally:
        await redis.aclose()
    assert response.status_code == 200
    assert "2 exercises" in response.json()["summary"]
    assert len(workout_api.recorder.exercise_reads()) == 1


async def test_exercises_proxy_forwards_the_page_and_query_unchanged(
    make_coach: Any, workout_api: Any
) -> None:
    await workout_api.seed(SAMPLE_LOG)
    async with make_coach(workout_api_url=workout_api.url) as coach:
        proxied = await coach.get(
            "/exercises", params={"page": 2, "page_size": 2, "sort_by": "name"}
        )
        bad_sort = await coach.get("/exercises", params={"sort_by": "colour"})
    assert proxied.status_code == 200
    body = proxied.json()
    assert (body["page"], body["page_size"], body["total"]) == (2, 2, 6)
    assert [item["name"] for item in body["items"]] == ["Bicep Curl", "Incline Dumbbell Press"]
    assert proxied.headers["x-total-count"] == "6"
    assert bad_sort.status_code == 400
    assert "sort_by" in bad_sort.json()["detail"]


async def test_exercises_proxy_is_a_503_when_the_api_is_down(make_coach: Any) -> None:
    async with make_coach() as coach:
        response = await coach.get("/exercises")
    assert response.status_code == 503
    assert response.json() == {"detail": WORKOUT_API_UNAVAILABLE_DETAIL}


async def test_metrics_count_model_runs_and_http_requests(make_coach: Any) -> None:
    async with make_coach() as coach:
        await coach.post("/chat", json={"message": "hello", "include_workout_context": False})
        metrics = (await coach.get("/metrics")).text
    assert (
        'workout_coach_model_requests_total{endpoint="chat",model="offline:workout-coach",outcome="success"}'
        in metrics
    )
    assert (
        'workout_http_requests_total{method="POST",route="/chat",service="coach",status="200"}'
        in metrics
    )


async def test_recommend_without_a_body_uses_the_contract_defaults(make_coach: Any) -> None:
    async with make_coach() as coach:
        response = await coach.post("/recommend")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Balanced full-body session (60 min)"
    assert body["estimated_duration_minutes"] <= 60


async def test_openapi_names_operations_by_tag(make_coach: Any) -> None:
    async with make_coach() as coach:
        schema = (await coach.get("/openapi.json")).json()
    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {"coach-chat", "coach-recommend", "coach-analyze", "health-health"} <= operations


async def test_docs_and_the_openapi_document_can_be_turned_off(make_coach: Any) -> None:
    async with make_coach(docs_enabled=False) as coach:
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert (await coach.get(path)).status_code == 404, path
        assert (await coach.get("/health")).status_code in {200, 503}


async def test_metrics_are_not_served_through_a_proxy(make_coach: Any) -> None:
    async with make_coach() as coach:
        assert (await coach.get("/metrics")).status_code == 200
        proxied = await coach.get("/metrics", headers={"X-Forwarded-For": "203.0.113.5"})
        assert proxied.status_code == 404
