"""The per-user log version: bumped in the transaction of every change to a user's log.

``GET /workouts`` derives its ETag from it, so a conditional request reads one row, a
304 can never follow a committed write, and one user's ETag never matches another's.
"""

from __future__ import annotations

import hashlib

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.training.tables import training_log_version

REPRESENTATION = "workout-page/v1"


async def bump(session: AsyncSession, user_id: int) -> None:
    connection = await session.connection()
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(training_log_version).values(user_id=user_id, version=1)
    statement = statement.on_conflict_do_update(
        index_elements=[training_log_version.c.user_id],
        set_={"version": training_log_version.c.version + 1},
    )
    await connection.execute(statement)


def list_etag(user_id: int, version: int, query: str) -> str:
    key = f"{REPRESENTATION}|{user_id}|{version}|{query}"
    return f'W/"{hashlib.sha256(key.encode()).hexdigest()}"'
