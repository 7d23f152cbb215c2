"""Core statements on a session's connection (the session's own ``execute`` is for ORM use)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Executable
from sqlmodel.ext.asyncio.session import AsyncSession


async def execute(session: AsyncSession, statement: Executable, parameters: Any = None) -> Any:
    # Typed loosely: rows are unpacked by the callers, which know their SELECT lists.
    connection = await session.connection()
    return await connection.execute(statement, parameters)
