"""/admin: account management and forced exercise deletes, for admins only."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

Headers = dict[str, str]
Login = Callable[[httpx.AsyncClient, str, str], Awaitable[Headers]]


async def test_admin_lists_users(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    response = await client.get("/admin/users", headers=admin_headers)
    assert response.status_code == 200
    users = {u["username"]: u for u in response.json()}
    assert users["admin"] == {
        "username": "admin",
        "email": "admin@workout.local",
        "role": "admin",
        "disabled": False,
    }
    assert users["user"]["role"] == "user"
    assert users["workout-service"]["role"] == "service"
    assert all("password" not in key for u in users.values() for key in u)


async def test_admin_endpoints_refuse_others(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    for method, path, body in [
        ("GET", "/admin/users", None),
        ("POST", "/admin/users", {"username": "eve", "password": "password1"}),
        ("PATCH", "/admin/users/user", {"role": "admin"}),
        ("DELETE", "/admin/exercises/1", None),
    ]:
        anonymous = await client.request(method, path, json=body)
        as_user = await client.request(method, path, json=body, headers=user_headers)
        assert anonymous.status_code == 401, path
        assert anonymous.headers["www-authenticate"] == "Bearer"
        assert as_user.status_code == 403, path
        assert as_user.json() == {"detail": "Administrator role required"}


async def test_admin_creates_a_user_who_can_sign_in(
    client: httpx.AsyncClient, admin_headers: Headers, login: Login
) -> None:
    response = await client.post(
        "/admin/users",
        json={"username": "coach.kim", "password": "strong-pass", "email": "kim@example.com"},
        headers=admin_headers,
    )
    assert response.status_code == 201
    assert response.json() == {
        "username": "coach.kim",
        "email": "kim@example.com",
        "role": "user",
        "disabled": False,
    }
    headers = await login(client, "coach.kim", "strong-pass")
    assert (await client.get("/auth/me", headers=headers)).json()["username"] == "coach.kim"


async def test_duplicate_username_is_409(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    response = await client.post(
        "/admin/users", json={"username": "user", "password": "whatever1"}, headers=admin_headers
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "User 'user' already exists"}


@pytest.mark.parametrize(
    "body",
    [
        {"username": "ab", "password": "long-enough"},
        {"username": "has space", "password": "long-enough"},
        {"username": "valid", "password": "short"},
        {"username": "valid", "password": "x" * 73},
        {"username": "valid", "password": "long-enough", "role": "root"},
        {"username": "valid", "password": "long-enough", "email": "not-an-email"},
    ],
)
async def test_invalid_new_users_are_422(
    client: httpx.AsyncClient, admin_headers: Headers, body: dict[str, Any]
) -> None:
    assert (await client.post("/admin/users", json=body, headers=admin_headers)).status_code == 422


async def test_admin_changes_a_role(
    client: httpx.AsyncClient, admin_headers: Headers, user_headers: Headers
) -> None:
    response = await client.patch(
        "/admin/users/user", json={"role": "readonly"}, headers=admin_headers
    )
    assert response.status_code == 200
    assert response.json()["role"] == "readonly"
    write = await client.post(
        "/exercises", json={"name": "Squat", "sets": 1, "reps": 1}, headers=user_headers
    )
    assert write.status_code == 403  # the role is read from the account, not the token


async def test_admin_resets_a_password_and_reenables(
    client: httpx.AsyncClient, admin_headers: Headers, login: Login
) -> None:
    await client.patch("/admin/users/user", json={"disabled": True}, headers=admin_headers)
    response = await client.patch(
        "/admin/users/user",
        json={"disabled": False, "password": "reset-password"},
        headers=admin_headers,
    )
    assert response.json()["disabled"] is False
    await login(client, "user", "reset-password")


async def test_patch_unknown_user_is_404(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    response = await client.patch(
        "/admin/users/nobody", json={"role": "user"}, headers=admin_headers
    )
    assert (response.status_code, response.json()) == (404, {"detail": "User not found"})


@pytest.mark.parametrize("body", [{"role": None}, {"disabled": None}, {"role": "superuser"}])
async def test_patch_user_rejects_invalid_values(
    client: httpx.AsyncClient, admin_headers: Headers, body: dict[str, Any]
) -> None:
    assert (
        await client.patch("/admin/users/user", json=body, headers=admin_headers)
    ).status_code == 422


@pytest.mark.parametrize("body", [{"disabled": True}, {"role": "user"}])
async def test_admin_cannot_lock_themselves_out(
    client: httpx.AsyncClient, admin_headers: Headers, body: dict[str, Any]
) -> None:
    response = await client.patch("/admin/users/admin", json=body, headers=admin_headers)
    assert response.status_code == 400
    assert (await client.get("/auth/me", headers=admin_headers)).json()["role"] == "admin"


async def test_admin_deletes_any_exercise(
    client: httpx.AsyncClient, admin_headers: Headers, user_headers: Headers
) -> None:
    created = (
        await client.post(
            "/exercises", json={"name": "Squat", "sets": 1, "reps": 1}, headers=user_headers
        )
    ).json()
    path = f"/admin/exercises/{created['id']}"
    assert (await client.delete(path, headers=admin_headers)).status_code == 204
    assert (await client.get(f"/exercises/{created['id']}")).status_code == 404
    again = await client.delete(path, headers=admin_headers)
    assert (again.status_code, again.json()) == (404, {"detail": "Exercise not found"})


@pytest.mark.parametrize("username", ["USER", "User", "uSeR"])
async def test_a_name_differing_only_in_case_is_taken(
    client: httpx.AsyncClient, admin_headers: dict[str, str], username: str
) -> None:
    response = await client.post(
        "/admin/users",
        json={"username": username, "password": "password1"},
        headers=admin_headers,
    )
    assert response.status_code == 409
    assert response.json()["detail"] == f"User {username!r} already exists"


async def test_admins_cannot_create_or_make_service_accounts(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    created = await client.post(
        "/admin/users",
        json={"username": "robot", "password": "password1", "role": "service"},
        headers=admin_headers,
    )
    promoted = await client.patch(
        "/admin/users/user", json={"role": "service"}, headers=admin_headers
    )
    for answer in (created, promoted):
        assert answer.status_code == 422
        assert "service accounts come from the configuration" in answer.text
