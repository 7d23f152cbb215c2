"""The JSON each tool answers with: the REST API's body with an HTTP-style ``status`` first."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from workout_api.exercises.models import ExerciseResponse
from workout_api.imports.schemas import ImportResult
from workout_api.training.schemas import (
    HistoryPage,
    Progress,
    RecordList,
    Stats,
    TemplatePage,
    WorkoutPage,
    WorkoutResponse,
)


class ToolAnswer(BaseModel):
    # Output schemas list ``status`` as required: every answer carries it.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class ExerciseListResult(ToolAnswer):
    """A page of exercises, as GET /exercises returns it."""

    status: Literal[200] = 200
    page: int
    page_size: int
    total: int = Field(description="Number of exercises across all pages")
    items: list[ExerciseResponse]


class ExerciseResult(ToolAnswer):
    """One exercise, as GET /exercises/{id} returns it."""

    status: Literal[200] = 200
    exercise: ExerciseResponse


class VolumeResult(ToolAnswer):
    """Training volume over every exercise."""

    status: Literal[200] = 200
    total_volume: float = Field(description="Sum of sets x reps x weight over weighted exercises")
    exercise_count: int
    weighted_exercises: int
    bodyweight_exercises: int = Field(description="Exercises without a weight")


class ErrorResult(ToolAnswer):
    """A refused call: 400 for bad arguments, 401 without a signed-in lifter, 403 for a
    role that may not, 404 for an unknown id; ``detail`` says why."""

    status: Literal[400, 401, 403, 404]
    detail: str


# --- the training log: each the REST body of the same request, with its status ----------


class TemplatePageResult(ToolAnswer, TemplatePage):
    status: Literal[200] = 200


class WorkoutPageResult(ToolAnswer, WorkoutPage):
    status: Literal[200] = 200


class WorkoutResult(ToolAnswer, WorkoutResponse):
    status: Literal[200, 201] = Field(
        200, description="201: logged now; 200: the workout a known client_id names"
    )


class HistoryPageResult(ToolAnswer, HistoryPage):
    status: Literal[200] = 200


class ProgressResult(ToolAnswer, Progress):
    status: Literal[200] = 200


class RecordListResult(ToolAnswer, RecordList):
    status: Literal[200] = 200


class StatsResult(ToolAnswer, Stats):
    status: Literal[200] = 200


class ImportSummaryResult(ToolAnswer, ImportResult):
    status: Literal[200] = 200
