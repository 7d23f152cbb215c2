"""The chat summary of a lifter's log stays within its stated bound, however long the log."""

from __future__ import annotations

from datetime import UTC, date, datetime

from workout_coach.lifter_summary import (
    MAX_EXERCISES_PER_WORKOUT,
    MAX_LIFTS,
    MAX_RECORDS,
    MAX_SUMMARY_CHARS,
    MAX_WORKOUTS,
    LifterSummary,
    LiftTrend,
    WorkoutLine,
)
from workout_coach.muscle_groups import TRAINED_GROUPS
from workout_coach.progression import PROGRESSION_RULE
from workout_coach.schemas import GroupWeeklySets, RecordInPeriod

LONGEST_NAME = "X" * 100  # names and titles are at most 100 characters in the API


def test_the_largest_summary_fits_the_bound() -> None:
    now = datetime(2026, 3, 4, 12, tzinfo=UTC)
    summary = LifterSummary(
        now=now,
        today=now.date(),
        weeks=4,
        workouts_in_period=10_000,
        target_sets_per_week=(10, 20),
        recent_workouts=[
            WorkoutLine(
                started_at=now,
                date=now.date(),
                weekday="Wednesday",
                title=LONGEST_NAME,
                exercises=[f"{LONGEST_NAME}: 50 sets"] * MAX_EXERCISES_PER_WORKOUT,
            )
        ]
        * MAX_WORKOUTS,
        lifts=[
            LiftTrend(
                name=LONGEST_NAME,
                group="legs",
                sessions=99,
                e1rm_first=1234.5,
                e1rm_last=1234.5,
                e1rm_best=1234.5,
                stalled=True,
                last_performance="10/10/10/10/10/10/10/10/10/10 at 1234.5 kg",
                next_session="1234.5 kg x 50x1000",
                rest="3-5 min",
            )
        ]
        * MAX_LIFTS,
        records=[
            RecordInPeriod(
                exercise=LONGEST_NAME, kind="best_set_volume", value=1e6, achieved_at=now
            )
        ]
        * MAX_RECORDS,
        groups=[
            GroupWeeklySets(
                group=group,
                sets_per_week=[999] * 4,
                average=999.0,
                sessions_per_week=99.0,
                status="above",
                suggestion=f"{group}: 999 hard sets a week, above 20; cut back to about 20 unless you are recovering well between sessions.",
            )
            for group in TRAINED_GROUPS
        ],
        progression_rule=PROGRESSION_RULE,
    )
    assert summary.today == date(2026, 3, 4)
    assert len(summary.model_dump_json()) < MAX_SUMMARY_CHARS
