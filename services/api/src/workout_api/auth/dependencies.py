"""``CurrentUser`` and role guards for routes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.auth.revocations import is_revoked
from workout_api.auth.tokens import InvalidTokenError, TokenClaims, TokenType, decode_token
from workout_api.database import SessionDep
from workout_api.resources import SettingsDep
from workout_api.settings import Settings
from workout_api.users.models import WRITER_ROLES, Role, User
from workout_api.users.repository import UserRepository

bearer_scheme = HTTPBearer(auto_error=False, description="Access token from POST /auth/login")

BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]


SESSION_ENDED = "Token is no longer valid: sign in again"


def unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


def forbidden(detail: str) -> HTTPException:
    return HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=detail)


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def get_current_user(
    credentials: BearerDep, session: SessionDep, settings: SettingsDep
) -> User:
    if credentials is None:
        raise unauthorized("Not authenticated")
    return await user_for_token(
        credentials.credentials, expected=TokenType.ACCESS, session=session, settings=settings
    )


async def user_for_token(
    token: str, *, expected: TokenType, session: AsyncSession, settings: Settings
) -> User:
    """The enabled account a valid token of type ``expected`` names; 401 or 403 otherwise."""
    user, _ = await user_and_claims_for_token(
        token, expected=expected, session=session, settings=settings
    )
    return user


def claims_of(token: str, *, expected: TokenType, settings: Settings) -> TokenClaims:
    """The claims of a token this API signed, of type ``expected``; 401 otherwise."""
    try:
        return decode_token(token, secret=settings.signing_key, expected=expected)
    except InvalidTokenError as exc:
        raise unauthorized(str(exc)) from exc


def check_account(
    claims: TokenClaims, *, username: str, disabled: bool, token_version: int, revoked: bool
) -> None:
    """401 or 403 unless the account a token names still stands behind it."""
    if username != claims.username:
        raise unauthorized("Could not validate credentials")
    if disabled:
        raise forbidden("User account is disabled")
    if token_version != claims.version or revoked:
        raise unauthorized(SESSION_ENDED)


async def user_and_claims_for_token(
    token: str, *, expected: TokenType, session: AsyncSession, settings: Settings
) -> tuple[User, TokenClaims]:
    claims = claims_of(token, expected=expected, settings=settings)
    user = await UserRepository(session).by_id(claims.user_id)
    if user is None:
        raise unauthorized("Could not validate credentials")
    check_account(
        claims,
        username=user.username,
        disabled=user.disabled,
        token_version=user.token_version,
        revoked=claims.token_id is not None and await is_revoked(session, claims.token_id),
    )
    return user, claims


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_roles(roles: frozenset[Role], detail: str) -> Callable[[User], Awaitable[User]]:
    async def guard(user: CurrentUser) -> User:
        if user.role_enum not in roles:
            raise forbidden(detail)
        return user

    return guard


WriterUser = Annotated[
    User,
    Depends(require_roles(WRITER_ROLES, "Your role may read exercises but not change them")),
]
AdminUser = Annotated[
    User, Depends(require_roles(frozenset({Role.ADMIN}), "Administrator role required"))
]
