"""Account rules: creating, changing and provisioning users."""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.auth.passwords import PasswordHasher
from workout_api.users.models import Role, User, UserCreate, UserUpdate
from workout_api.users.repository import UserRepository

logger = logging.getLogger(__name__)

DEV_USERS = (
    ("admin", "admin123", "admin@workout.local", Role.ADMIN),
    ("user", "user123", "user@workout.local", Role.USER),
)


class UsernameTakenError(Exception):
    def __init__(self, username: str) -> None:
        super().__init__(f"User {username!r} already exists")


async def add_user(session: AsyncSession, hasher: PasswordHasher, data: UserCreate) -> User:
    """Adds the account to the session's transaction (the caller commits)."""
    users = UserRepository(session)
    if await users.by_username_any_case(username=data.username) is not None:
        raise UsernameTakenError(data.username)
    user = User(
        username=data.username,
        email=data.email,
        role=data.role.value,
        hashed_password=await hasher.hash(data.password),
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:  # created concurrently
        await session.rollback()
        raise UsernameTakenError(data.username) from exc
    return user


async def update_user(
    session: AsyncSession, hasher: PasswordHasher, user: User, changes: UserUpdate
) -> User:
    fields = changes.model_fields_set
    if "role" in fields and changes.role is not None:
        user.role = changes.role.value
    if "disabled" in fields and changes.disabled is not None:
        if changes.disabled and not user.disabled:
            user.end_sessions()
        user.disabled = changes.disabled
    if "email" in fields:
        user.email = changes.email
    if "password" in fields and changes.password is not None:
        user.hashed_password = await hasher.hash(changes.password)
        user.end_sessions()
    return await UserRepository(session).save(user)


async def set_password(
    session: AsyncSession, hasher: PasswordHasher, user: User, password: str
) -> User:
    user.hashed_password = await hasher.hash(password)
    user.end_sessions()
    return await UserRepository(session).save(user)


async def ensure_account(
    session: AsyncSession,
    hasher: PasswordHasher,
    *,
    username: str,
    password: str,
    role: Role,
    email: str | None = None,
    reset_existing: bool,
) -> User:
    """Create the account if missing; with ``reset_existing``, also realign role and password.

    The password is hashed again only when it no longer matches, so restarts stay cheap.
    """
    users = UserRepository(session)
    user = await users.by_username(username=username)
    if user is None:
        logger.info("creating account %r (role %s)", username, role.value)
        user = User(
            username=username,
            email=email,
            role=role.value,
            hashed_password=await hasher.hash(password),
        )
        try:
            return await users.save(user)
        except IntegrityError:  # another replica created it at the same moment
            await session.rollback()
            existing = await users.by_username(username=username)
            if existing is None:
                raise
            return existing
    if not reset_existing:
        return user
    changed = False
    if user.role != role.value or user.disabled:
        user.role, user.disabled, changed = role.value, False, True
    if not await hasher.verify(password, user.hashed_password):
        logger.info("password of account %r changed in the configuration", username)
        user.hashed_password = await hasher.hash(password)
        user.end_sessions()
        changed = True
    return await users.save(user) if changed else user
