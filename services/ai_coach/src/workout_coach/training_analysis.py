"""The analysis of a signed-in lifter's own log over a period of ISO weeks.

Every figure comes from the Workout API's own counts: hard sets per muscle group per week
are ``GET /stats`` of each week (completed non-warm-up sets of the exercise's primary
muscle, mapped to the coach's groups), records are ``GET /records`` achieved in the period,
and stalled lifts are judged on ``GET /exercise-templates/{id}/progress`` (e1RM per workout).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final, Literal

from workout_coach.muscle_groups import TRAINED_GROUPS, infer_muscle_group
from workout_coach.schemas import (
    GroupWeeklySets,
    MuscleGroupVolume,
    RecordInPeriod,
    StalledLift,
    TrainingLogAnalysis,
)
from workout_coach.user_log import (
    ExerciseRecords,
    ProgressPoint,
    RecordValue,
    Stats,
    UserLogReader,
    WorkoutSummary,
)
from workout_coach.workout_context import balance_score
from workout_common.exercise_library import coach_groups

DEFAULT_WEEKS: Final = 8
MAX_WEEKS: Final = 52
# Hard sets per muscle group per week that build muscle for most lifters: below 10 is
# maintenance at best, above 20 rarely adds more than it costs in recovery.
TARGET_SETS_PER_WEEK: Final = (10, 20)
STALL_WINDOW: Final = timedelta(weeks=3)
STALL_MIN_SESSIONS: Final = 3
MAX_STALL_CANDIDATES: Final = 8
RECORD_KINDS: Final = ("heaviest_weight", "best_e1rm", "best_set_volume", "most_reps")


@dataclass(frozen=True)
class LogPeriod:
    """``weeks`` ISO weeks (Monday first) ending with the week of ``now``."""

    weeks: int
    now: datetime

    @property
    def week_starts(self) -> list[date]:
        this_monday = self.now.date() - timedelta(days=self.now.weekday())
        return [this_monday - timedelta(weeks=n) for n in range(self.weeks - 1, -1, -1)]

    @property
    def start(self) -> datetime:
        return datetime.combine(self.week_starts[0], time(), UTC)


@dataclass(frozen=True)
class AnalysisInputs:
    period: LogPeriod
    weekly: list[Stats]  # one GET /stats per week, oldest first
    records: list[ExerciseRecords]
    workouts: list[WorkoutSummary]  # newest first, since the period or the stall window
    progress: dict[str, list[ProgressPoint]]  # e1RM since the stall window, by exercise

    @property
    def period_workouts(self) -> list[WorkoutSummary]:
        return [w for w in self.workouts if w.started_at >= self.period.start]


async def gather_inputs(reader: UserLogReader, period: LogPeriod) -> AnalysisInputs:
    weekly_reads = [
        reader.stats(monday, monday + timedelta(weeks=1)) for monday in period.week_starts
    ]
    stall_start = period.now - STALL_WINDOW
    # A period shorter than the stall window still judges stalls on three weeks.
    weekly, records, workouts = await asyncio.gather(
        asyncio.gather(*weekly_reads),
        reader.records(),
        reader.workouts(min(period.start, stall_start)),
    )
    candidates = stall_candidates(workouts, stall_start)
    points = await asyncio.gather(
        *(reader.e1rm_progress(template_id, stall_start) for template_id, _ in candidates)
    )
    return AnalysisInputs(
        period=period,
        weekly=list(weekly),
        records=records,
        workouts=workouts,
        progress={name: list(p) for (_, name), p in zip(candidates, points, strict=True)},
    )


def group_of_muscle(muscle: str) -> str:
    return coach_groups().get(muscle, "other")


def sets_by_group(stats: Stats) -> dict[str, int]:
    """Hard sets of a period per coach group, from ``/stats``' per-muscle counts."""
    sets: dict[str, int] = {}
    for item in stats.by_muscle:
        group = group_of_muscle(item.muscle)
        sets[group] = sets.get(group, 0) + item.sets
    return sets


def stall_candidates(workouts: Sequence[WorkoutSummary], since: datetime) -> list[tuple[int, str]]:
    """Exercises done in at least :data:`STALL_MIN_SESSIONS` workouts since ``since``."""
    sessions: dict[int, tuple[int, str]] = {}
    for workout in workouts:
        if workout.started_at < since:
            continue
        for exercise in {e.template_id: e for e in workout.exercises}.values():
            count, _ = sessions.get(exercise.template_id, (0, exercise.name))
            sessions[exercise.template_id] = (count + 1, exercise.name)
    ranked = sorted(
        (
            (count, template_id, name)
            for template_id, (count, name) in sessions.items()
            if count >= STALL_MIN_SESSIONS
        ),
        key=lambda item: (-item[0], item[2].lower()),
    )
    return [(template_id, name) for _, template_id, name in ranked[:MAX_STALL_CANDIDATES]]


def is_stalled(points: Sequence[ProgressPoint]) -> bool:
    """No e1RM gain: at least three sessions and none after the first beats the first."""
    if len(points) < STALL_MIN_SESSIONS:
        return False
    return max(point.value for point in points[1:]) <= points[0].value


def _status(average: float) -> Literal["below", "within", "above"]:
    low, high = TARGET_SETS_PER_WEEK
    return "below" if average < low else "above" if average > high else "within"


