"""Three months of plausible training for the development user (``SEED_DEMO_DATA=true``).

A 3-day full-body program (Monday, Wednesday, Friday) with linear progression, so the
web app's history, records, progress and statistics have something to show. Each
workout carries a fixed client_id: seeding again (every restart) creates nothing.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.training import sql, workouts
from workout_api.training.schemas import WorkoutIn
from workout_api.training.tables import exercise_template
from workout_api.training.tables import workout as workout_table

WEEKS = 13
NAMESPACE = uuid.UUID("6f1d3c52-8e0b-4a43-9a55-7f1f0f3b2d10")

# (library key, starting kg or None for bodyweight, reps, weekly increase in kg)
DAYS: tuple[tuple[str, tuple[tuple[str, float | None, int, float], ...]], ...] = (
    (
        "Full body A",
        (
            ("barbell-back-squat", 80.0, 5, 2.5),
            ("barbell-bench-press", 60.0, 5, 1.25),
            ("barbell-row", 55.0, 8, 1.25),
            ("plank", None, 0, 0.0),
        ),
    ),
    (
        "Full body B",
        (
            ("barbell-back-squat", 70.0, 8, 2.0),
            ("overhead-press", 40.0, 5, 0.5),
            ("romanian-deadlift", 70.0, 8, 2.5),
            ("pull-up", None, 6, 0.0),
        ),
    ),
    (
        "Full body C",
        (
            ("conventional-deadlift", 100.0, 5, 2.5),
            ("incline-dumbbell-press", 22.0, 10, 0.5),
            ("lat-pulldown", 50.0, 10, 1.25),
            ("dumbbell-curl", 12.0, 12, 0.25),
        ),
    ),
)


def _sets(start: float | None, reps: int, step: float, week: int) -> list[dict[str, Any]]:
    if reps == 0:  # a hold: three timed sets, a little longer each week
        return [{"duration_s": 30 + 5 * week} for _ in range(3)]
    if start is None:  # bodyweight: one more rep every other week
        return [{"reps": reps + week // 2} for _ in range(3)]
    weight = start + step * week
    warm_up = {"type": "warmup", "weight_kg": round(weight * 0.6 / 2.5) * 2.5, "reps": 5}
    # The last set of the week is an RPE 8 check; every fourth week is a lighter deload.
    if week % 4 == 3:
        weight = round(weight * 0.9 / 1.25) * 1.25
    work = [{"weight_kg": weight, "reps": reps} for _ in range(3)]
    work[-1]["rpe"] = 8.0
    return [warm_up, *work]


def demo_workouts(today: date, template_ids: dict[str, int]) -> list[WorkoutIn]:
    """The program's workouts for the ``WEEKS`` weeks before ``today``'s week."""
    monday = today - timedelta(days=today.weekday()) - timedelta(weeks=WEEKS)
    plan = []
    for week in range(WEEKS):
        for index, (title, exercises) in enumerate(DAYS):
            day = monday + timedelta(weeks=week, days=2 * index)
            started = datetime.combine(day, time(17, 30), tzinfo=UTC)
            plan.append(
                WorkoutIn.model_validate(
                    {
                        "title": title,
                        "started_at": started,
                        "ended_at": started + timedelta(minutes=65),
                        "client_id": uuid.uuid5(NAMESPACE, f"{day.isoformat()}-{title}"),
                        "exercises": [
                            {
                                "template_id": template_ids[key],
                                "sets": _sets(start, reps, step, week),
                            }
                            for key, start, reps, step in exercises
                        ],
                    }
                )
            )
    return plan


async def seed_demo_data(session: AsyncSession, *, user_id: int, today: date) -> int:
    """Log the demo program for the user once; returns how many workouts were new.

    A user who has any workout already (the demo of an earlier start, in another week) gets
    nothing more: the weeks are counted back from ``today``, so a later start would add
    another week beside the first one.
    """
    logged = await sql.execute(
        session, select(workout_table.c.id).where(workout_table.c.user_id == user_id).limit(1)
    )
    if logged.first() is not None:
        return 0
    keys = {key for _, exercises in DAYS for key, *_ in exercises}
    rows = await sql.execute(
        session,
        select(exercise_template.c.key, exercise_template.c.id).where(
            exercise_template.c.key.in_(keys)
        ),
    )
    template_ids = {row.key: row.id for row in rows}
    created = 0
    now = datetime.now(UTC)
    for workout in demo_workouts(today, template_ids):
        logged = await workouts.create(session, user_id=user_id, data=workout, now=now)
        created += logged.created
    return created
