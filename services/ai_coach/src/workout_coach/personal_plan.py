"""The next session of a signed-in lifter, built from their own history.

* Exercises are ones the lifter has logged in the last :data:`HISTORY_WEEKS` weeks, that the
  listed equipment allows, from the focus group first (then its related groups); without a
  focus, one per group, the groups with the fewest recent sets against their reference share
  first.
* Groups with at least :data:`HARD_SETS_48H` hard sets in the last 48 hours are left out
  (unless asked for as the focus: then a tip says so).
* Loads follow :mod:`workout_coach.progression` from the last two sessions of each lift.
* The session fits the duration: a 5-minute warm-up, then each set costs its rest plus
  about a minute of work; sets are trimmed (to 2 at least) or exercises dropped to fit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Final

from workout_coach.exercise_catalogue import RELATED_GROUPS, equipment_of, usable_equipment
from workout_coach.muscle_groups import TRAINED_GROUPS, infer_muscle_group
from workout_coach.progression import PROGRESSION_RULE, Prescription, prescribe
from workout_coach.schemas import (
    ExerciseRecommendation,
    PlanBasis,
    RecommendationRequest,
    WorkoutRecommendation,
)
from workout_coach.training_analysis import sets_by_group
from workout_coach.user_log import Stats, UserLogReader, WorkoutSummary
from workout_coach.workout_context import TARGET_SET_SHARE

HISTORY_WEEKS: Final = 8
RECOVERY_WINDOW: Final = timedelta(hours=48)
HARD_SETS_48H: Final = 6
WARM_UP_MINUTES: Final = 5
WORK_MINUTES_PER_SET: Final = 1.0
MIN_SETS: Final = 2
MAX_CANDIDATES: Final = 8
ALWAYS_USABLE: Final = frozenset({"bodyweight", "none"})


@dataclass(frozen=True)
class LoggedExercise:
    template_id: int
    name: str
    group: str
    equipment: str
    sessions: int


@dataclass(frozen=True)
class PlanInputs:
    workouts: list[WorkoutSummary]
    recent: Stats  # the last 48 hours
    since: datetime


async def gather_inputs(reader: UserLogReader, now: datetime) -> PlanInputs:
    since = now - timedelta(weeks=HISTORY_WEEKS)
    workouts, recent = await asyncio.gather(
        reader.workouts(since), reader.stats(now - RECOVERY_WINDOW)
    )
    return PlanInputs(workouts=workouts, recent=recent, since=since)


def logged_exercises(workouts: Sequence[WorkoutSummary]) -> list[LoggedExercise]:
    """Every exercise in the workouts, most sessions first."""
    seen: dict[int, tuple[str, int]] = {}
    for workout in workouts:
        for exercise in {e.template_id: e for e in workout.exercises}.values():
            _, count = seen.get(exercise.template_id, (exercise.name, 0))
            seen[exercise.template_id] = (exercise.name, count + 1)
    found = [
        LoggedExercise(
            template_id=template_id,
            name=name,
            group=infer_muscle_group(name),
            equipment=equipment_of(name),
            sessions=count,
        )
        for template_id, (name, count) in seen.items()
    ]
    return sorted(found, key=lambda e: (-e.sessions, e.name.lower()))


def recovering_groups(recent: Stats) -> list[str]:
    sets = sets_by_group(recent)
    return sorted(group for group in TRAINED_GROUPS if sets.get(group, 0) >= HARD_SETS_48H)


def _group_order(focus: str | None, inputs: PlanInputs, recovering: Sequence[str]) -> list[str]:
    if focus and focus != "full_body":
        return [focus, *(g for g in RELATED_GROUPS.get(focus, ()) if g not in recovering)]
    sets: dict[str, int] = {}
    for workout in inputs.workouts:
        for exercise in workout.exercises:
            group = infer_muscle_group(exercise.name)
            sets[group] = sets.get(group, 0) + exercise.set_count
    total = sum(sets.get(g, 0) for g in TRAINED_GROUPS) or 1
    return sorted(
        (g for g in TRAINED_GROUPS if g not in recovering),
        key=lambda g: (sets.get(g, 0) / total - TARGET_SET_SHARE[g], g),
    )


def candidates(
    request: RecommendationRequest, inputs: PlanInputs, recovering: Sequence[str]
) -> list[LoggedExercise]:
    """The lifter's exercises the request allows, in the order the session takes them."""
    focus = request.focus_area.value if request.focus_area else None
    have = usable_equipment(request.equipment_available) | ALWAYS_USABLE
    order = _group_order(focus, inputs, recovering)
    usable = [
        e for e in logged_exercises(inputs.workouts) if e.equipment in have and e.group in order
    ]
    by_group = {group: [e for e in usable if e.group == group] for group in order}
    chosen: list[LoggedExercise] = []
    if focus and focus != "full_body":
        for group in order:
            chosen += by_group[group]
    else:
        while any(by_group.values()):
            for group in order:
                if by_group[group]:
                    chosen.append(by_group[group].pop(0))
    return chosen[:MAX_CANDIDATES]


