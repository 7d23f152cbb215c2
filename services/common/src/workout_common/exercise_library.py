"""The built-in exercise library: one data file read by the API's migrations and the coach.

``exercise_library.json`` beside this module is the only list of built-in exercises and
the only mapping of library muscles to the coach's muscle groups.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final, Literal, get_args

ExerciseType = Literal[
    "weight_reps",
    "reps_only",
    "bodyweight_reps",
    "bodyweight_assisted_reps",
    "duration",
    "weight_duration",
    "distance_duration",
    "short_distance_weight",
]
Muscle = Literal[
    "abdominals",
    "abductors",
    "adductors",
    "biceps",
    "calves",
    "cardio",
    "chest",
    "forearms",
    "full_body",
    "glutes",
    "hamstrings",
    "lats",
    "lower_back",
    "neck",
    "quadriceps",
    "shoulders",
    "traps",
    "triceps",
    "upper_back",
    "other",
]
Equipment = Literal[
    "barbell",
    "dumbbell",
    "machine",
    "cable",
    "kettlebell",
    "band",
    "bodyweight",
    "plate",
    "other",
    "none",
]

EXERCISE_TYPES: Final[tuple[str, ...]] = get_args(ExerciseType)
MUSCLES: Final[tuple[str, ...]] = get_args(Muscle)
EQUIPMENT: Final[tuple[str, ...]] = get_args(Equipment)

DATA_FILE: Final = "exercise_library.json"


@dataclass(frozen=True)
class LibraryExercise:
    key: str
    name: str
    type: str
    primary_muscle: str
    secondary_muscles: tuple[str, ...]
    equipment: str
    aliases: tuple[str, ...]


def _exercise(entry: dict[str, Any]) -> LibraryExercise:
    exercise = LibraryExercise(
        key=entry["key"],
        name=entry["name"],
        type=entry["type"],
        primary_muscle=entry["primary_muscle"],
        secondary_muscles=tuple(entry["secondary_muscles"]),
        equipment=entry["equipment"],
        aliases=tuple(entry["aliases"]),
    )
    muscles = (exercise.primary_muscle, *exercise.secondary_muscles)
    if (
        exercise.type not in EXERCISE_TYPES
        or exercise.equipment not in EQUIPMENT
        or any(muscle not in MUSCLES for muscle in muscles)
    ):
        raise ValueError(f"exercise library entry {exercise.key!r} uses an unknown value")
    return exercise


@cache
def _document() -> dict[str, Any]:
    text = resources.files("workout_common").joinpath(DATA_FILE).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


@cache
def library() -> tuple[LibraryExercise, ...]:
    """Every built-in exercise, in the file's order."""
    return tuple(_exercise(entry) for entry in _document()["exercises"])


@cache
def coach_groups() -> dict[str, str]:
    """Library muscle → the coach's group (chest, back, shoulders, biceps, triceps, legs,
    core, full_body or other)."""
    groups: dict[str, str] = dict(_document()["coach_groups"])
    missing = set(MUSCLES) - set(groups)
    if missing:
        raise ValueError(f"coach_groups lacks {sorted(missing)}")
    return groups


@cache
def coach_equipment() -> dict[str, str]:
    """Library equipment → the name the coach's requests use (``dumbbell`` → ``dumbbells``)."""
    names: dict[str, str] = dict(_document()["coach_equipment"])
    return names


@dataclass(frozen=True)
class CoachPrescription:
    """A library exercise the offline coach suggests: how it is done and what it needs."""

    exercise: LibraryExercise
    kind: str
    note: str
    equipment: str


@cache
def coach_catalogue() -> tuple[CoachPrescription, ...]:
    by_key = {exercise.key: exercise for exercise in library()}
    equipment_names = coach_equipment()
    return tuple(
        CoachPrescription(
            exercise=by_key[entry["key"]],
            kind=entry["kind"],
            note=entry["note"],
            equipment=entry.get("equipment", equipment_names[by_key[entry["key"]].equipment]),
        )
        for entry in _document()["coach_catalogue"]
    )


def names_of(exercise: LibraryExercise) -> tuple[str, ...]:
    """The exercise's name and every alias."""
    return (exercise.name, *exercise.aliases)
