"""Route dependencies of the exercise endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from workout_api.database import ReadSessionDep, SessionDep
from workout_api.exercises.exceptions import ExerciseNotFoundError
from workout_api.exercises.models import Exercise
from workout_api.exercises.repository import ExerciseRepository

MAX_ID = 2**31 - 1  # the id column is a 32-bit integer

ExerciseId = Annotated[int, Path(ge=1, le=MAX_ID, description="Exercise id")]


def get_repository(session: SessionDep) -> ExerciseRepository:
    return ExerciseRepository(session)


def get_read_repository(session: ReadSessionDep) -> ExerciseRepository:
    return ExerciseRepository(session)


RepositoryDep = Annotated[ExerciseRepository, Depends(get_repository)]
ReadRepositoryDep = Annotated[ExerciseRepository, Depends(get_read_repository)]


async def _existing(repository: ExerciseRepository, exercise_id: int) -> Exercise:
    exercise = await repository.get(exercise_id=exercise_id)
    if exercise is None:
        raise ExerciseNotFoundError
    return exercise


async def valid_exercise(exercise_id: ExerciseId, repository: RepositoryDep) -> Exercise:
    return await _existing(repository, exercise_id)


ExistingExercise = Annotated[Exercise, Depends(valid_exercise)]


async def readable_exercise(exercise_id: ExerciseId, repository: ReadRepositoryDep) -> Exercise:
    """The exercise read on the autocommit read session (no transaction for a plain GET)."""
    return await _existing(repository, exercise_id)


ReadableExercise = Annotated[Exercise, Depends(readable_exercise)]
