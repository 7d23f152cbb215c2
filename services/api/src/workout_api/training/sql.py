"""Core statements on a session's connection (the session's own ``execute`` is for ORM use)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Executable, Table, insert
from sqlmodel.ext.asyncio.session import AsyncSession


async def execute(session: AsyncSession, statement: Executable, parameters: Any = None) -> Any:
    # Typed loosely: rows are unpacked by the callers, which know their SELECT lists.
    connection = await session.connection()
    return await connection.execute(statement, parameters)


async def insert_rows(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert many rows (all with the same keys) in the session's transaction.

    On PostgreSQL through ``COPY``: one statement streams them all, where an INSERT per row
    costs the server a statement each (20,000 for a large import). Elsewhere an executemany.
    The values must need no conversion by SQLAlchemy's column types on PostgreSQL.
    """
    if not rows:
        return
    connection = await session.connection()
    if connection.dialect.name != "postgresql":
        await connection.execute(insert(table), list(rows))
        return
    columns = list(rows[0])
    driver = (await connection.get_raw_connection()).driver_connection
    assert driver is not None
    names = ", ".join(f'"{name}"' for name in columns)
    statement = f'COPY "{table.name}" ({names}) FROM STDIN'
    async with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            await copy.write_row([row[name] for name in columns])
