"""What one request may carry: bounded bodies and headers, finite numbers, real text."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from workout_api.main import MAX_BODY_BYTES

MIB = 1024 * 1024


async def test_a_huge_login_body_is_refused_before_it_is_read(client: httpx.AsyncClient) -> None:
    sent: list[int] = []

    async def twenty_mebibytes() -> AsyncIterator[bytes]:
        yield b"["
        for i in range(20):
            sent.append(i)
            yield b"1," * (MIB // 2)
        yield b"1]"

    response = await client.post(
        "/auth/login", content=twenty_mebibytes(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": f"Request body too large: at most {MAX_BODY_BYTES} bytes"}
    assert len(sent) <= 3, "reading stopped once the limit was passed"


async def test_a_declared_length_over_the_limit_is_refused_at_once(
    client: httpx.AsyncClient,
) -> None:
    body = b"[" + b"1," * (MAX_BODY_BYTES // 2) + b"1]"
    response = await client.post(
        "/exercises", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


async def test_huge_headers_get_431(client: httpx.AsyncClient) -> None:
    response = await client.get("/exercises", headers={"Authorization": "Bearer " + "a" * 20_000})
    assert response.status_code == 431
    assert "headers too large" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"username": "admin", "password": 1e999}', "too large"),
        (b'{"username": "admin", "password": NaN}', "NaN"),
        (b'{"username": "admin", "password": -Infinity}', "-Infinity"),
        (b'{"username": "\\ud800", "password": "admin123"}', "surrogate"),
    ],
)
async def test_values_json_allows_but_cannot_be_kept_get_422(
    client: httpx.AsyncClient, body: bytes, reason: str
) -> None:
    response = await client.post(
        "/auth/login", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body"]
    assert error["msg"].startswith("Request body is not usable JSON")
    assert reason in error["msg"]


async def test_a_surrogate_pair_is_ordinary_text(
    client: httpx.AsyncClient, user_headers: dict[str, str]
) -> None:
    body = b'{"name": "Curl \\ud83d\\udcaa", "sets": 3, "reps": 10}'
    response = await client.post(
        "/exercises",
        content=body,
        headers={**user_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "Curl \U0001f4aa"


async def test_a_422_never_echoes_the_input(
    client: httpx.AsyncClient, user_headers: dict[str, str]
) -> None:
    secret_looking = "x" * 100_000
    response = await client.post(
        "/exercises",
        json={"name": secret_looking, "sets": "many", "reps": [1] * 1000},
        headers=user_headers,
    )
    assert response.status_code == 422
    assert secret_looking[:200] not in response.text
    assert len(response.content) < 2_000
    fields = {tuple(error["loc"]) for error in response.json()["detail"]}
    assert {("body", "name"), ("body", "sets"), ("body", "reps")} <= fields


@pytest.mark.parametrize(("weight", "status"), [(10_000, 201), (10_000.5, 422), (1e308, 422)])
async def test_weight_is_bounded(
    client: httpx.AsyncClient, user_headers: dict[str, str], weight: float, status: int
) -> None:
    response = await client.post(
        "/exercises",
        content=json.dumps({"name": "Sled", "sets": 1, "reps": 1, "weight": weight}),
        headers={**user_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == status, response.text


async def test_every_answer_carries_the_security_headers(client: httpx.AsyncClient) -> None:
    answers = [
        await client.get("/"),
        await client.get("/exercises/999999"),
        await client.post("/auth/login", content=b"x" * (MAX_BODY_BYTES + 1)),
    ]
    assert [answer.status_code for answer in answers] == [200, 404, 413]
    for answer in answers:
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert answer.headers["content-security-policy"] == "frame-ancestors 'none'"
