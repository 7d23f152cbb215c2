"""``GET /workouts/export``: the user's log as JSON, Strong CSV or Hevy CSV, streamed.

Workouts are read a batch at a time (keyset on ``started_at, id``) through a session of
the export's own, so memory stays flat however long the history. Each format is one the
importer reads back: JSON losslessly, Strong and Hevy as those apps write them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import and_, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.csv_safety import spreadsheet_text
from workout_api.imports.readers import JSON_FORMAT, KG_PER_LB, METRES_PER_UNIT, MONTHS
from workout_api.training import sql
from workout_api.training.tables import exercise_template, workout, workout_exercise
from workout_api.training.workouts import Window, in_window, sets_of

Quoting = Literal[0, 1, 2, 3]
ExportFormat = Literal["json", "strong", "hevy"]
WORKOUTS_PER_BATCH = 200
MEDIA_TYPES = {"json": "application/json", "strong": "text/csv", "hevy": "text/csv"}
STRONG_COLUMNS = (
    "Date",
    "Workout Name",
    "Duration",
    "Exercise Name",
    "Set Order",
    "Weight",
    "Reps",
    "Distance",
    "Seconds",
    "Notes",
    "Workout Notes",
    "RPE",
    "Weight Unit",
    "Distance Unit",
)
STRONG_SET_ORDER = {"warmup": "W", "dropset": "D", "failure": "F"}


async def _workouts(
    session: AsyncSession, user_id: int, window: Window
) -> AsyncIterator[list[dict[str, Any]]]:
    """The user's workouts, oldest first, in batches, each with exercises and sets."""
    after: tuple[datetime, int] | None = None
    while True:
        query = select(
            workout.c.id,
            workout.c.title,
            workout.c.notes,
            workout.c.started_at,
            workout.c.ended_at,
            workout.c.source,
        ).where(workout.c.user_id == user_id, *in_window(workout.c.started_at, window))
        if after is not None:
            query = query.where(
                or_(
                    workout.c.started_at > after[0],
                    and_(workout.c.started_at == after[0], workout.c.id > after[1]),
                )
            )
        rows = [
            dict(row)
            for row in (
                await sql.execute(
                    session,
                    query.order_by(workout.c.started_at, workout.c.id).limit(WORKOUTS_PER_BATCH),
                )
            ).mappings()
        ]
        if not rows:
            return
        by_workout: dict[int, list[dict[str, Any]]] = {row["id"]: [] for row in rows}
        exercises = (
            await sql.execute(
                session,
                select(
                    workout_exercise.c.id,
                    workout_exercise.c.workout_id,
                    exercise_template.c.name,
                    workout_exercise.c.notes,
                    workout_exercise.c.superset,
                )
                .join(exercise_template, exercise_template.c.id == workout_exercise.c.template_id)
                .where(workout_exercise.c.workout_id.in_(list(by_workout)))
                .order_by(workout_exercise.c.workout_id, workout_exercise.c.position),
            )
        ).mappings()
        listed = [dict(e) for e in exercises]
        sets = await sets_of(session, [e["id"] for e in listed])
        for e in listed:
            e["sets"] = sets.get(e.pop("id"), [])
            by_workout[e.pop("workout_id")].append(e)
        for row in rows:
            row["exercises"] = by_workout[row["id"]]
        yield rows
        after = (rows[-1]["started_at"], rows[-1]["id"])


async def _custom_templates(session: AsyncSession, user_id: int) -> list[dict[str, Any]]:
    rows = await sql.execute(
        session,
        select(
            exercise_template.c.name,
            exercise_template.c.type,
            exercise_template.c.primary_muscle,
            exercise_template.c.secondary_muscles,
            exercise_template.c.equipment,
            exercise_template.c.aliases,
        )
        .where(exercise_template.c.owner_id == user_id)
        .order_by(exercise_template.c.name_key),
    )
    return [dict(row) for row in rows.mappings()]


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def _json_workout(w: dict[str, Any]) -> str:
    body = {
        "title": w["title"],
        "notes": w["notes"],
        "started_at": _iso(w["started_at"]),
        "ended_at": _iso(w["ended_at"]),
        "source": w["source"],
        "exercises": [
            {
                "name": e["name"],
                "notes": e["notes"],
                "superset": e["superset"],
                "sets": [{k: v for k, v in s.items() if k != "position"} for s in e["sets"]],
            }
            for e in w["exercises"]
        ],
    }
    return json.dumps(body, ensure_ascii=False)


