"""ExerciseRepository used directly (as the MCP server does), on PostgreSQL and SQLite."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from workout_api.database import create_engine_for, create_session_factory
from workout_api.exercises.models import Exercise, ExerciseCreate
from workout_api.exercises.repository import ExerciseRepository
from workout_api.exercises.sorting import InvalidSortError


@pytest.fixture
async def repository(database_url: str) -> AsyncIterator[ExerciseRepository]:
    engine = create_engine_for(database_url)
    async with create_session_factory(engine)() as session:
        yield ExerciseRepository(session)
    await engine.dispose()


async def add(repository: ExerciseRepository, **fields: object) -> Exercise:
    """Adds and commits one exercise, as ``POST /exercises`` does."""
    exercise = await repository.add(data=ExerciseCreate.model_validate(fields))
    await repository.session.commit()
    return exercise


async def test_volume_summary_is_computed_in_sql(repository: ExerciseRepository) -> None:
    empty = await repository.volume_summary()
    assert (empty.total_volume, empty.exercise_count) == (0.0, 0)
    await add(repository, name="Squat", sets=5, reps=5, weight=100)
    await add(repository, name="Bench", sets=3, reps=10, weight=62.5)
    await add(repository, name="Pull Up", sets=3, reps=8)
    summary = await repository.volume_summary()
    assert summary.total_volume == pytest.approx(5 * 5 * 100 + 3 * 10 * 62.5)
    assert (summary.exercise_count, summary.weighted_exercises, summary.bodyweight_exercises) == (
        3,
        2,
        1,
    )


async def test_crud_and_listing(repository: ExerciseRepository) -> None:
    created = [
        await add(repository, name=name, sets=3, reps=reps)
        for name, reps in [("b", 5), ("a", 5), ("c", 1)]
    ]
    version = await repository.data_version()
    assert version.exercise_count == await repository.count() == 3
    rows = await repository.page_rows(page=1, page_size=2, sort_by="reps", sort_order="desc")
    assert [row.name for row in rows] == ["a", "b"]  # reps tie broken by id, descending
    target = created[2].id
    assert target is not None
    updated = await repository.update(exercise_id=target, changes={"weight": 10.0})
    assert updated is not None
    assert updated.weight == 10.0
    assert (await repository.data_version()).version > version.version
    assert await repository.delete(exercise_id=target)
    assert await repository.get(exercise_id=target) is None
    assert not await repository.delete(exercise_id=target)
    assert await repository.update(exercise_id=target, changes={"sets": 1}) is None
    streamed = [
        row.name
        async for batch in repository.stream_batches(sort_by="name", batch_size=1)
        for row in batch
    ]
    assert streamed == ["a", "b"]


async def test_invalid_sort_is_refused_in_one_place(repository: ExerciseRepository) -> None:
    with pytest.raises(InvalidSortError, match=r"sort_by must be one of"):
        await repository.page_rows(page=1, page_size=10, sort_by="password")
    with pytest.raises(InvalidSortError, match=r"sort_order must be one of"):
        await repository.page_rows(page=1, page_size=10, sort_order="up")


async def test_update_of_an_exercise_deleted_meanwhile_finds_nothing(
    repository: ExerciseRepository, database_url: str
) -> None:
    created = await add(repository, name="Squat", sets=5, reps=5)
    exercise_id = created.id
    assert exercise_id is not None
    assert await repository.get(exercise_id=exercise_id) is not None  # read, as PATCH does
    other_engine = create_engine_for(database_url)
    async with create_session_factory(other_engine)() as other:
        assert await ExerciseRepository(other).delete(exercise_id=exercise_id)
    await other_engine.dispose()
    assert await repository.update(exercise_id=exercise_id, changes={"sets": 1}) is None
    assert await repository.get(exercise_id=exercise_id) is None
