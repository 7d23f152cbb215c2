"""Data access for accounts."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.users.models import User


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_username(self, *, username: str) -> User | None:
        result = await self.session.exec(select(User).where(User.username == username))
        return result.first()

    async def by_username_any_case(self, *, username: str) -> User | None:
        result = await self.session.exec(
            select(User).where(func.lower(User.username) == username.lower())
        )
        return result.first()

    async def by_id(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def all(self) -> Sequence[User]:
        result = await self.session.exec(select(User).order_by(col(User.id)))
        return result.all()

    async def save(self, user: User) -> User:
        self.session.add(user)
        await self.session.commit()
        await self.session.refresh(user)
        return user
