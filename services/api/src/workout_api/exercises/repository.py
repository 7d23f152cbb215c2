"""Exercise reads and writes through the ORM session, shared by the REST routes and the MCP
server (the hot list and item reads are in :mod:`workout_api.exercises.fast_reads`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Row, case, func
from sqlalchemy import select as select_columns
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.exercises.columns import (
    EXERCISE_COLUMNS,
    VERSION_QUERY,
    DataVersion,
    order_by,
    page_query,
    page_window,
)
from workout_api.exercises.models import (
    Exercise,
    ExerciseCreate,
    ExerciseDataVersion,
    VolumeSummary,
)
from workout_api.exercises.sorting import parse_sort

STREAM_BATCH_SIZE = 1000


class ExerciseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def data_version(self) -> DataVersion:
        connection = await self.session.connection()
        kept = (await connection.execute(VERSION_QUERY)).first()
        if kept is None:  # a schema created without the migration's seed row
            return DataVersion(version=0, exercise_count=await self.count())
        version, count = kept
        return DataVersion(version=int(version), exercise_count=int(count))

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

    async def page_rows(
        self, *, page: int, page_size: int, sort_by: str = "id", sort_order: str = "asc"
    ) -> list[Row[Any]]:
        """One page of exercises as rows of :data:`EXERCISE_COLUMNS`; raises ``InvalidSortError``."""
        query = page_query(parse_sort(sort_by, sort_order))
        connection = await self.session.connection()
        result = await connection.execute(query, page_window(page, page_size))
        return list(result)

    async def get(self, *, exercise_id: int) -> Exercise | None:
        return await self.session.get(Exercise, exercise_id)

    async def add(self, *, data: ExerciseCreate) -> Exercise:
        """Adds the exercise to the session's transaction (the caller commits)."""
        exercise = Exercise.model_validate(data.model_dump())
        self.session.add(exercise)
        await self.session.flush()
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
    ) -> AsyncIterator[Sequence[Row[Any]]]:
        """Every exercise as plain rows in the requested order, ``batch_size`` rows at a time.

        Uses a server-side cursor on PostgreSQL, so memory does not grow with the table.
        """
        sort = parse_sort(sort_by, sort_order)
        statement = (
            select_columns(*EXERCISE_COLUMNS)
            .order_by(*order_by(sort))
            .execution_options(yield_per=batch_size)
        )
        result = await self.session.stream(statement)
        async for partition in result.partitions(batch_size):
            yield partition

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
