"""``PATCH /auth/me``: the signed-in user's own preferences (the weight unit)."""

from __future__ import annotations

from fastapi import APIRouter

from workout_api.database import SessionDep
from workout_api.ratelimit.guard import RateLimit
from workout_api.ratelimit.policy import Category
from workout_api.schemas import error_responses
from workout_api.training.dependencies import LogWriter
from workout_api.training.schemas import PreferencesUpdate, Profile
from workout_api.users.repository import UserRepository

router = APIRouter(prefix="/auth", tags=["auth"])


@router.patch(
    "/me",
    response_model=Profile,
    responses=error_responses(400, 401, 403, 429),
    dependencies=[RateLimit(Category.WRITE)],
    summary="Change your preferences (weight_unit: kg or lb)",
)
async def update_me(user: LogWriter, changes: PreferencesUpdate, session: SessionDep) -> Profile:
    user.weight_unit = changes.weight_unit
    saved = await UserRepository(session).save(user)
    return Profile(
        username=saved.username,
        email=saved.email,
        role=saved.role,
        disabled=saved.disabled,
        weight_unit=changes.weight_unit,
    )
