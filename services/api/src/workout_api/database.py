"""Async engine and sessions for PostgreSQL (psycopg 3) and SQLite (aiosqlite)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_common.urls import async_database_url

SessionFactory = async_sessionmaker[AsyncSession]

POOL_SIZE = 20
POOL_RECYCLE_SECONDS = 1800


def ensure_sqlite_directory(url: str) -> None:
    """Create the directory of a SQLite file (``data/`` by default) so a fresh clone just runs."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)


def is_sqlite(url: str) -> bool:
    return make_url(async_database_url(url)).get_backend_name() == "sqlite"


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _read_times_in_utc(dbapi_connection: Any, _record: Any) -> None:
    """Every session in UTC, whatever the server's ``TimeZone``: SQL on dates (weeks, days)
    then means the same on every server, and the driver hands back times in
    ``datetime.UTC``, which costs far less to read than a named zone such as ``Etc/UTC``."""
    cursor = dbapi_connection.cursor()
    cursor.execute("SET TIME ZONE 'UTC'")
    cursor.close()
    dbapi_connection.commit()  # outside autocommit, the SET would go with the first rollback


def create_engine_for(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine for a URL as users write it (``sqlite:///...``, ``postgresql://...``)."""
    async_url = async_database_url(url)
    options: dict[str, Any] = {}
    if is_sqlite(url):
        ensure_sqlite_directory(async_url)
        options["connect_args"] = {"timeout": 30}
    else:
        # No pre-ping round trip per checkout: a connection broken by a server restart
        # fails its statement, is discarded by the pool, and the request gets a 503.
        options["connect_args"] = {"connect_timeout": 5}
        # Connections beyond pool_size are opened and closed per use, which costs far more
        # than the query; keep enough for the concurrency one worker sees.
        options["pool_size"] = POOL_SIZE
        options["max_overflow"] = 10
        options["pool_recycle"] = POOL_RECYCLE_SECONDS
    options.update(kwargs)
    engine = create_async_engine(async_url, **options)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _enable_sqlite_foreign_keys)
    else:
        event.listen(engine.sync_engine, "connect", _read_times_in_utc)
    return engine


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def create_read_engine_for(url: str) -> AsyncEngine:
    """An engine whose connections stay in autocommit, for read-only requests.

    A read then costs its statements alone: no BEGIN, no ROLLBACK when the connection
    goes back to the pool, and no isolation-level switch at each checkout.
    """
    return create_engine_for(url, isolation_level="AUTOCOMMIT", pool_reset_on_return=None)


def create_read_session_factory(engine: AsyncEngine) -> SessionFactory:
    """Sessions on a :func:`create_read_engine_for` engine."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    factory: SessionFactory = request.app.state.resources.session_factory
    async with factory() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]