def _set_minutes(prescription: Prescription) -> float:
    return prescription.rest.midpoint + WORK_MINUTES_PER_SET


def fit_session(prescriptions: Sequence[Prescription], duration_minutes: int) -> list[Prescription]:
    """The prescriptions, in order, that fit the session (sets trimmed to fit, 2 at least)."""
    budget = float(duration_minutes - WARM_UP_MINUTES)
    fitted: list[Prescription] = []
    for prescription in prescriptions:
        affordable = int(budget // _set_minutes(prescription))
        sets = min(prescription.sets, affordable)
        if sets < min(MIN_SETS, prescription.sets):
            continue
        if sets != prescription.sets:
            prescription = replace(prescription, sets=sets)
        fitted.append(prescription)
        budget -= sets * _set_minutes(prescription)
    return fitted


def session_minutes(prescriptions: Sequence[Prescription]) -> int:
    return round(WARM_UP_MINUTES + sum(p.sets * _set_minutes(p) for p in prescriptions))


async def plan(
    reader: UserLogReader, request: RecommendationRequest, inputs: PlanInputs
) -> WorkoutRecommendation | None:
    """The session, or ``None`` when no logged exercise fits the request."""
    focus = request.focus_area.value if request.focus_area else None
    recovering = recovering_groups(inputs.recent)
    chosen = candidates(request, inputs, recovering)
    histories = await asyncio.gather(*(reader.history(e.template_id, 2) for e in chosen))
    prescriptions = [
        p
        for e, sessions in zip(chosen, histories, strict=True)
        if (p := prescribe(e.name, sessions)) is not None
    ]
    fitted = fit_session(prescriptions, request.session_duration_minutes)
    if not fitted:
        return None
    groups = {e.name: e.group for e in chosen}
    exercises = [
        ExerciseRecommendation(
            name=p.exercise,
            sets=p.sets,
            reps=p.reps,
            weight_suggestion=f"{p.weight:g} kg" if p.weight else "Bodyweight",
            notes=f"Rest {p.rest} between sets. {p.reason}.",
            muscle_group=groups[p.exercise],
        )
        for p in fitted
    ]
    minutes = session_minutes(fitted)
    title = f"{focus.replace('_', ' ').capitalize()} session" if focus else "Your next session"
    tips = [
        f"Warm up for {WARM_UP_MINUTES} minutes, then ramp up to the first working weight.",
        PROGRESSION_RULE,
    ]
    if focus and focus in recovering:
        tips.append(
            f"You did {HARD_SETS_48H}+ hard {focus} sets in the last 48 hours; if they are "
            "still sore, swap this session for another group."
        )
    elif recovering:
        tips.append(f"Left out (trained hard in the last 48 hours): {', '.join(recovering)}.")
    return WorkoutRecommendation(
        title=f"{title} ({request.session_duration_minutes} min)",
        description=(
            f"{len(exercises)} of your own exercises with loads from your last sessions, "
            f"about {minutes} minutes including a {WARM_UP_MINUTES}-minute warm-up."
        ),
        exercises=exercises,
        estimated_duration_minutes=max(1, min(minutes, request.session_duration_minutes)),
        difficulty="intermediate",
        tips=tips,
        based_on=PlanBasis(
            workouts=len(inputs.workouts),
            since=inputs.since.date(),
            exercises=[p.exercise for p in fitted],
            recovering_groups=recovering,
            progression_rule=PROGRESSION_RULE,
            note=(
                f"Your {len(inputs.workouts)} workouts since {inputs.since.date()}: exercises "
                "you do, loads from your last two sessions of each."
            ),
        ),
    )
