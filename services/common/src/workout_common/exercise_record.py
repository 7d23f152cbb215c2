"""An exercise as the Workout API's contract gives it: the one place its fields are named.

The API derives its CSV header, selected columns and sort columns from
:data:`EXERCISE_FIELDS`; the worker and the coach read ``GET /exercises`` items (and the
worker's snapshot) as :class:`ExerciseRecord`.
"""

from __future__ import annotations

from typing import Final

from pydantic import BaseModel, ConfigDict, Field


class ExerciseRecord(BaseModel):
    """One exercise of ``GET /exercises``; anything else in an item is ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: int = Field(ge=1)
    name: str
    sets: int = Field(ge=0)
    reps: int = Field(ge=0)
    weight: float | None = Field(default=None, ge=0)
    workout_day: str = "A"

    def volume(self) -> float:
        """Load volume: sets x reps x weight; a bodyweight exercise (no weight) has none."""
        return float(self.sets * self.reps * self.weight) if self.weight else 0.0


EXERCISE_FIELDS: Final[tuple[str, ...]] = tuple(ExerciseRecord.model_fields)
