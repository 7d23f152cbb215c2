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


def create_engine_for(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine for a URL as users write it (``sqlite:///...``, ``postgresql://...``)."""
    async_url = async_database_url(url)
    options: dict[str, Any] = {"pool_pre_ping": True}
    if is_sqlite(url):
        ensure_sqlite_directory(async_url)
        options["connect_args"] = {"timeout": 30}
    else:
        options["connect_args"] = {"connect_timeout": 5}
        options["pool_size"] = 10
        options["max_overflow"] = 10
    options.update(kwargs)
    engine = create_async_engine(async_url, **options)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _enable_sqlite_foreign_keys)
    return engine


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    factory: SessionFactory = request.app.state.resources.session_factory
    async with factory() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]
