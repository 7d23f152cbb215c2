"""Request and response bodies of the training log (field rules written once, here)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    Field,
    model_validator,
)

from workout_api.validation import PlainText
from workout_common.exercise_library import Equipment, ExerciseType, Muscle

MAX_ID = 2**31 - 1
MAX_PAGE = 10_000_000
MAX_PAGE_SIZE = 100
MAX_EXERCISES = 50
MAX_SETS = 50
MAX_NOTES = 5000
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2999, 12, 31, tzinfo=UTC)

Source = Literal["manual", "strong", "hevy", "json", "mcp"]
SetType = Literal["normal", "warmup", "failure", "dropset"]
RecordKind = Literal[
    "heaviest_weight",
    "best_e1rm",
    "best_set_volume",
    "most_reps",
    "rep_max_1",
    "rep_max_3",
    "rep_max_5",
    "rep_max_10",
]
Metric = Literal["e1rm", "max_weight", "volume", "max_reps", "best_set_volume"]
Bucket = Literal["workout", "week", "month"]
WeightUnit = Literal["kg", "lb"]


def _in_range(value: datetime) -> datetime:
    """An instant the databases store alike, as UTC (1900 to 2999)."""
    try:
        utc = value.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise ValueError("must be between 1900 and 2999") from exc
    if not EARLIEST <= utc <= LATEST:
        raise ValueError("must be between 1900 and 2999")
    return utc


def _half_steps(value: float | None) -> float | None:
    if value is not None and (value * 2) != int(value * 2):
        raise ValueError("rpe must be in steps of 0.5 (for example 7.5 or 8)")
    return value


def _date_or_datetime(value: Any) -> Any:
    """A query's ``from``/``to``: a date means its 00:00 UTC; a date-time needs an offset."""
    if isinstance(value, str) and len(value) == 10:
        try:
            day = date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError("must be an ISO 8601 date or date-time with an offset") from exc
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    return value


Instant = Annotated[AwareDatetime, AfterValidator(_in_range)]
QueryInstant = Annotated[
    AwareDatetime, BeforeValidator(_date_or_datetime), AfterValidator(_in_range)
]
Title = Annotated[PlainText, Field(min_length=1, max_length=100)]


def _storable(value: str) -> str:
    # Notes keep their line breaks; only what no database can store is refused.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("must be valid UTF-8 text") from exc
    return value


