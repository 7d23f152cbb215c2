"""Open the API's database for the MCP server: reachable, and at the schema this code reads.

Like the API, the server migrates on start where ``Settings.migrate_on_start`` says so
(development by default) and otherwise refuses a database that is not at the latest
revision, rather than answering from a schema it does not know.
"""

from __future__ import annotations

import anyio
from alembic.util import CommandError
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from workout_api import migrations
from workout_api.database import create_engine_for
from workout_api.settings import Settings


class DatabaseNotReadyError(RuntimeError):
    """The database cannot serve the tools; ``str()`` tells the user what to do."""


def display_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ValueError:  # not a URL at all: Settings accepted it, the driver will refuse it
        return url


def _reason(exc: BaseException) -> str:
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else cause.__class__.__name__


async def _schema_ready(settings: Settings) -> None:
    url = settings.database_url
    head = migrations.head_revision()
    current = await anyio.to_thread.run_sync(migrations.current_revision, url)
    if current == head:
        return
    if not settings.migrate_on_start:
        raise DatabaseNotReadyError(
            f"the database at {display_url(url)} is at schema revision {current or '(empty)'}, "
            f"this server needs {head}: run `workout-api migrate` first"
        )
    await anyio.to_thread.run_sync(migrations.upgrade, url)


async def open_database(settings: Settings) -> AsyncEngine:
    """An engine on ``DATABASE_URL`` whose schema is current, or :class:`DatabaseNotReadyError`."""
    url = settings.database_url
    try:
        engine = create_engine_for(url)
        try:
            # Through the async engine first: it has a connect timeout, so an unreachable
            # host fails in seconds instead of hanging the migration check.
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            await _schema_ready(settings)
        except BaseException:
            await engine.dispose()
            raise
    except (SQLAlchemyError, OSError) as exc:
        raise DatabaseNotReadyError(
            f"cannot reach the database at {display_url(url)}: {_reason(exc)}"
        ) from exc
    except CommandError as exc:
        raise DatabaseNotReadyError(
            f"cannot migrate the database at {display_url(url)}: {exc}"
        ) from exc
    return engine
