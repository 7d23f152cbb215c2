"""Exercise table and the request/response shapes of the contract."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import BigInteger, Column, Float, Integer, String
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from workout_api import metadata as _metadata  # noqa: F401  (naming convention first)
from workout_api.validation import StrictNumber, VisibleText

Name = Annotated[VisibleText, Field(min_length=1, max_length=100)]
Sets = Annotated[int, StrictNumber, Field(ge=1, le=100)]
Reps = Annotated[int, StrictNumber, Field(ge=1, le=1000)]
MAX_WEIGHT_KG = 10_000  # far above any lift; keeps every sum of weights finite
Weight = Annotated[float, StrictNumber, Field(ge=0, le=MAX_WEIGHT_KG, allow_inf_nan=False)]
WorkoutDay = Annotated[VisibleText, Field(min_length=1, max_length=10)]


class Exercise(SQLModel, table=True):
    __tablename__ = "exercise"

    id: int | None = SQLField(default=None, sa_column=Column(Integer, primary_key=True))
    name: str = SQLField(sa_column=Column(String(100), nullable=False, index=True))
    sets: int = SQLField(sa_column=Column(Integer, nullable=False, index=True))
    reps: int = SQLField(sa_column=Column(Integer, nullable=False, index=True))
    weight: float | None = SQLField(
        default=None, sa_column=Column(Float, nullable=True, index=True)
    )
    workout_day: str = SQLField(
        default="A", sa_column=Column(String(10), nullable=False, index=True)
    )


class ExerciseDataVersion(SQLModel, table=True):
    """One row, bumped by database triggers on every change to ``exercise``.

    The list's ETag is derived from it, so a conditional GET is answered without
    reading the rows, and no write (by the API or anything else) can leave it stale.
    """

    __tablename__ = "exercise_data_version"

    id: int = SQLField(default=1, sa_column=Column(Integer, primary_key=True))
    version: int = SQLField(default=0, sa_column=Column(BigInteger, nullable=False))
    exercise_count: int = SQLField(default=0, sa_column=Column(BigInteger, nullable=False))


class ExerciseCreate(BaseModel):
    name: Name
    sets: Sets
    reps: Reps
    weight: Weight | None = None
    workout_day: WorkoutDay = "A"


class ExerciseUpdate(BaseModel):
    """Partial update: only the fields present in the body change; ``weight: null`` clears it."""

    name: Name | None = None
    sets: Sets | None = None
    reps: Reps | None = None
    weight: Weight | None = None
    workout_day: WorkoutDay | None = None

    @model_validator(mode="after")
    def _only_weight_may_be_null(self) -> ExerciseUpdate:
        cleared = sorted(
            field
            for field in self.model_fields_set
            if field != "weight" and getattr(self, field) is None
        )
        if cleared:
            raise ValueError(f"{', '.join(cleared)} cannot be null (only weight can be cleared)")
        return self

    def changes(self) -> dict[str, Any]:
        return self.model_dump(include=self.model_fields_set)


class ExerciseResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    sets: int
    reps: int
    weight: float | None
    workout_day: str


class ExercisePage(BaseModel):
    page: int
    page_size: int
    total: int
    items: list[ExerciseResponse]


class VolumeSummary(BaseModel):
    total_volume: float
    exercise_count: int
    weighted_exercises: int
    bodyweight_exercises: int
