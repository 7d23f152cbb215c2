"""SQLAlchemy Core SELECTs run on the database driver's own connection.

A statement is compiled once per dialect and kept; each run then costs the driver's
execute alone: no compilation-cache lookup, result processing or greenlet switch per
statement, which is most of what a small read costs in SQLAlchemy's async layer. Meant
for the hottest reads (a list page, the data version, one exercise); rows come back as
plain tuples, so the selected columns must need no conversion (integers, text, floats).
Driver errors are raised as SQLAlchemy's, and a lost connection is discarded, as they
would be for a statement run through SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from opentelemetry import trace
from sqlalchemy import exc
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
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


_compiled: dict[tuple[Hashable, str, str], CompiledSelect] = {}


def compiled_select(
    key: Hashable, build: Callable[[], ClauseElement], dialect: Dialect
) -> CompiledSelect:
    """The statement ``build()`` makes, compiled for ``dialect`` (built once per key)."""
    cache_key = (key, dialect.name, dialect.driver)
    compiled = _compiled.get(cache_key)
    if compiled is None:
        statement = build().compile(dialect=dialect)
        positions = getattr(statement, "positiontup", None)  # set by SQLCompiler
        compiled = CompiledSelect(
            sql=statement.string,
            positions=tuple(positions) if positions is not None else None,
            defaults=dict(statement.params),
        )
        _compiled[cache_key] = compiled
    return compiled


def _sql_span(connection: AsyncConnection, operation: str, sql: str) -> AbstractContextManager[Any]:
    if not trace.get_current_span().is_recording():
        return nullcontext()
    dialect = connection.dialect
    return _tracer.start_as_current_span(
        operation,
        kind=trace.SpanKind.CLIENT,
        attributes={"db.system": dialect.name, "db.statement": sql},
    )


async def fetch_rows(
    connection: AsyncConnection,
    compiled: CompiledSelect,
    values: Mapping[str, Any] | None = None,
    *,
    operation: str = "SELECT",
) -> list[tuple[Any, ...]]:
    """Every row of ``compiled`` run with ``values`` on ``connection``'s driver connection."""
    parameters = compiled.parameters(values or {})
    dialect = connection.dialect
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    with _sql_span(connection, operation, compiled.sql):
        try:
            cursor = await driver.execute(compiled.sql, parameters)  # type: ignore[union-attr]
            try:
                rows: list[tuple[Any, ...]] = await cursor.fetchall()
            finally:
                await cursor.close()
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, driver, None):
                await connection.invalidate(error)
            raise exc.DBAPIError.instance(
                compiled.sql, parameters, error, dialect.loaded_dbapi.Error
            ) from error
    return rows
