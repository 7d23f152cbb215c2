"""The coach refuses oversized bodies and JSON values it could not answer about."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from workout_coach.main import create_app
from workout_coach.settings import CoachSettings


async def test_a_chat_body_over_64_kib_gets_413(make_coach: Any) -> None:
    async with make_coach() as coach:
        response = await coach.post(
            "/chat", json={"message": "x" * 70_000, "include_workout_context": False}
        )
    assert response.status_code == 413
    assert response.json()["detail"] == "Request body too large: at most 65536 bytes"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/chat", b'{"message": "\\udc00 hello", "include_workout_context": false}'),
        ("/recommend", b'{"duration_minutes": NaN}'),
        ("/recommend", b'{"duration_minutes": 1e999}'),
    ],
)
async def test_unusable_json_values_get_422_not_500(
    make_coach: Any, path: str, body: bytes
) -> None:
    async with make_coach() as coach:
        response = await coach.post(
            path, content=body, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body"]
    assert error["msg"].startswith("Request body is not usable JSON")


async def test_answers_carry_the_security_headers(make_coach: Any) -> None:
    async with make_coach() as coach:
        answer = await coach.get("/health")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["content-security-policy"] == "frame-ancestors 'none'"


async def test_an_unexpected_error_is_a_json_500_with_the_request_id(
    coach_redis_url: str, unreachable_url: str
) -> None:
    app = create_app(
        CoachSettings(
            ai_model="offline", workout_api_url=unreachable_url, redis_url=coach_redis_url
        )
    )

    async def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/broken", broken)
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://coach") as http,
    ):
        answer = await http.get("/broken", headers={"X-Trace-Id": "trace-500"})
    assert answer.status_code == 500
    assert answer.json() == {"detail": "Internal server error"}
    assert answer.headers["x-request-id"] == "trace-500"


async def test_coaching_is_limited_per_caller(make_coach: Any) -> None:
    async with make_coach(coach_ratelimit="3/minute") as coach:
        answers = [
            await coach.post(
                "/chat", json={"message": "How do I squat?", "include_workout_context": False}
            )
            for _ in range(4)
        ]
        analyze = await coach.get("/analyze")  # the same budget
        health = await coach.get("/health")  # never limited
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1].json()["detail"].startswith("Rate limit exceeded: 3 per 1 minute")
    assert int(answers[-1].headers["Retry-After"]) >= 1
    assert analyze.status_code == 429
    assert health.status_code in (200, 503)


async def test_the_exercises_proxy_has_the_apis_anonymous_read_limit(make_coach: Any) -> None:
    async with make_coach(coach_ratelimit_exercises="2/minute") as coach:
        statuses = [(await coach.get("/exercises")).status_code for _ in range(3)]
    assert statuses[-1] == 429
    assert 429 not in statuses[:2]


def test_a_malformed_limit_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="must be a limit such as 20/minute"):
        CoachSettings(ai_model="offline", coach_ratelimit="lots")
