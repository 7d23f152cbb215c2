"""Data access for exercises, shared by the REST routes and the MCP server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Integer, Select, bindparam, case, func
from sqlalchemy import select as select_columns
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql.elements import ClauseElement, ColumnElement
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.exercises.models import (
    Exercise,
    ExerciseCreate,
    ExerciseDataVersion,
    VolumeSummary,
)
from workout_api.exercises.sorting import Sort, SortOrder, parse_sort
from workout_api.fastpath.driver_reads import (
    DriverConnection,
    KeptConnections,
    compiled_select,
    fetch_rows,
)
from workout_api.fastpath.shared_reads import SharedFreshRead

STREAM_BATCH_SIZE = 1000


class ExerciseRow(NamedTuple):
    id: int
    name: str
    sets: int
    reps: int
    weight: float | None
    workout_day: str


EXPORT_COLUMNS = (
    col(Exercise.id),
    col(Exercise.name),
    col(Exercise.sets),
    col(Exercise.reps),
    col(Exercise.weight),
    col(Exercise.workout_day),
)


VERSION_QUERY = select_columns(
    col(ExerciseDataVersion.version), col(ExerciseDataVersion.exercise_count)
).where(col(ExerciseDataVersion.id) == 1)


COUNT_QUERY = select_columns(func.count()).select_from(Exercise)


@dataclass(frozen=True)
class DataVersion:
    """Changes whenever any exercise is created, changed or deleted."""

    version: int
    exercise_count: int


def _order_by(sort: Sort) -> list[ColumnElement[Any]]:
    column = getattr(Exercise, sort.column)
    identity = col(Exercise.id)
    # NULL weights (bodyweight) sort after every weight ascending, before them descending,
    # identically on PostgreSQL and SQLite; ``id`` breaks ties so pages never overlap.
    if sort.order is SortOrder.ASC:
        primary, tiebreak = column.asc().nulls_last(), identity.asc()
    else:
        primary, tiebreak = column.desc().nulls_first(), identity.desc()
    return [primary] if sort.column == "id" else [primary, tiebreak]


def _paged(statement: Select[*tuple[Any, ...]], sort: Sort) -> ClauseElement:
    """``statement`` in ``sort`` order, one page (bound as ``limit`` and ``offset``)."""
    return (
        statement.order_by(*_order_by(sort))
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )


def _page_query(sort: Sort) -> ClauseElement:
    return _paged(select_columns(*EXPORT_COLUMNS), sort)


def _page_with_version_query(sort: Sort) -> ClauseElement:
    # The version rides along each row as uncorrelated scalar subqueries (evaluated once).
    version_column = (
        select_columns(col(ExerciseDataVersion.version))
        .where(col(ExerciseDataVersion.id) == 1)
        .scalar_subquery()
    )
    count_column = (
        select_columns(col(ExerciseDataVersion.exercise_count))
        .where(col(ExerciseDataVersion.id) == 1)
        .scalar_subquery()
    )
    return _paged(select_columns(version_column, count_column, *EXPORT_COLUMNS), sort)


def _exercise_query() -> ClauseElement:
    return select_columns(*EXPORT_COLUMNS).where(
        col(Exercise.id) == bindparam("exercise_id", type_=Integer)
    )


def _window(page: int, page_size: int) -> dict[str, int]:
    return {"limit": page_size, "offset": (page - 1) * page_size}


async def read_data_version(connection: DriverConnection) -> DataVersion:
    """The data version on a bare connection (the cheapest read the API makes)."""
    query = compiled_select("data-version", lambda: VERSION_QUERY, connection.dialect)
    rows = await fetch_rows(connection, query, operation="SELECT exercise_data_version")
    if not rows:  # a schema created without the migration's seed row
        count = (await connection.connection.execute(COUNT_QUERY)).scalar_one()
        return DataVersion(version=0, exercise_count=int(count))
    version, count = rows[0]
    return DataVersion(version=int(version), exercise_count=int(count))


def shared_data_version(connections: KeptConnections) -> SharedFreshRead[DataVersion]:
    """The data version for conditional requests: one read serves all who wait for it."""

    async def read() -> DataVersion:
        async with connections.connection() as connection:
            return await read_data_version(connection)

    return SharedFreshRead(read)


async def read_page_rows(
    connection: DriverConnection, *, page: int, page_size: int, sort: Sort
) -> list[ExerciseRow]:
    query = compiled_select(("page", sort), lambda: _page_query(sort), connection.dialect)
    rows = await fetch_rows(
        connection, query, _window(page, page_size), operation="SELECT exercise"
    )
    return [ExerciseRow._make(row) for row in rows]


def _page_item(
    _version: int,
    _count: int,
    id: int,
    name: str,
    sets: int,
    reps: int,
    weight: float | None,
    workout_day: str,
) -> dict[str, Any]:
    """A row of the page-with-version query as its JSON object (ExerciseRow's fields)."""
    return {
        "id": id,
        "name": name,
        "sets": sets,
        "reps": reps,
        "weight": weight,
        "workout_day": workout_day,
    }


async def read_page_with_version(
    connection: DriverConnection, *, page: int, page_size: int, sort: Sort
) -> tuple[DataVersion, list[dict[str, Any]]]:
    """The data version and a page (as JSON-ready items) in one statement: one round trip,
    one snapshot.

    A page past the end has no rows to carry the version, which is then read on its own.
    """
    query = compiled_select(
        ("page-with-version", sort), lambda: _page_with_version_query(sort), connection.dialect
    )
    rows = await fetch_rows(
        connection, query, _window(page, page_size), operation="SELECT exercise"
    )
    if not rows or rows[0][0] is None:
        return await read_data_version(connection), []
    version = DataVersion(version=int(rows[0][0]), exercise_count=int(rows[0][1]))
    return version, [_page_item(*row) for row in rows]


async def read_exercise_row(connection: DriverConnection, exercise_id: int) -> ExerciseRow | None:
    query = compiled_select("exercise", _exercise_query, connection.dialect)
    rows = await fetch_rows(
        connection, query, {"exercise_id": exercise_id}, operation="SELECT exercise"
    )
    return ExerciseRow._make(rows[0]) if rows else None


class ExerciseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _driver_connection(self) -> DriverConnection:
        return await DriverConnection.of(await self.session.connection())

    async def data_version(self) -> DataVersion:
        return await read_data_version(await self._driver_connection())

    async def count(self) -> int:
        """The number of exercises, from the row the triggers keep (one row read at any size)."""
        kept = await self.session.exec(
            select(ExerciseDataVersion.exercise_count).where(ExerciseDataVersion.id == 1)
        )
        count = kept.first()
        if count is None:  # a schema created without the migration's seed row
            result = await self.session.exec(select(func.count()).select_from(Exercise))
            return int(result.one())
        return int(count)

    async def page_items(
        self, *, page: int, page_size: int, sort_by: str = "id", sort_order: str = "asc"
    ) -> list[Exercise]:
        sort = parse_sort(sort_by, sort_order)
        statement = (
            select(Exercise)
            .order_by(*_order_by(sort))
            .offset((page - 1) * page_size)
            .limit(page_size)
        )
        result = await self.session.exec(statement)
        return list(result.all())

    async def page_rows(
        self, *, page: int, page_size: int, sort_by: str = "id", sort_order: str = "asc"
    ) -> list[ExerciseRow]:
        """Like :meth:`page_items` but plain rows, for answers that only serialise them."""
        return await read_page_rows(
            await self._driver_connection(),
            page=page,
            page_size=page_size,
            sort=parse_sort(sort_by, sort_order),
        )

    async def list_page(
        self, *, page: int, page_size: int, sort_by: str = "id", sort_order: str = "asc"
    ) -> tuple[list[Exercise], int]:
        """One page of exercises and the total number of exercises."""
        version = await self.data_version()
        items = await self.page_items(
            page=page, page_size=page_size, sort_by=sort_by, sort_order=sort_order
        )
        return items, version.exercise_count

    async def get(self, *, exercise_id: int) -> Exercise | None:
        return await self.session.get(Exercise, exercise_id)

    async def add(self, *, data: ExerciseCreate) -> Exercise:
        """Adds the exercise to the session's transaction (the caller commits)."""
        exercise = Exercise.model_validate(data.model_dump())
        self.session.add(exercise)
        await self.session.flush()
        return exercise

    async def create(self, *, data: ExerciseCreate) -> Exercise:
        exercise = await self.add(data=data)
        await self.session.commit()
        await self.session.refresh(exercise)
        return exercise

    async def update(self, *, exercise_id: int, changes: Mapping[str, Any]) -> Exercise | None:
        exercise = await self.get(exercise_id=exercise_id)
        if exercise is None:
            return None
        for field, value in changes.items():
            setattr(exercise, field, value)
        self.session.add(exercise)
        try:
            await self.session.commit()
        except StaleDataError:  # deleted by a concurrent request since it was read
            await self.session.rollback()
            self.session.expunge(exercise)
            return None
        await self.session.refresh(exercise)
        return exercise

    async def delete(self, *, exercise_id: int) -> bool:
        exercise = await self.get(exercise_id=exercise_id)
        if exercise is None:
            return False
        await self.session.delete(exercise)
        await self.session.commit()
        return True

    async def stream_batches(
        self, *, sort_by: str = "id", sort_order: str = "asc", batch_size: int = STREAM_BATCH_SIZE
    ) -> AsyncIterator[Sequence[ExerciseRow]]:
        """Every exercise as plain rows in the requested order, ``batch_size`` rows at a time.

        Uses a server-side cursor on PostgreSQL, so memory does not grow with the table.
        """
        sort = parse_sort(sort_by, sort_order)
        statement = (
            select_columns(*EXPORT_COLUMNS)
            .order_by(*_order_by(sort))
            .execution_options(yield_per=batch_size)
        )
        result = await self.session.stream(statement)
        async for partition in result.partitions(batch_size):
            yield [ExerciseRow._make(row) for row in partition]

    async def stream_all(
        self, *, sort_by: str = "id", sort_order: str = "asc", batch_size: int = STREAM_BATCH_SIZE
    ) -> AsyncIterator[ExerciseRow]:
        """Every exercise, one row at a time (see :meth:`stream_batches`)."""
        async for batch in self.stream_batches(
            sort_by=sort_by, sort_order=sort_order, batch_size=batch_size
        ):
            for row in batch:
                yield row

    async def volume_summary(self) -> VolumeSummary:
        """Total volume (sets x reps x weight; no weight = bodyweight, counted apart), in SQL."""
        weighted = case((col(Exercise.weight).is_not(None), 1), else_=0)
        statement = select(
            func.coalesce(
                func.sum(col(Exercise.sets) * col(Exercise.reps) * col(Exercise.weight)), 0.0
            ),
            func.count(),
            func.coalesce(func.sum(weighted), 0),
        ).select_from(Exercise)
        result = await self.session.exec(statement)
        total_volume, exercise_count, weighted_count = result.one()
        return VolumeSummary(
            total_volume=float(total_volume),
            exercise_count=int(exercise_count),
            weighted_exercises=int(weighted_count),
            bodyweight_exercises=int(exercise_count) - int(weighted_count),
        )