async def json_chunks(
    session: AsyncSession, user_id: int, window: Window, now: datetime
) -> AsyncIterator[str]:
    head = {
        "format": JSON_FORMAT,
        "version": 1,
        "exported_at": _iso(now),
        "weight_unit": "kg",
        "exercise_templates": await _custom_templates(session, user_id),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "workouts": ['
    first = True
    async for batch in _workouts(session, user_id, window):
        parts = [_json_workout(w) for w in batch]
        yield ("" if first else ",") + "\n" + ",\n".join(parts)
        first = False
    yield "\n]}\n"


def _amount(value: float | None, scale: float = 1.0) -> str:
    if value is None:
        return ""
    return f"{round(value / scale, 3):g}"


def _strong_duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}h"] if hours else []
    if minutes or (hours and secs):
        parts.append(f"{minutes}m")
    if secs or not parts:
        parts.append(f"{secs}s")
    return " ".join(parts)


def _strong_rows(w: dict[str, Any], unit: str) -> Iterable[list[Any]]:
    scale = KG_PER_LB if unit == "lb" else 1.0
    distance_unit = "km" if unit == "kg" else "mi"
    duration = (
        ""
        if w["ended_at"] is None
        else _strong_duration(int((w["ended_at"] - w["started_at"]).total_seconds()))
    )
    started = w["started_at"].astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    for e in w["exercises"]:
        number = 0
        for s in e["sets"]:
            if s["type"] == "normal":
                number += 1
            yield [
                started,
                spreadsheet_text(w["title"]),
                duration,
                spreadsheet_text(e["name"]),
                STRONG_SET_ORDER.get(s["type"], str(number)),
                _amount(s["weight_kg"], scale),
                "" if s["reps"] is None else s["reps"],
                _amount(s["distance_m"], METRES_PER_UNIT[distance_unit]) or "0",
                s["duration_s"] or 0,
                spreadsheet_text(e["notes"]),
                spreadsheet_text(w["notes"]),
                _amount(s["rpe"]),
                "lbs" if unit == "lb" else "kg",
                distance_unit,
            ]


def _hevy_time(value: datetime) -> str:
    utc = value.astimezone(UTC)
    return f"{utc.day} {MONTHS[utc.month - 1]} {utc.year}, {utc:%H:%M}"


def _hevy_columns(unit: str) -> list[str]:
    weight, distance = (
        ("weight_lbs", "distance_miles") if unit == "lb" else ("weight_kg", "distance_km")
    )
    return [
        "title",
        "start_time",
        "end_time",
        "description",
        "exercise_title",
        "superset_id",
        "exercise_notes",
        "set_index",
        "set_type",
        weight,
        "reps",
        distance,
        "duration_seconds",
        "rpe",
    ]


def _hevy_rows(w: dict[str, Any], unit: str) -> Iterable[list[Any]]:
    scale = KG_PER_LB if unit == "lb" else 1.0
    distance_scale = METRES_PER_UNIT["mi" if unit == "lb" else "km"]
    for e in w["exercises"]:
        for index, s in enumerate(e["sets"]):
            yield [
                spreadsheet_text(w["title"]),
                _hevy_time(w["started_at"]),
                "" if w["ended_at"] is None else _hevy_time(w["ended_at"]),
                spreadsheet_text(w["notes"]),
                spreadsheet_text(e["name"]),
                "" if e["superset"] is None else e["superset"],
                spreadsheet_text(e["notes"]),
                index,
                s["type"],
                _amount(s["weight_kg"], scale),
                "" if s["reps"] is None else s["reps"],
                _amount(s["distance_m"], distance_scale),
                "" if s["duration_s"] is None else s["duration_s"],
                _amount(s["rpe"]),
            ]


async def csv_chunks(
    session: AsyncSession,
    user_id: int,
    window: Window,
    header: list[str],
    rows_of: Callable[[dict[str, Any]], Iterable[list[Any]]],
    quoting: Quoting,
) -> AsyncIterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=quoting)
    writer.writerow(header)
    yield buffer.getvalue()
    async for batch in _workouts(session, user_id, window):
        buffer.seek(0)
        buffer.truncate()
        for w in batch:
            writer.writerows(rows_of(w))
        yield buffer.getvalue()


async def export_chunks(
    session_factory: Callable[[], Any],
    *,
    user_id: int,
    export_format: ExportFormat,
    unit: str,
    window: Window,
    now: datetime,
) -> AsyncIterator[str]:
    """The body, read through a session of its own: the route's is gone when it is sent."""
    async with session_factory() as session:
        if export_format == "json":
            chunks = json_chunks(session, user_id, window, now)
        elif export_format == "strong":
            chunks = csv_chunks(
                session,
                user_id,
                window,
                list(STRONG_COLUMNS),
                lambda w: _strong_rows(w, unit),
                csv.QUOTE_MINIMAL,
            )
        else:
            chunks = csv_chunks(
                session,
                user_id,
                window,
                _hevy_columns(unit),
                lambda w: _hevy_rows(w, unit),
                csv.QUOTE_ALL,
            )
        async for chunk in chunks:
            yield chunk
