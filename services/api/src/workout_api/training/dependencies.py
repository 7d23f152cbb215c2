"""Route dependencies of the training log: who may read or write a log, ids, the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Path, Request

from workout_api.auth.dependencies import CurrentUser, forbidden
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


async def lifter(user: CurrentUser) -> User:
    if user.role_enum not in LIFTER_ROLES:
        raise forbidden("The service identity has no training log")
    return user


async def log_writer(user: CurrentUser) -> User:
    if user.role_enum not in LIFTER_ROLES:
        raise forbidden("The service identity has no training log")
    if user.role_enum not in LOG_WRITER_ROLES:
        raise forbidden("Your role may read your training log but not change it")
    return user


Lifter = Annotated[User, Depends(lifter)]
LogWriter = Annotated[User, Depends(log_writer)]
ClockDep = Annotated[Clock, Depends(get_clock)]
WorkoutId = Annotated[int, Path(ge=1, le=MAX_ID, description="Workout id")]
TemplateId = Annotated[int, Path(ge=1, le=MAX_ID, description="Exercise template id")]


def user_id_of(user: User) -> int:
    assert user.id is not None
    return user.id
