"""The compact summary of a signed-in lifter's log that ``/chat`` hands to the model.

Bounded whatever the log holds: the last :data:`MAX_WORKOUTS` workouts (at most
:data:`MAX_EXERCISES_PER_WORKOUT` exercises each), the :data:`MAX_LIFTS` most-done lifts of
the last :data:`SUMMARY_WEEKS` weeks with their e1RM trend and next prescription, the
:data:`MAX_RECORDS` newest records and hard sets per group per week, so it stays under
:data:`MAX_SUMMARY_CHARS` characters of JSON.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from typing import Final

from pydantic import BaseModel, Field

from workout_coach.personal_plan import logged_exercises
from workout_coach.progression import PROGRESSION_RULE, prescribe
from workout_coach.schemas import GroupWeeklySets, RecordInPeriod
from workout_coach.training_analysis import (
    TARGET_SETS_PER_WEEK,
    AnalysisInputs,
    LogPeriod,
    analyse,
    is_stalled,
)
from workout_coach.user_log import UserLogReader

SUMMARY_WEEKS: Final = 4
MAX_WORKOUTS: Final = 10
MAX_EXERCISES_PER_WORKOUT: Final = 8
MAX_LIFTS: Final = 6
MAX_RECORDS: Final = 10
MAX_SUMMARY_CHARS: Final = 20_000  # about 5,000 tokens


class WorkoutLine(BaseModel):
    started_at: datetime
    date: date
    weekday: str
    title: str
    exercises: list[str] = Field(description='"name: N sets", in workout order.')


class LiftTrend(BaseModel):
    name: str
    group: str
    sessions: int = Field(description=f"Sessions in the last {SUMMARY_WEEKS} weeks.")
    e1rm_first: float | None = Field(description="e1RM (kg) of the first of those sessions.")
    e1rm_last: float | None = Field(description="e1RM (kg) of the latest session.")
    e1rm_best: float | None
    stalled: bool = Field(description="No e1RM gain over the last 3 weeks (3+ sessions).")
    last_performance: str | None = Field(description='e.g. "5x5 at 102.5 kg".')
    next_session: str | None = Field(description="The double progression's next target.")
    rest: str | None


class LifterSummary(BaseModel):
    now: datetime
    today: date
    weeks: int
    workouts_in_period: int
    target_sets_per_week: tuple[int, int]
    recent_workouts: list[WorkoutLine] = Field(description="Newest first.")
    lifts: list[LiftTrend]
    records: list[RecordInPeriod] = Field(description="Records set in the period, newest first.")
    groups: list[GroupWeeklySets]
    progression_rule: str


async def summarise(
    reader: UserLogReader, now: datetime, examples: dict[str, list[str]]
) -> LifterSummary:
    period = LogPeriod(SUMMARY_WEEKS, now)
    weekly_reads = [
        reader.stats(monday, monday + timedelta(weeks=1)) for monday in period.week_starts
    ]
    weekly, records, workouts = await asyncio.gather(
        asyncio.gather(*weekly_reads), reader.records(), reader.workouts(period.start)
    )
    lifts = [e for e in logged_exercises(workouts) if e.sessions >= 1][:MAX_LIFTS]
    stall_start = now - timedelta(weeks=3)
    progress, histories = await asyncio.gather(
        asyncio.gather(*(reader.e1rm_progress(lift.template_id, period.start) for lift in lifts)),
        asyncio.gather(*(reader.history(lift.template_id, 2) for lift in lifts)),
    )
    analysis = analyse(
        AnalysisInputs(
            period=period, weekly=list(weekly), records=records, workouts=workouts, progress={}
        ),
        examples,
    )
    trends = []
    for lift, points, sessions in zip(lifts, progress, histories, strict=True):
        prescription = prescribe(lift.name, sessions)
        recent = [p for p in points if p.date >= stall_start.date()]
        trends.append(
            LiftTrend(
                name=lift.name,
                group=lift.group,
                sessions=lift.sessions,
                e1rm_first=round(points[0].value, 1) if points else None,
                e1rm_last=round(points[-1].value, 1) if points else None,
                e1rm_best=round(max(p.value for p in points), 1) if points else None,
                stalled=is_stalled(recent),
                last_performance=str(prescription.last) if prescription else None,
                next_session=prescription.target if prescription else None,
                rest=str(prescription.rest) if prescription else None,
            )
        )
    return LifterSummary(
        now=now,
        today=now.date(),
        weeks=SUMMARY_WEEKS,
        workouts_in_period=analysis.workouts,
        target_sets_per_week=TARGET_SETS_PER_WEEK,
        recent_workouts=[
            WorkoutLine(
                started_at=w.started_at,
                date=w.started_at.date(),
                weekday=w.started_at.strftime("%A"),
                title=w.title,
                exercises=[
                    f"{e.name}: {e.set_count} sets" for e in w.exercises[:MAX_EXERCISES_PER_WORKOUT]
                ],
            )
            for w in workouts[:MAX_WORKOUTS]
        ],
        lifts=trends,
        records=analysis.records[:MAX_RECORDS],
        groups=analysis.groups,
        progression_rule=PROGRESSION_RULE,
    )
