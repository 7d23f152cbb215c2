"""Route dependencies of the training log: who may read or write a log, ids, the clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.auth.dependencies import (
    BearerDep,
    CurrentUser,
    claims_of,
    forbidden,
    unauthorized,
    user_for_token,
)
from workout_api.auth.tokens import TokenType
from workout_api.database import SessionDep
from workout_api.resources import SettingsDep
from workout_api.training.log_write_start import bump_with_account, standing_role
from workout_api.training.schemas import MAX_ID
from workout_api.users.models import Role, User

LIFTER_ROLES = frozenset({Role.ADMIN, Role.USER, Role.READONLY})
LOG_WRITER_ROLES = frozenset({Role.ADMIN, Role.USER})

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def get_clock(request: Request) -> Clock:
    """``app.state.clock`` when set (tests fix the time), the system clock otherwise."""
    clock: Clock = getattr(request.app.state, "clock", system_clock)
    return clock


def ensure_lifter(role: Role) -> None:
    if role not in LIFTER_ROLES:
        raise forbidden("The service identity has no training log")


async def lifter(user: CurrentUser) -> User:
    ensure_lifter(user.role_enum)
    return user


def ensure_log_writer(role: Role) -> None:
    ensure_lifter(role)
    if role not in LOG_WRITER_ROLES:
        raise forbidden("Your role may read your training log but not change it")


async def log_writer(user: CurrentUser) -> User:
    ensure_log_writer(user.role_enum)
    return user


async def bumped_log_writer(
    credentials: BearerDep, session: SessionDep, settings: SettingsDep
) -> int:
    """The id of the signed-in log writer (refused as ``LogWriter`` refuses), whose log
    version is bumped in the request's session: the account is read by the bump itself."""
    if credentials is None:
        raise unauthorized("Not authenticated")
    claims = claims_of(credentials.credentials, expected=TokenType.ACCESS, settings=settings)
    account = await bump_with_account(session, user_id=claims.user_id, token_id=claims.token_id)
    ensure_log_writer(standing_role(claims, account))
    return claims.user_id


async def get_read_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session in autocommit: a read costs its statements alone (no BEGIN, no ROLLBACK)."""
    async with request.app.state.resources.read_session_factory() as session:
        yield session


ReadSessionDep = Annotated[AsyncSession, Depends(get_read_session)]


async def reading_lifter(
    credentials: BearerDep, session: ReadSessionDep, settings: SettingsDep
) -> User:
    """The signed-in lifter for a read, looked up on the read session the route uses."""
    if credentials is None:
        raise unauthorized("Not authenticated")
    user = await user_for_token(
        credentials.credentials, expected=TokenType.ACCESS, session=session, settings=settings
    )
    return await lifter(user)


Lifter = Annotated[User, Depends(lifter)]
ReadingLifter = Annotated[User, Depends(reading_lifter)]
LogWriter = Annotated[User, Depends(log_writer)]
# The writer's id, the log version bumped: the route's service must not bump it again.
BumpedLogWriterId = Annotated[int, Depends(bumped_log_writer)]
ClockDep = Annotated[Clock, Depends(get_clock)]
WorkoutId = Annotated[int, Path(ge=1, le=MAX_ID, description="Workout id")]
TemplateId = Annotated[int, Path(ge=1, le=MAX_ID, description="Exercise template id")]


def user_id_of(user: User) -> int:
    assert user.id is not None
    return user.id
