"""History, progress, records and statistics: read from the rows kept on write.

Progress and history read the exercise's summary rows (one per workout, through the
``(user_id, template_id, started_at)`` index), records the user's best table, and
statistics the per-workout and per-exercise figures: none of them reads a set.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, and_, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.training import sql, templates
from workout_api.training.figures import first_of_month, monday_of
from workout_api.training.tables import (
    exercise_template,
    personal_record,
    workout,
    workout_exercise,
    workout_exercise_summary,
)
from workout_api.training.workouts import Window, in_window, sets_of, visible_templates

METRIC_COLUMN = {
    "e1rm": "best_e1rm",
    "max_weight": "max_weight",
    "volume": "volume_kg",
    "max_reps": "max_reps",
    "best_set_volume": "best_set_volume",
}
summary = workout_exercise_summary

# The "summed" metric adds its workouts up; the others keep the bucket's best.
SUMMED = "volume"


async def history(
    session: AsyncSession,
    *,
    user_id: int,
    template_id: int,
    window: Window,
    page: int,
    page_size: int,
) -> tuple[int, list[dict[str, Any]]]:
    """The user's workouts with this exercise, newest first; 404 for an exercise not in
    their library."""
    await templates.get(session, user_id=user_id, template_id=template_id)
    conditions = [
        summary.c.user_id == user_id,
        summary.c.template_id == template_id,
        *in_window(summary.c.started_at, window),
    ]
    total = int(
        await session.scalar(select(func.count()).select_from(summary).where(*conditions)) or 0
    )
    rows = (
        (
            await sql.execute(
                session,
                select(summary.c.workout_id, workout.c.title, summary.c.started_at)
                .join(workout, workout.c.id == summary.c.workout_id)
                .where(*conditions)
                .order_by(summary.c.started_at.desc(), summary.c.workout_id.desc())
                .limit(page_size)
                .offset((page - 1) * page_size),
            )
        )
        .mappings()
        .all()
    )
    if not rows:
        return total, []
    exercises = (
        await sql.execute(
            session,
            select(workout_exercise.c.id, workout_exercise.c.workout_id)
            .where(
                workout_exercise.c.workout_id.in_([row["workout_id"] for row in rows]),
                workout_exercise.c.template_id == template_id,
            )
            .order_by(workout_exercise.c.workout_id, workout_exercise.c.position),
        )
    ).all()
    sets = await sets_of(session, [exercise_id for exercise_id, _ in exercises])
    by_workout: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for exercise_id, workout_id in exercises:
        by_workout[workout_id].extend(sets.get(exercise_id, []))
    items = []
    for row in rows:
        workout_sets = by_workout[row["workout_id"]]
        # An exercise listed twice in a workout: its sets one after the other.
        numbered = [{**s, "position": position} for position, s in enumerate(workout_sets, start=1)]
        items.append({**row, "sets": numbered})
    return total, items


def _bucket_of(bucket: str) -> Callable[[date], date]:
    if bucket == "week":
        return monday_of
    if bucket == "month":
        return first_of_month
    return lambda day: day


async def progress(
    session: AsyncSession,
    *,
    user_id: int,
    template_id: int,
    metric: str,
    bucket: str,
    window: Window,
) -> dict[str, Any]:
    """One point per bucket, oldest first; 404 for an exercise not in their library."""
    await templates.get(session, user_id=user_id, template_id=template_id)
    column = summary.c[METRIC_COLUMN[metric]]
    # The day in SQL (sessions are in UTC): no datetime is built for each of a long
    # history's rows.
    day = func.date(summary.c.started_at, type_=Date)
    rows = (
        await sql.execute(
            session,
            select(summary.c.workout_id, day, column)
            .where(
                summary.c.user_id == user_id,
                summary.c.template_id == template_id,
                summary.c.working_sets > 0,
                column.is_not(None),
                *in_window(summary.c.started_at, window),
            )
            .order_by(summary.c.started_at, summary.c.workout_id),
        )
    ).all()
    points: list[dict[str, Any]] = []
    if bucket == "workout":
        points = [
            {"date": day, "value": float(value), "workout_id": workout_id}
            for workout_id, day, value in rows
        ]
    else:
        key_of = _bucket_of(bucket)
        by_key: dict[date, dict[str, Any]] = {}
        for workout_id, day, value in rows:
            key = key_of(day)
            point = by_key.get(key)
            if point is None:
                by_key[key] = point = {
                    "date": key,
                    "value": 0.0,
                    "workout_id": workout_id,
                    "best": None,
                }
            # The point's workout is the bucket's best one (for volume, its biggest).
            if point["best"] is None or value > point["best"]:
                point["best"], point["workout_id"] = value, workout_id
            point["value"] = point["value"] + value if metric == SUMMED else point["best"]
        points = [
            {"date": p["date"], "value": float(p["value"]), "workout_id": p["workout_id"]}
            for p in by_key.values()
        ]
    return {
        "metric": metric,
        "bucket": bucket,
        "unit": "reps" if metric == "max_reps" else "kg",
        "points": points,
    }


def _record(row: Any) -> dict[str, Any]:
    return {
        "value": row["value"],
        "workout_id": row["workout_id"],
        "achieved_at": row["achieved_at"],
    }


def _empty_item(template_id: int, name: str) -> dict[str, Any]:
    return {
        "template_id": template_id,
        "name": name,
        "heaviest_weight": None,
        "best_e1rm": None,
        "best_set_volume": None,
        "most_reps": None,
        "rep_maxes": {"1": None, "3": None, "5": None, "10": None},
    }


async def records(
    session: AsyncSession, *, user_id: int, template_id: int | None
) -> list[dict[str, Any]]:
    """One statement: every exercise of the library the user has done (one index probe
    each, whatever the history's length) with its rows of the best table."""
    done = (
        select(summary.c.workout_id)
        .where(summary.c.user_id == user_id, summary.c.template_id == exercise_template.c.id)
        .exists()
    )
    conditions = [visible_templates(user_id), done]
    if template_id is not None:
        conditions.append(exercise_template.c.id == template_id)
    rows = (
        await sql.execute(
            session,
            select(
                exercise_template.c.id,
                exercise_template.c.name,
                personal_record.c.kind,
                personal_record.c.value,
                personal_record.c.workout_id,
                personal_record.c.achieved_at,
            )
            .select_from(
                exercise_template.outerjoin(
                    personal_record,
                    and_(
                        personal_record.c.template_id == exercise_template.c.id,
                        personal_record.c.user_id == user_id,
                    ),
                )
            )
            .where(*conditions)
            .order_by(exercise_template.c.name_key, exercise_template.c.id),
        )
    ).mappings()
    items: dict[int, dict[str, Any]] = {}
    for row in rows:
        item = items.get(row["id"])
        if item is None:
            item = items[row["id"]] = _empty_item(row["id"], row["name"])
        kind = row["kind"]
        if kind is None:
            continue
        if kind.startswith("rep_max_"):
            item["rep_maxes"][kind.removeprefix("rep_max_")] = _record(row)
        else:
            item[kind] = _record(row)
    return list(items.values())


async def stats(
    session: AsyncSession, *, user_id: int, window: Window, today: date
) -> dict[str, Any]:
    weekly_rows = (
        await sql.execute(
            session,
            select(
                workout.c.week_start,
                func.count(),
                func.sum(workout.c.working_set_count),
                func.sum(workout.c.volume_kg),
                func.sum(workout.c.duration_s),
            )
            .where(workout.c.user_id == user_id, *in_window(workout.c.started_at, window))
            .group_by(workout.c.week_start)
            .order_by(workout.c.week_start),
        )
    ).all()
    weekly = [
        {
            "week": week,
            "workouts": int(count),
            "sets": int(sets or 0),
            "volume_kg": float(volume or 0),
        }
        for week, count, sets, volume, _duration in weekly_rows
    ]
    muscles = (
        await sql.execute(
            session,
            select(
                exercise_template.c.primary_muscle,
                func.sum(summary.c.working_sets),
                func.sum(summary.c.volume_kg),
            )
            .join(exercise_template, exercise_template.c.id == summary.c.template_id)
            .where(summary.c.user_id == user_id, *in_window(summary.c.started_at, window))
            .group_by(exercise_template.c.primary_muscle),
        )
    ).all()
    by_muscle = sorted(
        (
            {"muscle": muscle, "sets": int(sets or 0), "volume_kg": float(volume or 0)}
            for muscle, sets, volume in muscles
            if sets
        ),
        key=lambda item: (-item["sets"], item["muscle"]),
    )
    return {
        "workouts": sum(week["workouts"] for week in weekly),
        "sets": sum(week["sets"] for week in weekly),
        "volume_kg": sum(week["volume_kg"] for week in weekly),
        "duration_s": sum(int(row[4] or 0) for row in weekly_rows),
        "by_muscle": by_muscle,
        "weekly": weekly,
        "streak_weeks": await streak_weeks(session, user_id=user_id, today=today),
    }


async def streak_weeks(session: AsyncSession, *, user_id: int, today: date) -> int:
    """ISO weeks in a row with a workout, counted back from this one (a week still under
    way does not break the streak before it ends)."""
    this_week = today - timedelta(days=today.weekday())
    weeks = set(
        (
            await sql.execute(
                session,
                select(workout.c.week_start)
                .where(workout.c.user_id == user_id, workout.c.week_start <= this_week)
                .group_by(workout.c.week_start),
            )
        ).scalars()
    )
    week = this_week if this_week in weeks else this_week - timedelta(weeks=1)
    streak = 0
    while week in weeks:
        streak += 1
        week -= timedelta(weeks=1)
    return streak
