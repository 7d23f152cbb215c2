"""Sign-in, tokens, /auth/me, refresh, password change and write protection (delta 4)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from sqlalchemy import text

from workout_api.auth.passwords import PasswordHasher
from workout_api.auth.tokens import TokenSubject, TokenType, issue_token
from workout_common.service_identity import DEFAULT_SERVICE_PASSWORD, DEFAULT_SERVICE_USERNAME

Headers = dict[str, str]
Login = Callable[[httpx.AsyncClient, str, str], Awaitable[Headers]]
TEST_SECRET = "test-secret-key-for-the-workout-api-tests-0123456789"  # as in conftest
EXERCISE = {"name": "Squat", "sets": 5, "reps": 5}


def bearer(token: str) -> Headers:
    return {"Authorization": f"Bearer {token}"}


async def test_login_returns_access_and_refresh_tokens(client: httpx.AsyncClient) -> None:
    response = await client.post("/auth/login", json={"username": "admin", "password": "admin123"})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 1800
    access = jwt.decode(body["access_token"], TEST_SECRET, algorithms=["HS256"])
    refresh = jwt.decode(body["refresh_token"], TEST_SECRET, algorithms=["HS256"])
    assert (access["sub"], access["role"], access["type"]) == ("admin", "admin", "access")
    assert (refresh["sub"], refresh["role"], refresh["type"]) == ("admin", "admin", "refresh")
    assert access["exp"] - access["iat"] == 30 * 60
    assert refresh["exp"] - refresh["iat"] == 7 * 24 * 3600


@pytest.mark.parametrize(
    ("username", "password"), [("admin", "wrong-password"), ("nobody", "admin123")]
)
async def test_bad_credentials_are_401_with_www_authenticate(
    client: httpx.AsyncClient, username: str, password: str
) -> None:
    response = await client.post("/auth/login", json={"username": username, "password": password})
    assert response.status_code == 401
    assert response.json() == {"detail": "Incorrect username or password"}
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "body",
    [
        {"username": "ad", "password": "admin123"},
        {"username": "a" * 51, "password": "admin123"},
        {"username": "admin", "password": "short"},
        {"username": "admin"},
        {"password": "admin123"},
    ],
)
async def test_login_body_constraints_are_422(
    client: httpx.AsyncClient, body: dict[str, str]
) -> None:
    assert (await client.post("/auth/login", json=body)).status_code == 422


async def test_overlong_password_is_refused_not_an_error(client: httpx.AsyncClient) -> None:
    response = await client.post("/auth/login", json={"username": "admin", "password": "é" * 60})
    assert response.status_code == 401


async def test_me_shows_the_signed_in_user(
    client: httpx.AsyncClient, admin_headers: Headers, user_headers: Headers
) -> None:
    admin = await client.get("/auth/me", headers=admin_headers)
    user = await client.get("/auth/me", headers=user_headers)
    assert admin.json() == {
        "username": "admin",
        "email": "admin@workout.local",
        "role": "admin",
        "disabled": False,
    }
    assert user.json()["role"] == "user"


ADMIN = TokenSubject(user_id=1, username="admin", role="admin", version=0)


def _token(token_type: TokenType, *, lifetime: timedelta, secret: str = TEST_SECRET) -> str:
    return issue_token(secret=secret, subject=ADMIN, token_type=token_type, lifetime=lifetime)


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "Not authenticated"),
        ({"Authorization": "Basic YWRtaW46YWRtaW4xMjM="}, "Not authenticated"),
        (bearer("not-a-jwt"), "Could not validate credentials"),
        (
            bearer(_token(TokenType.ACCESS, lifetime=timedelta(minutes=5), secret="x" * 40)),
            "Could not validate credentials",
        ),
        (bearer(_token(TokenType.ACCESS, lifetime=timedelta(seconds=-5))), "Token has expired"),
        (
            bearer(_token(TokenType.REFRESH, lifetime=timedelta(days=1))),
            "Wrong token type: access token required",
        ),
    ],
    ids=["missing", "basic", "garbage", "forged", "expired", "refresh-as-access"],
)
async def test_me_refuses_bad_tokens_with_401(
    client: httpx.AsyncClient, headers: Headers, detail: str
) -> None:
    response = await client.get("/auth/me", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": detail}
    assert response.headers["www-authenticate"] == "Bearer"


async def test_token_without_a_type_is_refused(client: httpx.AsyncClient) -> None:
    legacy = jwt.encode(
        {"sub": "admin", "role": "admin", "exp": datetime.now(UTC) + timedelta(minutes=5)},
        TEST_SECRET,
        algorithm="HS256",
    )
    assert (await client.get("/auth/me", headers=bearer(legacy))).status_code == 401


async def test_token_of_a_deleted_user_is_refused(client: httpx.AsyncClient) -> None:
    ghost = issue_token(
        secret=TEST_SECRET,
        subject=TokenSubject(user_id=999, username="ghost", role="admin", version=0),
        token_type=TokenType.ACCESS,
        lifetime=timedelta(minutes=5),
    )
    assert (await client.get("/auth/me", headers=bearer(ghost))).status_code == 401


async def test_refresh_trades_a_refresh_token_for_a_new_access_token(
    client: httpx.AsyncClient,
) -> None:
    tokens = (
        await client.post("/auth/login", json={"username": "user", "password": "user123"})
    ).json()
    response = await client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 200
    body = response.json()
    assert body["refresh_token"] == tokens["refresh_token"]
    assert body["expires_in"] == 1800
    me = await client.get("/auth/me", headers=bearer(body["access_token"]))
    assert me.json()["username"] == "user"


async def test_refresh_refuses_an_access_token(client: httpx.AsyncClient) -> None:
    tokens = (
        await client.post("/auth/login", json={"username": "user", "password": "user123"})
    ).json()
    response = await client.post("/auth/refresh", json={"refresh_token": tokens["access_token"]})
    assert response.status_code == 401
    assert response.json() == {"detail": "Wrong token type: refresh token required"}


async def test_refresh_refuses_expired_and_garbage(client: httpx.AsyncClient) -> None:
    expired = _token(TokenType.REFRESH, lifetime=timedelta(seconds=-1))
    assert (await client.post("/auth/refresh", json={"refresh_token": expired})).status_code == 401
    assert (await client.post("/auth/refresh", json={"refresh_token": "x"})).status_code == 401
    assert (await client.post("/auth/refresh", json={})).status_code == 422


async def test_disabled_account_is_403(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    tokens = (
        await client.post("/auth/login", json={"username": "user", "password": "user123"})
    ).json()
    disabled = await client.patch(
        "/admin/users/user", json={"disabled": True}, headers=admin_headers
    )
    assert disabled.status_code == 200
    me = await client.get("/auth/me", headers=bearer(tokens["access_token"]))
    assert (me.status_code, me.json()) == (403, {"detail": "User account is disabled"})
    relogin = await client.post("/auth/login", json={"username": "user", "password": "user123"})
    assert relogin.status_code == 403
    refreshed = await client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 403


async def test_users_change_their_own_password(
    client: httpx.AsyncClient, user_headers: Headers, login: Login
) -> None:
    wrong = await client.post(
        "/auth/password",
        json={"current_password": "nope-nope", "new_password": "a-new-password"},
        headers=user_headers,
    )
    assert (wrong.status_code, wrong.json()) == (400, {"detail": "Current password is incorrect"})
    short = await client.post(
        "/auth/password",
        json={"current_password": "user123", "new_password": "short"},
        headers=user_headers,
    )
    assert short.status_code == 422
    changed = await client.post(
        "/auth/password",
        json={"current_password": "user123", "new_password": "a-new-password"},
        headers=user_headers,
    )
    assert changed.status_code == 204
    old = await client.post("/auth/login", json={"username": "user", "password": "user123"})
    assert old.status_code == 401
    await login(client, "user", "a-new-password")


async def test_password_change_needs_a_token(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/auth/password", json={"current_password": "user123", "new_password": "a-new-password"}
    )
    assert response.status_code == 401


async def test_writes_need_a_token(client: httpx.AsyncClient, user_headers: Headers) -> None:
    created = (await client.post("/exercises", json=EXERCISE, headers=user_headers)).json()
    path = f"/exercises/{created['id']}"
    for response in (
        await client.post("/exercises", json=EXERCISE),
        await client.patch(path, json={"sets": 1}),
        await client.delete(path),
    ):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
    assert (await client.get(path)).json() == created


@pytest.mark.parametrize("role", ["readonly", "service"])
async def test_readonly_and_service_accounts_read_but_cannot_write(
    client: httpx.AsyncClient,
    admin_headers: Headers,
    user_headers: Headers,
    role: str,
    login: Login,
) -> None:
    if role == "service":  # the configured service identity (no admin can make one)
        headers = await login(client, DEFAULT_SERVICE_USERNAME, DEFAULT_SERVICE_PASSWORD)
    else:
        account = {"username": f"{role}-account", "password": "long-enough-pw", "role": role}
        assert (
            await client.post("/admin/users", json=account, headers=admin_headers)
        ).status_code == 201
        headers = await login(client, account["username"], account["password"])
    created = (await client.post("/exercises", json=EXERCISE, headers=user_headers)).json()
    path = f"/exercises/{created['id']}"
    assert (await client.get(path, headers=headers)).status_code == 200
    assert (await client.get("/exercises", headers=headers)).status_code == 200
    for response in (
        await client.post("/exercises", json=EXERCISE, headers=headers),
        await client.patch(path, json={"sets": 1}, headers=headers),
        await client.delete(path, headers=headers),
    ):
        assert response.status_code == 403
        assert response.json() == {"detail": "Your role may read exercises but not change them"}
    assert (await client.get(path)).json() == created


async def test_hashes_use_bcrypt_cost_12_by_default(
    make_settings: Any, migrated_sqlite_url: str, client_for: Any, login: Login
) -> None:
    from workout_api.main import create_app

    settings = make_settings(migrated_sqlite_url, bcrypt_rounds=12)
    assert settings.bcrypt_rounds == 12
    app = create_app(settings)
    async with client_for(app) as client:
        await login(client, "admin", "admin123")
    async with app.state.resources.session_factory() as session:
        from workout_api.users.repository import UserRepository

        admin = await UserRepository(session).by_username(username="admin")
    assert admin is not None
    assert admin.hashed_password.startswith("$2b$12$")
    assert PasswordHasher.cost_of(admin.hashed_password) == 12
    from workout_api.settings import Settings

    assert Settings.model_fields["bcrypt_rounds"].default == 12


async def _sign_in(client: httpx.AsyncClient, username: str, password: str) -> dict[str, str]:
    response = await client.post("/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    body: dict[str, str] = response.json()
    return body


async def test_a_password_change_ends_every_earlier_token(client: httpx.AsyncClient) -> None:
    first = await _sign_in(client, "user", "user123")
    second = await _sign_in(client, "user", "user123")  # another device
    changed = await client.post(
        "/auth/password",
        json={"current_password": "user123", "new_password": "a-new-secret-9"},
        headers=bearer(first["access_token"]),
    )
    assert changed.status_code == 204

    for tokens in (first, second):
        me = await client.get("/auth/me", headers=bearer(tokens["access_token"]))
        assert me.status_code == 401
        assert me.json() == {"detail": "Token is no longer valid: sign in again"}
        refreshed = await client.post(
            "/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        )
        assert refreshed.status_code == 401
    fresh = await _sign_in(client, "user", "a-new-secret-9")
    assert (await client.get("/auth/me", headers=bearer(fresh["access_token"]))).status_code == 200


async def test_disabling_an_account_ends_its_tokens_for_good(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    tokens = await _sign_in(client, "user", "user123")
    for disabled in (True, False):
        response = await client.patch(
            "/admin/users/user", json={"disabled": disabled}, headers=admin_headers
        )
        assert response.status_code == 200
    # Enabled again, but the tokens from before the disable stay ended.
    me = await client.get("/auth/me", headers=bearer(tokens["access_token"]))
    assert me.status_code == 401
    assert (await _sign_in(client, "user", "user123"))["access_token"]


async def test_a_new_account_with_a_deleted_ones_name_does_not_inherit_its_tokens(
    client: httpx.AsyncClient, admin_headers: Headers, app: Any
) -> None:
    new_user = {"username": "reused", "password": "first-secret-1", "role": "admin"}
    assert (
        await client.post("/admin/users", json=new_user, headers=admin_headers)
    ).status_code == 201
    old = await _sign_in(client, "reused", "first-secret-1")
    async with app.state.resources.session_factory() as session:
        await session.execute(text("DELETE FROM app_user WHERE username = 'reused'"))
        await session.commit()
    again = {"username": "reused", "password": "other-secret-2", "role": "user"}
    assert (await client.post("/admin/users", json=again, headers=admin_headers)).status_code == 201

    me = await client.get("/auth/me", headers=bearer(old["access_token"]))
    assert me.status_code == 401


async def test_logout_ends_that_refresh_token_only(client: httpx.AsyncClient) -> None:
    phone = await _sign_in(client, "user", "user123")
    laptop = await _sign_in(client, "user", "user123")
    out = await client.post("/auth/logout", json={"refresh_token": phone["refresh_token"]})
    assert out.status_code == 204

    refused = await client.post("/auth/refresh", json={"refresh_token": phone["refresh_token"]})
    assert refused.status_code == 401
    assert refused.json() == {"detail": "Token is no longer valid: sign in again"}
    again = await client.post("/auth/logout", json={"refresh_token": phone["refresh_token"]})
    assert again.status_code == 401
    still = await client.post("/auth/refresh", json={"refresh_token": laptop["refresh_token"]})
    assert still.status_code == 200
