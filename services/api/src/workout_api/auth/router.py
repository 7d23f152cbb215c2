"""``/auth``: sign in, refresh, sign out, who am I, change my password."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, HTTPException, Request, Response, status

from workout_api.auth.dependencies import (
    CurrentUser,
    forbidden,
    unauthorized,
    user_and_claims_for_token,
    user_for_token,
)
from workout_api.auth.revocations import revoke
from workout_api.auth.schemas import LoginRequest, RefreshRequest, Token
from workout_api.auth.tokens import TokenSubject, TokenType, issue_token
from workout_api.database import SessionDep
from workout_api.ratelimit.guard import RateLimit
from workout_api.ratelimit.policy import Category
from workout_api.resources import HasherDep, SettingsDep
from workout_api.schemas import error_responses
from workout_api.settings import Settings
from workout_api.users import service as user_service
from workout_api.users.models import PasswordChange, User, UserPublic
from workout_api.users.repository import UserRepository

router = APIRouter(prefix="/auth", tags=["auth"], dependencies=[RateLimit(Category.AUTH)])

INCORRECT_CREDENTIALS = "Incorrect username or password"


def _subject(user: User) -> TokenSubject:
    assert user.id is not None
    return TokenSubject(
        user_id=user.id, username=user.username, role=user.role, version=user.token_version
    )


def _access_token(settings: Settings, user: User) -> str:
    return issue_token(
        secret=settings.signing_key,
        subject=_subject(user),
        token_type=TokenType.ACCESS,
        lifetime=timedelta(minutes=settings.access_token_expire_minutes),
    )


@router.post("/login", response_model=Token, responses=error_responses(400, 401, 403, 429))
async def login(
    credentials: LoginRequest,
    request: Request,
    session: SessionDep,
    hasher: HasherDep,
    settings: SettingsDep,
) -> Token:
    guard = request.app.state.resources.rate_limits
    if guard.enabled:
        await guard.check_login_account(credentials.username)
    user = await UserRepository(session).by_username(username=credentials.username)
    password_ok = await hasher.verify(credentials.password, user.hashed_password if user else None)
    if user is None or not password_ok:
        raise unauthorized(INCORRECT_CREDENTIALS)
    if user.disabled:
        raise forbidden("User account is disabled")
    refresh_token = issue_token(
        secret=settings.signing_key,
        subject=_subject(user),
        token_type=TokenType.REFRESH,
        lifetime=timedelta(days=settings.refresh_token_expire_days),
    )
    return Token(
        access_token=_access_token(settings, user),
        expires_in=settings.access_token_expire_minutes * 60,
        refresh_token=refresh_token,
    )


@router.post("/refresh", response_model=Token, responses=error_responses(400, 401, 403, 429))
async def refresh(body: RefreshRequest, session: SessionDep, settings: SettingsDep) -> Token:
    """A new access token for a refresh token; the refresh token keeps its original expiry."""
    user = await user_for_token(
        body.refresh_token, expected=TokenType.REFRESH, session=session, settings=settings
    )
    return Token(
        access_token=_access_token(settings, user),
        expires_in=settings.access_token_expire_minutes * 60,
        refresh_token=body.refresh_token,
    )


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(400, 401, 403, 429),
)
async def logout(body: RefreshRequest, session: SessionDep, settings: SettingsDep) -> None:
    """End this refresh token: it can no longer be traded for access tokens.

    Access tokens already issued from it run out on their own (minutes); a password change
    ends every token of the account at once.
    """
    _, claims = await user_and_claims_for_token(
        body.refresh_token, expected=TokenType.REFRESH, session=session, settings=settings
    )
    assert claims.token_id is not None  # every refresh token carries one
    await revoke(session, claims.token_id, claims.expires_at)


@router.get("/me", response_model=UserPublic, responses=error_responses(401, 403, 429))
async def read_me(user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)


@router.post(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(400, 401, 403, 429),
)
async def change_password(
    body: PasswordChange, user: CurrentUser, session: SessionDep, hasher: HasherDep
) -> None:
    """Change your own password (the current one is required); every token issued before,
    this one included, stops working: sign in again with the new password."""
    if not await hasher.verify(body.current_password, user.hashed_password):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail="Current password is incorrect")
    await user_service.set_password(session, hasher, user, body.new_password)
