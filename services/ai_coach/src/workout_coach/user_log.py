"""The signed-in lifter's own training log, read from the Workout API with their own token.

Every read carries the caller's bearer token and never the service identity's (the service
identity reads nobody's log), so the API itself guarantees a user only ever sees their own
workouts. Any failure becomes :class:`WorkoutApiUnavailableError`; nothing read here is
logged.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Any, Final, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from workout_coach.errors import WorkoutApiUnavailableError

MAX_PAGE_SIZE: Final = 100  # the training log's pages hold at most 100 items
MAX_WORKOUT_PAGES: Final = 5  # at most 500 workouts are read for one answer
READ_CONCURRENCY: Final = 4
ModelT = TypeVar("ModelT", bound=BaseModel)
# The version probe: GET /workouts with this fixed query answers an ETag built from the
# user's id and their log's version, bumped by every change to the log.
VERSION_QUERY: Final = {"page_size": 1}


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class MuscleSets(_Lenient):
    muscle: str
    sets: int
    volume_kg: float = 0.0


class WeekFigures(_Lenient):
    week: date
    workouts: int
    sets: int
    volume_kg: float = 0.0


class Stats(_Lenient):
    """``GET /stats`` over a period."""

    workouts: int
    sets: int
    volume_kg: float = 0.0
    by_muscle: list[MuscleSets] = Field(default_factory=list)
    weekly: list[WeekFigures] = Field(default_factory=list)


class RecordValue(_Lenient):
    value: float
    workout_id: int | None = None
    achieved_at: datetime


class ExerciseRecords(_Lenient):
    """One item of ``GET /records``."""

    template_id: int
    name: str
    heaviest_weight: RecordValue | None = None
    best_e1rm: RecordValue | None = None
    best_set_volume: RecordValue | None = None
    most_reps: RecordValue | None = None
    rep_maxes: dict[str, RecordValue | None] = Field(default_factory=dict)


class SummaryExercise(_Lenient):
    template_id: int
    name: str
    set_count: int


class WorkoutSummary(_Lenient):
    """One item of ``GET /workouts``."""

    id: int
    title: str
    started_at: datetime
    set_count: int = 0
    volume_kg: float = 0.0
    exercises: list[SummaryExercise] = Field(default_factory=list)


class LoggedSet(_Lenient):
    type: str = "normal"
    weight_kg: float | None = None
    reps: int | None = None
    completed: bool = True

    @property
    def working(self) -> bool:
        """Not a warm-up: the sets a progression judges."""
        return self.type != "warmup"


class Session(_Lenient):
    """One workout of ``GET /exercise-templates/{id}/history``: the exercise's sets in it."""

    workout_id: int
    started_at: datetime
    sets: list[LoggedSet] = Field(default_factory=list)


class ProgressPoint(_Lenient):
    date: date
    value: float
    workout_id: int | None = None


class UserLogReader:
    """Reads one user's log with that user's access token."""

    def __init__(self, http: httpx.AsyncClient, token: str) -> None:
        self._http = http
        self._headers = {"Authorization": f"Bearer {token}"}
        self._limit = asyncio.Semaphore(READ_CONCURRENCY)

    async def _get(self, path: str, params: dict[str, Any]) -> httpx.Response:
        try:
            async with self._limit:
                # auth=None: the client's own (service identity) auth must not apply here.
                response = await self._http.get(
                    path, params=params, headers=self._headers, auth=None
                )
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise WorkoutApiUnavailableError(f"GET {path} failed") from exc
        return response

    async def _json(self, path: str, params: dict[str, Any]) -> Any:
        response = await self._get(path, params)
        try:
            return response.json()
        except ValueError as exc:
            raise WorkoutApiUnavailableError(f"GET {path} answered no JSON") from exc

    async def version(self) -> str:
        """The log's version: the ETag of a fixed ``GET /workouts`` query."""
        response = await self._get("/workouts", dict(VERSION_QUERY))
        etag = str(response.headers.get("etag", ""))
        if not etag:
            raise WorkoutApiUnavailableError("GET /workouts answered no ETag")
        return etag

    async def stats(self, start: date | datetime, end: date | datetime | None = None) -> Stats:
        params: dict[str, Any] = {"from": start.isoformat()}
        if end is not None:
            params["to"] = end.isoformat()
        return _parse(Stats, await self._json("/stats", params))

    async def records(self) -> list[ExerciseRecords]:
        body = await self._json("/records", {})
        return [_parse(ExerciseRecords, item) for item in body.get("items", [])]

    async def workouts(self, start: datetime) -> list[WorkoutSummary]:
        """The workouts started at or after ``start``, newest first."""
        items: list[WorkoutSummary] = []
        for page in range(1, MAX_WORKOUT_PAGES + 1):
            body = await self._json(
                "/workouts",
                {"from": start.isoformat(), "page": page, "page_size": MAX_PAGE_SIZE},
            )
            items.extend(_parse(WorkoutSummary, item) for item in body.get("items", []))
            if page * MAX_PAGE_SIZE >= int(body.get("total", 0)):
                break
        return items

    async def history(self, template_id: int, sessions: int) -> list[Session]:
        """The last ``sessions`` workouts with the exercise, newest first."""
        body = await self._json(
            f"/exercise-templates/{template_id}/history", {"page": 1, "page_size": sessions}
        )
        return [_parse(Session, item) for item in body.get("items", [])]

    async def e1rm_progress(self, template_id: int, start: datetime) -> list[ProgressPoint]:
        """Best estimated one-rep max per workout since ``start``, oldest first."""
        body = await self._json(
            f"/exercise-templates/{template_id}/progress",
            {"metric": "e1rm", "bucket": "workout", "from": start.isoformat()},
        )
        return [_parse(ProgressPoint, point) for point in body.get("points", [])]


def _parse(model: type[ModelT], value: Any) -> ModelT:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise WorkoutApiUnavailableError(f"unexpected {model.__name__} from the API") from exc
