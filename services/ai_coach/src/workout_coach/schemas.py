"""Request and response models of the coach's HTTP API (contract §4)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

DEFAULT_EQUIPMENT = ["barbell", "dumbbells", "cables", "bodyweight"]


class MuscleGroup(StrEnum):
    CHEST = "chest"
    BACK = "back"
    SHOULDERS = "shoulders"
    BICEPS = "biceps"
    TRICEPS = "triceps"
    LEGS = "legs"
    CORE = "core"
    FULL_BODY = "full_body"


EquipmentName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)
]
Difficulty = Literal["beginner", "intermediate", "advanced"]


class ChatRequest(BaseModel):
    message: str = Field(min_length=1, max_length=2000, description="The question for the coach.")
    include_workout_context: bool = Field(
        default=True, description="Give the coach the volume and muscle-group figures of your log."
    )


class ChatResponse(BaseModel):
    response: str
    context_used: bool


class RecommendationRequest(BaseModel):
    focus_area: MuscleGroup | None = Field(default=None, description="Muscle group to train.")
    equipment_available: list[EquipmentName] = Field(
        default_factory=lambda: list(DEFAULT_EQUIPMENT),
        max_length=20,
        description="Equipment at hand, e.g. barbell, dumbbells, cables, bodyweight, machine.",
    )
    session_duration_minutes: int = Field(default=60, ge=15, le=180)


class ExerciseRecommendation(BaseModel):
    name: str = Field(description="Exercise name.")
    sets: int = Field(ge=1, le=20)
    reps: str = Field(description='Rep range, e.g. "8-12".')
    weight_suggestion: str | None = Field(default=None, description="Load to use.")
    notes: str | None = Field(default=None, description="Technique or programming note.")
    muscle_group: str = Field(description="Main muscle group trained.")


class PlanBasis(BaseModel):
    """What a signed-in lifter's plan was built from."""

    workouts: int = Field(description="Workouts of your log that were read.")
    since: date = Field(description="The first day of the history read.")
    exercises: list[str] = Field(description="Exercises of the plan taken from your log.")
    recovering_groups: list[str] = Field(
        description="Groups left out: trained hard in the last 48 hours."
    )
    progression_rule: str
    note: str


class WorkoutPlanDraft(BaseModel):
    """A session as a model writes it: the structured output the recommend agent is asked for."""

    title: str
    description: str
    exercises: list[ExerciseRecommendation] = Field(min_length=1)
    estimated_duration_minutes: int = Field(ge=1, le=300)
    difficulty: Difficulty
    tips: list[str] = Field(default_factory=list)


class WorkoutRecommendation(WorkoutPlanDraft):
    """The ``/recommend`` answer: the contract's shape plus what a signed-in plan used."""

    based_on: PlanBasis | None = Field(
        default=None, description="Signed in: what the plan used from your log; null otherwise."
    )


class ProgressAnalysisDraft(BaseModel):
    """The written part of an analysis: the structured output a model is asked for."""

    summary: str
    strengths: list[str]
    areas_to_improve: list[str]
    recommendations: list[str]
    muscle_balance_score: float | None = Field(default=None, ge=0, le=100)


class MuscleGroupVolume(BaseModel):
    group: str = Field(description="Muscle group, as the coach infers it from exercise names.")
    exercises: int = Field(ge=0, description="Exercises logged for the group.")
    sets: int = Field(ge=0, description="Sets logged for the group, bodyweight work included.")
    volume: float = Field(ge=0, description="Load volume: sum of sets x reps x weight.")


class GroupWeeklySets(BaseModel):
    group: str
    sets_per_week: list[int] = Field(description="Hard sets in each week, oldest first.")
    average: float = Field(description="Hard sets per week over the period.")
    sessions_per_week: float = Field(description="Workouts per week that trained the group.")
    status: Literal["below", "within", "above"] = Field(description="Against the target range.")
    suggestion: str | None = None


class RecordInPeriod(BaseModel):
    exercise: str
    kind: str = Field(
        description="heaviest_weight, best_e1rm, best_set_volume, most_reps, rep_max_N"
    )
    value: float
    achieved_at: datetime


class StalledLift(BaseModel):
    exercise: str
    sessions: int = Field(description="Sessions in the last three weeks.")
    first_e1rm: float = Field(description="e1RM (kg) of the first of those sessions.")
    best_since: float = Field(description="Best e1RM (kg) of the sessions after it.")
    suggestion: str


class TrainingLogAnalysis(BaseModel):
    """Figures of the signed-in lifter's own log over the period, all computed by the coach."""

    weeks: int
    period_start: date
    period_end: date
    week_starts: list[date] = Field(description="Monday of each week, oldest first.")
    workouts: int
    workouts_per_week: float
    hard_sets: int = Field(description="Completed non-warm-up sets (the API's /stats count).")
    target_sets_per_week: tuple[int, int] = Field(description="Hard sets per group per week.")
    groups: list[GroupWeeklySets]
    records: list[RecordInPeriod] = Field(description="Personal records set in the period.")
    stalled_lifts: list[StalledLift]


class ProgressAnalysis(ProgressAnalysisDraft):
    """The ``/analyze`` answer: the model's draft plus figures the coach computes itself."""

    volume_by_muscle_group: list[MuscleGroupVolume] = Field(
        default_factory=list,
        description="The groups with at least one exercise, largest load volume first.",
    )
    training_log: TrainingLogAnalysis | None = Field(
        default=None, description="Signed in: the figures of your own log over the period."
    )


class HealthResponse(BaseModel):
    status: Literal["healthy", "degraded"]
    service: str = "ai-coach"
    ai_model: str
    workout_api_connected: bool
    redis_connected: bool
