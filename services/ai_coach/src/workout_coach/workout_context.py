"""The figures the coach reasons from, computed here (never by the model).

* Load volume of an exercise = sets x reps x weight; a bodyweight exercise (no weight) has
  no load volume but still counts its sets and reps.
* Each exercise's muscle group is inferred from its name (:mod:`workout_coach.muscle_groups`).
* Muscle-balance score (0-100) compares how the user's sets are shared among the seven
  trained groups with a reference share (:data:`TARGET_SET_SHARE`):
  ``score = 100 x (1 - 0.5 * sum |share_g - target_g|)``, i.e. 100 minus the total-variation
  distance in percent. 100 means sets are spread exactly like the reference, 0 means none
  of them lands where the reference wants them. Full-body and unrecognised exercises are
  left out of the shares; with no sets in any trained group the score is ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from pydantic import BaseModel, Field, TypeAdapter

from workout_coach.muscle_groups import FULL_BODY, OTHER, TRAINED_GROUPS, infer_muscle_group
from workout_common.exercise_record import ExerciseRecord

# Share of weekly sets per group in a balanced general-strength programme: legs and back,
# the largest groups, get the most; arms the least. The shares add up to 1.
TARGET_SET_SHARE: Final[Mapping[str, float]] = {
    "legs": 0.25,
    "back": 0.20,
    "chest": 0.15,
    "shoulders": 0.12,
    "core": 0.10,
    "biceps": 0.09,
    "triceps": 0.09,
}
MAX_LIFTS_IN_CONTEXT: Final = 40


class GroupStats(BaseModel):
    group: str
    exercises: int
    sets: int
    reps: int = Field(description="Total repetitions: sum of sets x reps.")
    volume: float = Field(description="Load volume in weight units: sum of sets x reps x weight.")
    set_share: float | None = Field(
        description="Share (0-1) of the sets in trained groups; None for full_body/other."
    )
    target_share: float | None = Field(description="Reference share (0-1) of a balanced programme.")


class LiftSummary(BaseModel):
    name: str
    group: str
    entries: int
    sets: int
    top_weight: float | None
    typical_reps: int


class WorkoutContext(BaseModel):
    exercise_count: int
    weighted_exercises: int
    bodyweight_exercises: int
    total_sets: int
    total_reps: int
    total_volume: float
    workout_days: list[str]
    groups: list[GroupStats]
    muscle_balance_score: float | None
    lifts: list[LiftSummary] = Field(
        description=f"The most-trained exercises by sets (at most {MAX_LIFTS_IN_CONTEXT})."
    )

    def group(self, name: str) -> GroupStats | None:
        return next((stats for stats in self.groups if stats.group == name), None)

    def lift(self, name: str) -> LiftSummary | None:
        wanted = name.strip().lower()
        return next((lift for lift in self.lifts if lift.name.lower() == wanted), None)


def balance_score(sets_by_group: Mapping[str, int]) -> float | None:
    trained_sets = sum(sets_by_group.get(group, 0) for group in TRAINED_GROUPS)
    if trained_sets <= 0:
        return None
    distance = 0.5 * sum(
        abs(sets_by_group.get(group, 0) / trained_sets - TARGET_SET_SHARE[group])
        for group in TRAINED_GROUPS
    )
    return round(100.0 * (1.0 - distance), 1)


_EXERCISE_LIST: Final = TypeAdapter(list[ExerciseRecord])


def parse_exercises(items: Iterable[Mapping[str, Any]]) -> list[ExerciseRecord]:
    return _EXERCISE_LIST.validate_python(list(items))


def build_context(exercises: Iterable[ExerciseRecord]) -> WorkoutContext:
    """Volume, per-group figures, balance score and top lifts of ``exercises``."""
    group_exercises: dict[str, int] = {}
    group_sets: dict[str, int] = {}
    group_reps: dict[str, int] = {}
    group_volume: dict[str, float] = {}
    lifts: dict[str, dict[str, Any]] = {}
    days: set[str] = set()
    count = weighted = 0
    for exercise in exercises:
        count += 1
        group = infer_muscle_group(exercise.name)
        volume = exercise.volume()
        if exercise.weight:
            weighted += 1
        days.add(exercise.workout_day)
        group_exercises[group] = group_exercises.get(group, 0) + 1
        group_sets[group] = group_sets.get(group, 0) + exercise.sets
        group_reps[group] = group_reps.get(group, 0) + exercise.sets * exercise.reps
        group_volume[group] = group_volume.get(group, 0.0) + volume
        key = exercise.name.strip().lower()
        lift = lifts.setdefault(
            key,
            {
                "name": exercise.name.strip(),
                "group": group,
                "entries": 0,
                "sets": 0,
                "top_weight": None,
                "reps": 0,
            },
        )
        lift["entries"] += 1
        lift["sets"] += exercise.sets
        lift["reps"] += exercise.reps
        if exercise.weight and (lift["top_weight"] is None or exercise.weight > lift["top_weight"]):
            lift["top_weight"] = exercise.weight

    trained_sets = sum(group_sets.get(group, 0) for group in TRAINED_GROUPS)
    groups: list[GroupStats] = []
    for group in (*TRAINED_GROUPS, FULL_BODY, OTHER):
        trained = group in TARGET_SET_SHARE
        if not trained and group not in group_sets:
            continue
        groups.append(
            GroupStats(
                group=group,
                exercises=group_exercises.get(group, 0),
                sets=group_sets.get(group, 0),
                reps=group_reps.get(group, 0),
                volume=round(group_volume.get(group, 0.0), 1),
                set_share=(
                    round(group_sets.get(group, 0) / trained_sets, 4)
                    if trained and trained_sets
                    else (0.0 if trained else None)
                ),
                target_share=TARGET_SET_SHARE.get(group),
            )
        )
    top_lifts = sorted(lifts.values(), key=lambda lift: (-lift["sets"], lift["name"].lower()))
    return WorkoutContext(
        exercise_count=count,
        weighted_exercises=weighted,
        bodyweight_exercises=count - weighted,
        total_sets=sum(group_sets.values()),
        total_reps=sum(group_reps.values()),
        total_volume=round(sum(group_volume.values()), 1),
        workout_days=sorted(days),
        groups=groups,
        muscle_balance_score=balance_score(group_sets),
        lifts=[
            LiftSummary(
                name=lift["name"],
                group=lift["group"],
                entries=lift["entries"],
                sets=lift["sets"],
                top_weight=lift["top_weight"],
                typical_reps=round(lift["reps"] / lift["entries"]),
            )
            for lift in top_lifts[:MAX_LIFTS_IN_CONTEXT]
        ],
    )
