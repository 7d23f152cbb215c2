"""Idempotency-Key on POST: a retried write is answered once, never done twice."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

Headers = dict[str, str]
SQUAT = {"name": "Squat", "sets": 5, "reps": 5, "weight": 100}


async def _count(client: httpx.AsyncClient) -> int:
    return int((await client.get("/exercises")).headers["x-total-count"])


async def test_a_retry_with_the_same_key_replays_the_first_answer(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    keyed = {**user_headers, "Idempotency-Key": "phone-42-retry"}
    first = await client.post("/exercises", json=SQUAT, headers=keyed)
    again = await client.post("/exercises", json=SQUAT, headers=keyed)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert await _count(client) == 1


async def test_the_same_key_for_another_request_is_422(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    keyed = {**user_headers, "Idempotency-Key": "reused"}
    assert (await client.post("/exercises", json=SQUAT, headers=keyed)).status_code == 201
    other = await client.post("/exercises", json={**SQUAT, "reps": 3}, headers=keyed)
    assert other.status_code == 422
    assert other.json()["detail"] == [
        {
            "loc": ["header", "Idempotency-Key"],
            "msg": "Idempotency-Key was already used for a different request",
            "type": "idempotency_key_reused",
        }
    ]
    assert await _count(client) == 1


async def test_keys_belong_to_their_caller(
    client: httpx.AsyncClient, user_headers: Headers, admin_headers: Headers
) -> None:
    for headers in (user_headers, admin_headers):
        answer = await client.post(
            "/exercises", json=SQUAT, headers={**headers, "Idempotency-Key": "shared"}
        )
        assert answer.status_code == 201
        assert "idempotent-replayed" not in answer.headers
    assert await _count(client) == 2


async def test_racing_requests_with_one_key_write_once(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    keyed = {**user_headers, "Idempotency-Key": "race"}
    answers = await asyncio.gather(
        *(client.post("/exercises", json=SQUAT, headers=keyed) for _ in range(5))
    )
    assert {answer.status_code for answer in answers} == {201}
    assert len({answer.json()["id"] for answer in answers}) == 1
    assert await _count(client) == 1


@pytest.mark.parametrize("key", [b"", b"x" * 256, "naïve".encode(), b"two words"])
async def test_a_malformed_key_is_400(
    client: httpx.AsyncClient, user_headers: Headers, key: bytes
) -> None:
    answer = await client.post(
        "/exercises",
        json=SQUAT,
        headers=[*user_headers.items(), ("Idempotency-Key", key)],
    )
    assert answer.status_code == 400
    assert answer.json() == {"detail": "Idempotency-Key must be 1-255 visible ASCII characters"}
    assert await _count(client) == 0


async def test_admin_account_creation_is_idempotent_too(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    keyed = {**admin_headers, "Idempotency-Key": "new-coach-account"}
    body: dict[str, Any] = {"username": "coach-anna", "password": "long-enough-1"}
    first = await client.post("/admin/users", json=body, headers=keyed)
    again = await client.post("/admin/users", json=body, headers=keyed)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    users = (await client.get("/admin/users", headers=admin_headers)).json()
    assert [u["username"] for u in users].count("coach-anna") == 1
    # Without a key, the same request is what it always was: a conflict.
    plain = await client.post("/admin/users", json=body, headers=admin_headers)
    assert plain.status_code == 409
