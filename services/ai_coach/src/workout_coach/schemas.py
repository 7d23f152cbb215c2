"""Request and response models of the coach's HTTP API (contract §4)."""

from __future__ import annotations

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


class WorkoutRecommendation(BaseModel):
    title: str
    description: str
    exercises: list[ExerciseRecommendation] = Field(min_length=1)
    estimated_duration_minutes: int = Field(ge=1, le=300)
    difficulty: Difficulty
    tips: list[str] = Field(default_factory=list)


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


class ProgressAnalysis(ProgressAnalysisDraft):
    """The ``/analyze`` answer: the model's draft plus figures the coach computes itself."""

    volume_by_muscle_group: list[MuscleGroupVolume] = Field(
        default_factory=list,
        description="The groups with at least one exercise, largest load volume first.",
    )


class HealthResponse(BaseModel):
    status: Literal["healthy", "degraded"]
    service: str = "ai-coach"
    ai_model: str
    workout_api_connected: bool
    redis_connected: bool
