"""Who a per-user tool acts for: the signed-in lifter, never anyone else.

Over streamable HTTP that is the account of the request's ``Authorization: Bearer`` access
token, verified by the API's own function (signature, expiry, token version, disabled
account). Over stdio it is the account named by ``--user``: the process already holds the
database, so naming the lifter is all a local client can do. A refusal is the API's own
``HTTPException`` (401 or 403 with a ``detail``), turned into a tool error by the caller.
"""

from __future__ import annotations

from typing import Protocol

from fastmcp.server.dependencies import get_http_headers
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.auth.dependencies import bearer_token, forbidden, unauthorized, user_for_token
from workout_api.auth.tokens import TokenType
from workout_api.settings import Settings
from workout_api.users.models import User
from workout_api.users.repository import UserRepository

SIGN_IN_OVER_HTTP = (
    "Sign-in required: send 'Authorization: Bearer <access token>' "
    "(the access_token of POST /auth/login) with each request"
)
START_WITH_USER = (
    "Sign-in required: this server was started without a user; start it with "
    "--user USERNAME to read and log that lifter's workouts"
)


class Identity(Protocol):
    async def user(self, session: AsyncSession) -> User:
        """The account the current call acts for; ``HTTPException`` 401/403 otherwise."""
        ...


class BearerTokenIdentity:
    """The account of the HTTP request's access token, verified as the API verifies it."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def user(self, session: AsyncSession) -> User:
        header = get_http_headers(include={"authorization"}).get("authorization")
        token = bearer_token(header)
        if token is None:
            raise unauthorized(SIGN_IN_OVER_HTTP)
        return await user_for_token(
            token, expected=TokenType.ACCESS, session=session, settings=self._settings
        )


class LocalUserIdentity:
    """The account named by ``--user`` (None: the server was started without one)."""

    def __init__(self, username: str | None) -> None:
        self.username = username

    async def user(self, session: AsyncSession) -> User:
        if self.username is None:
            raise unauthorized(START_WITH_USER)
        user = await UserRepository(session).by_username_any_case(username=self.username)
        if user is None:
            raise unauthorized(f"No account is called {self.username!r}: check --user")
        if user.disabled:
            raise forbidden("User account is disabled")
        return user
