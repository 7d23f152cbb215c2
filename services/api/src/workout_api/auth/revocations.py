"""Refresh tokens ended by ``POST /auth/logout`` before their expiry.

A row lives until the token would have expired anyway; rows past that are removed when a
later logout writes, so the table holds at most the sign-outs of the last refresh lifetime.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, String, delete
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api import metadata as _metadata  # noqa: F401  (naming convention first)


class RevokedToken(SQLModel, table=True):
    __tablename__ = "revoked_token"

    token_id: str = SQLField(sa_column=Column(String(64), primary_key=True))
    expires_at: datetime = SQLField(sa_column=Column(DateTime(timezone=True), nullable=False))


async def is_revoked(session: AsyncSession, token_id: str) -> bool:
    found = await session.exec(
        select(RevokedToken.token_id).where(RevokedToken.token_id == token_id)
    )
    return found.first() is not None


async def revoke(session: AsyncSession, token_id: str, expires_at: datetime) -> None:
    await session.exec(delete(RevokedToken).where(col(RevokedToken.expires_at) < datetime.now(UTC)))
    if not await is_revoked(session, token_id):
        session.add(RevokedToken(token_id=token_id, expires_at=expires_at))
    await session.commit()