def _group_suggestion(group: str, average: float, examples: Sequence[str]) -> str | None:
    low, high = TARGET_SETS_PER_WEEK
    if average < low:
        missing = round(low - average)
        lifts = " or ".join(examples[:2]) if examples else f"a {group} exercise"
        return (
            f"{group.capitalize()}: {average:g} hard sets a week, below the {low}-{high} "
            f"target; add about {missing} sets a week, e.g. {lifts}."
        )
    if average > high:
        return (
            f"{group.capitalize()}: {average:g} hard sets a week, above {high}; cut back to "
            f"about {high} unless you are recovering well between sessions."
        )
    return None


def _records_in_period(records: Sequence[ExerciseRecords], start: datetime) -> list[RecordInPeriod]:
    found: list[RecordInPeriod] = []
    for item in records:
        values: list[tuple[str, RecordValue | None]] = [
            (kind, getattr(item, kind)) for kind in RECORD_KINDS
        ]
        values += [(f"rep_max_{reps}", value) for reps, value in sorted(item.rep_maxes.items())]
        found += [
            RecordInPeriod(
                exercise=item.name,
                kind=kind,
                value=round(value.value, 1),
                achieved_at=value.achieved_at,
            )
            for kind, value in values
            if value is not None and value.achieved_at >= start
        ]
    return sorted(found, key=lambda r: (-r.achieved_at.timestamp(), r.exercise, r.kind))


def _stalled_lifts(progress: Mapping[str, Sequence[ProgressPoint]]) -> list[StalledLift]:
    stalled = []
    for name, points in progress.items():
        if not is_stalled(points):
            continue
        first = round(points[0].value, 1)
        best = round(max(point.value for point in points[1:]), 1)
        stalled.append(
            StalledLift(
                exercise=name,
                sessions=len(points),
                first_e1rm=first,
                best_since=best,
                suggestion=(
                    f"{name}: no e1RM gain in {len(points)} sessions over 3 weeks "
                    f"({first:g} kg then at best {best:g} kg). Take one week at 90% of your "
                    "working weight, then rebuild with double progression (add reps before weight)."
                ),
            )
        )
    return stalled


def exercises_by_group(workouts: Sequence[WorkoutSummary]) -> dict[str, list[str]]:
    """The lifter's own exercises per coach group, most sessions first."""
    sessions: dict[str, int] = {}
    for workout in workouts:
        for exercise in workout.exercises:
            sessions[exercise.name] = sessions.get(exercise.name, 0) + 1
    groups: dict[str, list[str]] = {}
    for name in sorted(sessions, key=lambda n: (-sessions[n], n.lower())):
        groups.setdefault(infer_muscle_group(name), []).append(name)
    return groups


def analyse(inputs: AnalysisInputs, examples: Mapping[str, Sequence[str]]) -> TrainingLogAnalysis:
    """``examples``: exercises to suggest per group when the lifter does none of their own."""
    period = inputs.period
    weekly_groups = [sets_by_group(stats) for stats in inputs.weekly]
    own = exercises_by_group(inputs.period_workouts)
    sessions_with: dict[str, int] = {}
    for workout in inputs.period_workouts:
        for group in {infer_muscle_group(e.name) for e in workout.exercises}:
            sessions_with[group] = sessions_with.get(group, 0) + 1
    groups = []
    for group in TRAINED_GROUPS:
        per_week = [sets.get(group, 0) for sets in weekly_groups]
        average = round(sum(per_week) / period.weeks, 1)
        groups.append(
            GroupWeeklySets(
                group=group,
                sets_per_week=per_week,
                average=average,
                sessions_per_week=round(sessions_with.get(group, 0) / period.weeks, 1),
                status=_status(average),
                suggestion=_group_suggestion(group, average, own.get(group) or examples[group]),
            )
        )
    workouts = sum(stats.workouts for stats in inputs.weekly)
    return TrainingLogAnalysis(
        weeks=period.weeks,
        period_start=period.week_starts[0],
        period_end=period.now.date(),
        week_starts=period.week_starts,
        workouts=workouts,
        workouts_per_week=round(workouts / period.weeks, 1),
        hard_sets=sum(stats.sets for stats in inputs.weekly),
        target_sets_per_week=TARGET_SETS_PER_WEEK,
        groups=groups,
        records=_records_in_period(inputs.records, period.start),
        stalled_lifts=_stalled_lifts(inputs.progress),
    )


def period_sets_by_group(inputs: AnalysisInputs) -> dict[str, int]:
    total: dict[str, int] = {}
    for stats in inputs.weekly:
        for group, sets in sets_by_group(stats).items():
            total[group] = total.get(group, 0) + sets
    return total


def period_balance_score(inputs: AnalysisInputs) -> float | None:
    """The muscle-balance score of the period's hard sets (the one formula of the coach)."""
    return balance_score(period_sets_by_group(inputs))


def period_volume_by_group(inputs: AnalysisInputs) -> list[MuscleGroupVolume]:
    sets: dict[str, int] = {}
    volume: dict[str, float] = {}
    for stats in inputs.weekly:
        for item in stats.by_muscle:
            group = group_of_muscle(item.muscle)
            sets[group] = sets.get(group, 0) + item.sets
            volume[group] = volume.get(group, 0.0) + item.volume_kg
    own = exercises_by_group(inputs.period_workouts)
    ranked = sorted(sets, key=lambda g: (-volume[g], -sets[g], g))
    return [
        MuscleGroupVolume(
            group=group,
            exercises=len(own.get(group, [])),
            sets=sets[group],
            volume=round(volume[group], 1),
        )
        for group in ranked
    ]
