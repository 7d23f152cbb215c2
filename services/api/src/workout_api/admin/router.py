"""``/admin``: list, create and change accounts; delete any exercise."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Response, status

from workout_api.auth.dependencies import AdminUser
from workout_api.database import SessionDep
from workout_api.exercises.dependencies import ExistingExercise, RepositoryDep
from workout_api.idempotency.service import Answer, IdempotencyKeyHeader, fingerprint, run_once
from workout_api.ratelimit.guard import RateLimit
from workout_api.ratelimit.policy import Category
from workout_api.resources import HasherDep
from workout_api.schemas import error_responses
from workout_api.users import service as user_service
from workout_api.users.models import Role, UserCreate, UserPublic, UserUpdate
from workout_api.users.repository import UserRepository

router = APIRouter(
    prefix="/admin",
    tags=["admin"],
    dependencies=[RateLimit(Category.ADMIN)],
    responses=error_responses(401, 403, 429),
)

UsernamePath = Annotated[str, Path(min_length=1, max_length=50)]


@router.get("/users", response_model=list[UserPublic])
async def list_users(_admin: AdminUser, session: SessionDep) -> list[UserPublic]:
    return [UserPublic.model_validate(user) for user in await UserRepository(session).all()]


@router.post(
    "/users",
    status_code=status.HTTP_201_CREATED,
    response_model=UserPublic,
    responses=error_responses(400, 409),
)
async def create_user(
    admin: AdminUser,
    data: UserCreate,
    session: SessionDep,
    hasher: HasherDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    async def write() -> Answer:
        try:
            user = await user_service.add_user(session, hasher, data)
        except user_service.UsernameTakenError as exc:
            raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from exc
        return Answer(201, UserPublic.model_validate(user).model_dump(mode="json"))

    # The password stays out of the stored fingerprint (a plain hash of it would be weaker
    # than the account's bcrypt hash).
    request = data.model_dump(mode="json", exclude={"password"})
    return await run_once(
        session,
        owner=f"user:{admin.id}",
        key=idempotency_key,
        request_fingerprint=fingerprint("POST /admin/users", request),
        write=write,
    )


@router.patch("/users/{username}", response_model=UserPublic, responses=error_responses(400, 404))
async def update_user(
    admin: AdminUser,
    username: UsernamePath,
    changes: UserUpdate,
    session: SessionDep,
    hasher: HasherDep,
) -> UserPublic:
    """Change a user's role, email or password, or disable/enable the account."""
    user = await UserRepository(session).by_username(username=username)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="User not found")
    if user.username == admin.username and (
        changes.disabled or (changes.role is not None and changes.role is not Role.ADMIN)
    ):
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            detail="Admins cannot disable or demote their own account",
        )
    updated = await user_service.update_user(session, hasher, user, changes)
    return UserPublic.model_validate(updated)


@router.delete(
    "/exercises/{exercise_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(404),
)
async def delete_exercise(
    _admin: AdminUser, exercise: ExistingExercise, repository: RepositoryDep
) -> None:
    assert exercise.id is not None
    await repository.delete(exercise_id=exercise.id)
