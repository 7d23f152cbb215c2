"""Who the coach counts a request against: an account checked by the API, or an address."""

from __future__ import annotations

from typing import Any

import httpx

from workout_common.service_identity import DEFAULT_SERVICE_PASSWORD, DEFAULT_SERVICE_USERNAME

CHAT = {"message": "How do I squat?", "include_workout_context": False}


async def _token(api_url: str, username: str, password: str) -> str:
    async with httpx.AsyncClient() as http:
        answer = await http.post(
            f"{api_url}/auth/login", json={"username": username, "password": password}
        )
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["access_token"]
    return token


async def test_a_token_the_api_refuses_is_401(make_coach: Any, workout_api: Any) -> None:
    async with make_coach(workout_api_url=workout_api.url) as coach:
        answer = await coach.post(
            "/chat", json=CHAT, headers={"Authorization": "Bearer not-a-token"}
        )
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"


async def test_a_signed_in_user_is_limited_by_account_not_by_token(
    make_coach: Any, workout_api: Any
) -> None:
    phone = await _token(workout_api.url, "user", "user123")
    laptop = await _token(workout_api.url, "user", "user123")
    admin = await _token(workout_api.url, "admin", "admin123")
    async with make_coach(workout_api_url=workout_api.url, coach_ratelimit="2/minute") as coach:

        async def chat(token: str) -> int:
            answer = await coach.post(
                "/chat", json=CHAT, headers={"Authorization": f"Bearer {token}"}
            )
            return answer.status_code

        statuses = [await chat(phone), await chat(laptop), await chat(phone)]
        other_account = await chat(admin)
    assert statuses == [200, 200, 429]
    assert other_account == 200
    # One check of each token with the API, however many requests carried it (two sign-ins
    # within one second may be given the same token).
    checks = [r for r in workout_api.recorder.seen if r.path == "/auth/me"]
    assert len(checks) == len({phone, laptop, admin})


async def test_the_service_identity_has_its_own_limit(make_coach: Any, workout_api: Any) -> None:
    service = await _token(workout_api.url, DEFAULT_SERVICE_USERNAME, DEFAULT_SERVICE_PASSWORD)
    async with make_coach(workout_api_url=workout_api.url, coach_ratelimit="1/minute") as coach:
        statuses = [
            (
                await coach.post(
                    "/recommend", json={}, headers={"Authorization": f"Bearer {service}"}
                )
            ).status_code
            for _ in range(3)
        ]
    assert statuses == [200, 200, 200]


async def test_with_the_api_down_a_token_counts_as_its_address(make_coach: Any) -> None:
    # The token cannot be checked: the caller is served, limited by address, not refused.
    async with make_coach(coach_ratelimit="1/minute") as coach:
        answers = [
            await coach.post("/chat", json=CHAT, headers={"Authorization": "Bearer some-token"})
            for _ in range(2)
        ]
    assert [a.status_code for a in answers] == [200, 429]