Notes = Annotated[str, Field(max_length=MAX_NOTES), AfterValidator(_storable)]
TemplateName = Annotated[PlainText, Field(min_length=1, max_length=100)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


# --- exercise library -------------------------------------------------------------------


class TemplateCreate(BaseModel):
    name: TemplateName
    type: ExerciseType = "weight_reps"
    primary_muscle: Muscle
    secondary_muscles: Annotated[list[Muscle], Field(max_length=20)] = []
    equipment: Equipment = "none"
    aliases: Annotated[list[TemplateName], Field(max_length=20)] = []


class TemplateUpdate(BaseModel):
    """Only the fields present change; none of them can be null."""

    name: TemplateName | None = None
    type: ExerciseType | None = None
    primary_muscle: Muscle | None = None
    secondary_muscles: Annotated[list[Muscle], Field(max_length=20)] | None = None
    equipment: Equipment | None = None
    aliases: Annotated[list[TemplateName], Field(max_length=20)] | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> TemplateUpdate:
        cleared = sorted(f for f in self.model_fields_set if getattr(self, f) is None)
        if cleared:
            raise ValueError(f"{', '.join(cleared)} cannot be null")
        return self

    def changes(self) -> dict[str, Any]:
        return self.model_dump(include=self.model_fields_set)


class TemplateResponse(BaseModel):
    id: int
    name: str
    type: ExerciseType
    primary_muscle: Muscle
    secondary_muscles: list[Muscle]
    equipment: Equipment
    aliases: list[str]
    custom: bool


class TemplatePage(BaseModel):
    page: int
    page_size: int
    total: int
    items: list[TemplateResponse]


# --- workouts ---------------------------------------------------------------------------


class SetIn(BaseModel):
    type: SetType = "normal"
    weight_kg: Annotated[float, Field(ge=0, le=10_000, allow_inf_nan=False)] | None = None
    reps: Annotated[int, Field(ge=0, le=1000)] | None = None
    duration_s: Annotated[int, Field(ge=0, le=86_400)] | None = None
    distance_m: Annotated[float, Field(ge=0, le=1_000_000, allow_inf_nan=False)] | None = None
    rpe: Annotated[
        Annotated[float, Field(ge=1, le=10, allow_inf_nan=False)] | None,
        AfterValidator(_half_steps),
    ] = None
    completed: bool = True

    @model_validator(mode="after")
    def _measured(self) -> SetIn:
        if self.reps is None and self.duration_s is None and self.distance_m is None:
            raise ValueError("a set needs at least one of reps, duration_s or distance_m")
        return self


class ExerciseIn(BaseModel):
    template_id: Id
    notes: Notes | None = None
    superset: Annotated[int, Field(ge=0, le=MAX_ID)] | None = None
    sets: Annotated[list[SetIn], Field(max_length=MAX_SETS)] = []


class WorkoutIn(BaseModel):
    """``POST`` and ``PUT /workouts``: the whole workout. Positions follow the list order."""

    title: Title
    notes: Notes | None = None
    started_at: Instant
    ended_at: Instant | None = None
    client_id: UUID | None = None
    exercises: Annotated[list[ExerciseIn], Field(max_length=MAX_EXERCISES)] = []

    @model_validator(mode="after")
    def _ends_after_start(self) -> WorkoutIn:
        if self.ended_at is not None and self.ended_at < self.started_at:
            raise ValueError("ended_at must not be before started_at")
        return self


class WorkoutPatch(BaseModel):
    title: Title | None = None
    notes: Notes | None = None
    started_at: Instant | None = None
    ended_at: Instant | None = None

    @model_validator(mode="after")
    def _no_null_title_or_start(self) -> WorkoutPatch:
        for field in ("title", "started_at"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self

    def changes(self) -> dict[str, Any]:
        return self.model_dump(include=self.model_fields_set)


class SetOut(BaseModel):
    position: int
    type: SetType
    weight_kg: float | None
    reps: int | None
    duration_s: int | None
    distance_m: float | None
    rpe: float | None
    completed: bool


class ExerciseOut(BaseModel):
    position: int
    template_id: int
    name: str
    notes: str | None
    superset: int | None
    sets: list[SetOut]


class WorkoutRecord(BaseModel):
    template_id: int
    kind: RecordKind
    value: float
    previous_value: float | None


class WorkoutResponse(BaseModel):
    id: int
    title: str
    notes: str | None
    started_at: datetime
    ended_at: datetime | None
    source: Source
    client_id: UUID | None
    created_at: datetime
    updated_at: datetime
    exercises: list[ExerciseOut]
    records: list[WorkoutRecord]


class SummaryExercise(BaseModel):
    template_id: int
    name: str
    set_count: int


class WorkoutSummary(BaseModel):
    id: int
    title: str
    started_at: datetime
    ended_at: datetime | None
    duration_s: int | None
    exercise_count: int
    set_count: int
    volume_kg: float
    record_count: int
    exercises: list[SummaryExercise]


class WorkoutPage(BaseModel):
    page: int
    page_size: int
    total: int
    items: list[WorkoutSummary]


# --- history, progress, records, statistics -------------------------------------------


class HistoryItem(BaseModel):
    workout_id: int
    title: str
    started_at: datetime
    sets: list[SetOut]


class HistoryPage(BaseModel):
    page: int
    page_size: int
    total: int
    items: list[HistoryItem]


class ProgressPoint(BaseModel):
    date: date
    value: float
    workout_id: int


class Progress(BaseModel):
    metric: Metric
    bucket: Bucket
    unit: Literal["kg", "reps"]
    points: list[ProgressPoint]


class Record(BaseModel):
    value: float
    workout_id: int
    achieved_at: datetime


class RepMaxes(BaseModel):
    one: Record | None = Field(alias="1")
    three: Record | None = Field(alias="3")
    five: Record | None = Field(alias="5")
    ten: Record | None = Field(alias="10")


class ExerciseRecords(BaseModel):
    template_id: int
    name: str
    heaviest_weight: Record | None
    best_e1rm: Record | None
    best_set_volume: Record | None
    most_reps: Record | None
    rep_maxes: RepMaxes


class RecordList(BaseModel):
    items: list[ExerciseRecords]


class MuscleStats(BaseModel):
    muscle: Muscle
    sets: int
    volume_kg: float


class WeekStats(BaseModel):
    week: date
    workouts: int
    sets: int
    volume_kg: float


class Stats(BaseModel):
    workouts: int
    sets: int
    volume_kg: float
    duration_s: int
    by_muscle: list[MuscleStats]
    weekly: list[WeekStats]
    streak_weeks: int


class PreferencesUpdate(BaseModel):
    weight_unit: WeightUnit


class Profile(BaseModel):
    """``PATCH /auth/me``: the account as ``GET /auth/me`` shows it, with its preferences."""

    username: str
    email: str | None
    role: str
    disabled: bool
    weight_unit: WeightUnit
