"""Double progression: the next session's load of a lift from the lifter's last two sessions.

* The rep range's top is the most reps done in a working set at the top weight in the last
  two sessions; its bottom is 2 below for up to 8 reps, 4 below above that (5 → 3-5,
  8 → 6-8, 12 → 8-12).
* Every working set at the top weight reached the top of the range → add
  :data:`UPPER_BODY_STEP_KG` (upper body) or :data:`LOWER_BODY_STEP_KG` (lower body).
* A failed session (a working set not completed or below the range's bottom) → repeat the
  weight; two failed sessions in a row → deload by :data:`DELOAD_SHARE`, rounded to
  :data:`PLATE_STEP_KG`.
* Otherwise (all sets in range, not all at the top) → same weight, add reps.

Rest follows the rep range: 1-5 reps 3-5 minutes, 6-12 reps 1.5-2 minutes, more 1 minute.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from workout_coach.muscle_groups import infer_muscle_group, library_exercise
from workout_coach.user_log import LoggedSet, Session

UPPER_BODY_STEP_KG: Final = 2.5
LOWER_BODY_STEP_KG: Final = 5.0
DELOAD_SHARE: Final = 0.10
PLATE_STEP_KG: Final = 2.5
LOWER_BODY_MUSCLES: Final = frozenset(
    {"quadriceps", "hamstrings", "glutes", "calves", "adductors", "abductors", "lower_back"}
)
PROGRESSION_RULE: Final = (
    "Double progression: when every working set reaches the top of the rep range, add "
    f"{UPPER_BODY_STEP_KG:g} kg (upper body) or {LOWER_BODY_STEP_KG:g} kg (lower body); after a "
    "failed session (a set missed or below the range) repeat the weight; after two failed "
    f"sessions in a row deload {DELOAD_SHARE:.0%}."
)

Decision = Literal["progress", "add_reps", "repeat", "deload", "bodyweight"]


@dataclass(frozen=True)
class Rest:
    low_minutes: float
    high_minutes: float

    @property
    def midpoint(self) -> float:
        return (self.low_minutes + self.high_minutes) / 2

    def __str__(self) -> str:
        return f"{self.low_minutes:g}-{self.high_minutes:g} min"


def rest_for(top_reps: int) -> Rest:
    """Rest between sets by rep range: heavy sets need the longest."""
    if top_reps <= 5:
        return Rest(3, 5)
    if top_reps <= 12:
        return Rest(1.5, 2)
    return Rest(1, 1)


def is_lower_body(name: str) -> bool:
    known = library_exercise(name)
    if known is not None:
        return known.primary_muscle in LOWER_BODY_MUSCLES
    return infer_muscle_group(name) == "legs" or "deadlift" in name.lower()


def round_to_plates(weight: float) -> float:
    """To the nearest :data:`PLATE_STEP_KG` (halves round down)."""
    return PLATE_STEP_KG * math.ceil(weight / PLATE_STEP_KG - 0.5)


@dataclass(frozen=True)
class Performance:
    """The working sets at a session's top weight."""

    weight: float | None
    reps: tuple[int, ...]
    missed: bool  # a working set was not completed

    @classmethod
    def of(cls, sets: Sequence[LoggedSet]) -> Performance | None:
        working = [s for s in sets if s.working and s.reps is not None]
        if not working:
            return None
        weights = [s.weight_kg for s in working if s.weight_kg]
        top = max(weights) if weights else None
        at_top = [s for s in working if (s.weight_kg or None) == top]
        return cls(
            weight=top,
            reps=tuple(s.reps or 0 for s in at_top),
            missed=any(not s.completed for s in at_top),
        )

    def __str__(self) -> str:
        reps = (
            f"{len(self.reps)}x{self.reps[0]}"
            if len(set(self.reps)) == 1
            else "/".join(str(r) for r in self.reps)
        )
        return f"{reps} at {self.weight:g} kg" if self.weight else f"{reps} (bodyweight)"


@dataclass(frozen=True)
class Prescription:
    exercise: str
    last: Performance
    decision: Decision
    weight: float | None
    sets: int
    reps_low: int
    reps_high: int

    @property
    def rest(self) -> Rest:
        return rest_for(self.reps_high)

    @property
    def reps(self) -> str:
        return (
            str(self.reps_high)
            if self.reps_low == self.reps_high
            else f"{self.reps_low}-{self.reps_high}"
        )

    @property
    def target(self) -> str:
        load = f"{self.weight:g} kg" if self.weight else "bodyweight"
        return f"{load} x {self.sets}x{self.reps_high}"

    @property
    def reason(self) -> str:
        why = {
            "progress": f"every set reached {self.reps_high}: add weight",
            "add_reps": f"sets in the {self.reps} range but not all at {self.reps_high}: same weight, add reps",
            "repeat": "last session missed the range: repeat the weight",
            "deload": f"two sessions in a row missed the range: deload {DELOAD_SHARE:.0%}",
            "bodyweight": f"bodyweight: add a rep to each set up to {self.reps_high}",
        }[self.decision]
        return f"{self.exercise} {self.last} logged ({why}) -> next session {self.target}"


def rep_range(performances: Sequence[Performance]) -> tuple[int, int]:
    top = max(max(p.reps) for p in performances)
    return max(1, top - (2 if top <= 8 else 4)), top


def _failed(performance: Performance, bottom: int) -> bool:
    return performance.missed or min(performance.reps) < bottom


def prescribe(exercise: str, sessions: Sequence[Session]) -> Prescription | None:
    """The next session of ``exercise`` from its last sessions (newest first)."""
    performances = [p for p in (Performance.of(s.sets) for s in sessions[:2]) if p is not None]
    if not performances:
        return None
    last = performances[0]
    low, high = rep_range(performances)
    decision: Decision
    weight = last.weight
    if last.weight is None:
        decision = "bodyweight"
    elif _failed(last, low):
        both = len(performances) > 1 and _failed(performances[1], low)
        decision = "deload" if both else "repeat"
        if both:
            weight = round_to_plates(last.weight * (1 - DELOAD_SHARE))
    elif all(reps >= high for reps in last.reps):
        decision = "progress"
        weight = last.weight + (
            LOWER_BODY_STEP_KG if is_lower_body(exercise) else UPPER_BODY_STEP_KG
        )
    else:
        decision = "add_reps"
    return Prescription(
        exercise=exercise,
        last=last,
        decision=decision,
        weight=weight,
        sets=len(last.reps),
        reps_low=low,
        reps_high=high,
    )
