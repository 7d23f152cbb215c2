"""SQLAlchemy Core SELECTs run on the database driver's own connection.

A statement is compiled once per dialect and kept; each run then costs the driver's
execute alone: no compilation-cache lookup, result processing or greenlet switch per
statement, which is most of what a small read costs in SQLAlchemy's async layer. Meant
for the hottest reads (a list page, the data version, one exercise); rows come back as
plain tuples, so the selected columns must need no conversion (integers, text, floats).
Driver errors are raised as SQLAlchemy's, and a lost connection is discarded, as they
would be for a statement run through SQLAlchemy.

:class:`KeptConnections` lends the read engine's connections to those reads without a
pool checkout each time (see there); it lives on the app's state and keeps the app's
compiled statements (:class:`StatementCache`), so nothing is cached at module level.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Hashable, Mapping, Sequence
from contextlib import AbstractContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from opentelemetry import trace
from sqlalchemy import exc
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.elements import ClauseElement

_tracer = trace.get_tracer(__name__)


@dataclass(frozen=True)
class CompiledSelect:
    sql: str
    positions: tuple[str, ...] | None  # parameter order for positional paramstyles
    defaults: Mapping[str, Any]

    def parameters(self, values: Mapping[str, Any]) -> Sequence[Any] | Mapping[str, Any]:
        merged = {**self.defaults, **values}
        if self.positions is None:
            return merged
        return tuple(merged[name] for name in self.positions)


class StatementCache:
    """Compiled statements by (key, dialect), owned by an app (via its KeptConnections)."""

    def __init__(self) -> None:
        self._compiled: dict[tuple[Hashable, str, str], CompiledSelect] = {}

    def compiled(
        self, key: Hashable, build: Callable[[], ClauseElement], dialect: Dialect
    ) -> CompiledSelect:
        """The statement ``build()`` makes, compiled for ``dialect`` (built once per key)."""
        cache_key = (key, dialect.name, dialect.driver)
        compiled = self._compiled.get(cache_key)
        if compiled is None:
            statement = build().compile(dialect=dialect)
            positions = getattr(statement, "positiontup", None)  # set by SQLCompiler
            compiled = CompiledSelect(
                sql=statement.string,
                positions=tuple(positions) if positions is not None else None,
                defaults=dict(statement.params),
            )
            self._compiled[cache_key] = compiled
        return compiled


@dataclass(eq=False)
class DriverConnection:
    """A SQLAlchemy connection with its driver connection at hand."""

    connection: AsyncConnection
    driver: Any
    # The app's compiled statements; None for a session's connection that runs only
    # statements written out in full (no :meth:`compiled`).
    statements: StatementCache | None = None
    kept_since: float = field(default_factory=time.monotonic)

    @classmethod
    async def of(
        cls, connection: AsyncConnection, statements: StatementCache | None = None
    ) -> DriverConnection:
        raw = await connection.get_raw_connection()
        return cls(connection, raw.driver_connection, statements)

    @property
    def dialect(self) -> Dialect:
        return self.connection.dialect

    def compiled(self, key: Hashable, build: Callable[[], ClauseElement]) -> CompiledSelect:
        """The statement ``build()`` makes, compiled for this connection's dialect once."""
        if self.statements is None:
            raise RuntimeError("compiled statements are kept by the app: use a kept connection")
        return self.statements.compiled(key, build, self.dialect)


class KeptConnections:
    """Connections of an autocommit engine, kept checked out and lent to the hot reads.

    A checkout through SQLAlchemy (Connection object, pool events, greenlet switches on
    the way in and out) costs more than the small read it serves. Connections are taken
    from the engine when none is idle; up to ``keep`` idle ones are kept (by default as
    many as the engine's pool keeps), the rest and
    those older than ``recycle`` seconds go back to the engine (which reconnects or
    recycles them as it does for its own). A connection in use when an error escapes is
    discarded; after a lost connection, every idle one kept from before is discarded too
    (as SQLAlchemy's pool does), so a database restart costs one failed request, not one
    per idle connection.
    """

    def __init__(self, engine: AsyncEngine, *, recycle: float, keep: int | None = None) -> None:
        self._engine = engine
        pool_size = getattr(engine.pool, "size", None)
        self._keep = keep if keep is not None else pool_size() if callable(pool_size) else 1
        self._recycle = recycle
        self._idle: deque[DriverConnection] = deque()
        self._lost_at = float("-inf")
        self._closed = False
        self.statements = StatementCache()

    async def _take(self) -> DriverConnection:
        while self._idle:
            kept = self._idle.pop()  # the most recently used: warm, and the rest can age out
            if kept.kept_since > self._lost_at:
                return kept
            await kept.connection.invalidate()
            await kept.connection.close()
        return await DriverConnection.of(await self._engine.connect(), self.statements)

    async def _give_back(self, kept: DriverConnection, *, failed: bool) -> None:
        if failed:
            if kept.connection.invalidated:  # lost: the idle ones are likely lost too
                self._lost_at = time.monotonic()
            else:
                await kept.connection.invalidate()
        elif (
            not self._closed
            and len(self._idle) < self._keep
            and time.monotonic() - kept.kept_since < self._recycle
        ):
            self._idle.append(kept)
            return
        await kept.connection.close()

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[DriverConnection]:
        kept = await self._take()
        try:
            yield kept
        except BaseException:
            await self._give_back(kept, failed=True)
            raise
        await self._give_back(kept, failed=False)

    async def aclose(self) -> None:
        self._closed = True
        while self._idle:
            await self._idle.pop().connection.close()


def _sql_span(
    connection: DriverConnection, operation: str, sql: str
) -> AbstractContextManager[Any]:
    if not trace.get_current_span().is_recording():
        return nullcontext()
    dialect = connection.dialect
    return _tracer.start_as_current_span(
        operation,
        kind=trace.SpanKind.CLIENT,
        attributes={"db.system": dialect.name, "db.statement": sql},
    )


async def fetch_rows(
    connection: DriverConnection,
    compiled: CompiledSelect,
    values: Mapping[str, Any] | None = None,
    *,
    operation: str = "SELECT",
) -> list[tuple[Any, ...]]:
    """Every row of ``compiled`` run with ``values`` on ``connection``'s driver connection."""
    parameters = compiled.parameters(values or {})
    dialect, driver = connection.dialect, connection.driver
    with _sql_span(connection, operation, compiled.sql):
        try:
            cursor = await driver.execute(compiled.sql, parameters)
            try:
                rows: list[tuple[Any, ...]] = await cursor.fetchall()
            finally:
                await cursor.close()
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, driver, None):
                await connection.connection.invalidate(error)
            raise exc.DBAPIError.instance(
                compiled.sql, parameters, error, dialect.loaded_dbapi.Error
            ) from error
    return rows
