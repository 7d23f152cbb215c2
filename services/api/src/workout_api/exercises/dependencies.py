"""Route dependencies of the exercise endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from workout_api.database import SessionDep
from workout_api.exercises.exceptions import ExerciseNotFoundError
from workout_api.exercises.models import Exercise
from workout_api.exercises.repository import ExerciseRepository

MAX_ID = 2**31 - 1  # the id column is a 32-bit integer

ExerciseId = Annotated[int, Path(ge=1, le=MAX_ID, description="Exercise id")]


def get_repository(session: SessionDep) -> ExerciseRepository:
    return ExerciseRepository(session)


RepositoryDep = Annotated[ExerciseRepository, Depends(get_repository)]


async def valid_exercise(exercise_id: ExerciseId, repository: RepositoryDep) -> Exercise:
    exercise = await repository.get(exercise_id=exercise_id)
    if exercise is None:
        raise ExerciseNotFoundError
    return exercise


ExistingExercise = Annotated[Exercise, Depends(valid_exercise)]
