"""Exercises the offline coach can prescribe, with the equipment each one needs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal, cast, get_args

from workout_coach.muscle_groups import library_exercise, normalise_name
from workout_common.exercise_library import coach_catalogue, coach_equipment, coach_groups

Kind = Literal["compound", "isolation", "hold"]

BODYWEIGHT: Final = "bodyweight"
PULL_UP_BAR: Final = "pull-up bar"

_EQUIPMENT_ALIASES: Final = {
    "barbells": "barbell",
    "bar": "barbell",
    "dumbbell": "dumbbells",
    "db": "dumbbells",
    "dbs": "dumbbells",
    "cable": "cables",
    "cable machine": "cables",
    "cable station": "cables",
    "body weight": BODYWEIGHT,
    "bodyweight only": "none",
    "no equipment": "none",
    "kettlebell": "kettlebells",
    "kb": "kettlebells",
    "machines": "machine",
    "band": "bands",
    "resistance band": "bands",
    "resistance bands": "bands",
    "pull up bar": PULL_UP_BAR,
    "pullup bar": PULL_UP_BAR,
    "chin up bar": PULL_UP_BAR,
}


@dataclass(frozen=True)
class CatalogueExercise:
    name: str
    group: str
    equipment: str
    kind: Kind
    note: str


def _catalogue() -> tuple[CatalogueExercise, ...]:
    """The coach's exercises, from the exercise library's data file (names, muscles and
    equipment shared with the API; kind and note are the coach's own columns there)."""
    groups = coach_groups()
    catalogue = []
    for entry in coach_catalogue():
        kind = entry.kind
        if kind not in get_args(Kind):
            raise ValueError(f"unknown exercise kind {kind!r} in the exercise library")
        catalogue.append(
            CatalogueExercise(
                entry.exercise.name,
                groups[entry.exercise.primary_muscle],
                entry.equipment,
                cast(Kind, kind),
                entry.note,
            )
        )
    return tuple(catalogue)


CATALOGUE: Final[tuple[CatalogueExercise, ...]] = _catalogue()

# Groups that share work with the focus group, used when the focus group alone cannot fill a session.
RELATED_GROUPS: Final = {
    "chest": ("triceps", "shoulders"),
    "back": ("biceps", "shoulders"),
    "shoulders": ("triceps", "chest"),
    "biceps": ("back",),
    "triceps": ("chest", "shoulders"),
    "legs": ("core",),
    "core": ("legs",),
}


def normalise_equipment(items: Iterable[str]) -> list[str]:
    """Canonical, de-duplicated, sorted equipment names ("Dumbbell" and "dumbbells" are one)."""
    names: set[str] = set()
    for item in items:
        key = normalise_name(item)
        if key:
            names.add(_EQUIPMENT_ALIASES.get(key, key))
    return sorted(names)


def usable_equipment(equipment: Sequence[str]) -> set[str]:
    """The kit the listed equipment gives: floor exercises need nothing, a bar comes with a gym."""
    listed = set(normalise_equipment(equipment))
    have = listed | {BODYWEIGHT}
    if listed & {BODYWEIGHT, "barbell"}:  # a gym's kit, or the contract's default list
        have.add(PULL_UP_BAR)
    return have


def available_exercises(equipment: Sequence[str]) -> list[CatalogueExercise]:
    """Catalogue entries the equipment allows."""
    have = usable_equipment(equipment)
    return [exercise for exercise in CATALOGUE if exercise.equipment in have]


_NAMED_EQUIPMENT: Final = (
    ("barbell", "barbell"),
    ("dumbbell", "dumbbells"),
    ("cable", "cables"),
    ("kettlebell", "kettlebells"),
    ("machine", "machine"),
    ("smith", "machine"),
    ("band", "bands"),
)


def equipment_of(name: str) -> str:
    """What a logged exercise needs: the library's answer, else a word of its name."""
    known = library_exercise(name)
    if known is not None:
        return coach_equipment().get(known.equipment, "other")
    normalised = normalise_name(name)
    return next((kit for word, kit in _NAMED_EQUIPMENT if word in normalised), "other")
