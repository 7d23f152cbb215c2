"""Exercises the offline coach can prescribe, with the equipment each one needs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from workout_coach.muscle_groups import normalise_name

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


CATALOGUE: Final[tuple[CatalogueExercise, ...]] = (
    CatalogueExercise(
        "Barbell Bench Press",
        "chest",
        "barbell",
        "compound",
        "Shoulder blades pinned, bar to lower chest.",
    ),
    CatalogueExercise(
        "Dumbbell Bench Press",
        "chest",
        "dumbbells",
        "compound",
        "Lower under control, elbows about 45° from the torso.",
    ),
    CatalogueExercise(
        "Incline Dumbbell Press",
        "chest",
        "dumbbells",
        "compound",
        "Bench at 30°; press up and slightly in.",
    ),
    CatalogueExercise(
        "Cable Fly",
        "chest",
        "cables",
        "isolation",
        "Soft elbows, squeeze the hands together at chest height.",
    ),
    CatalogueExercise(
        "Machine Chest Press", "chest", "machine", "compound", "Handles level with mid-chest."
    ),
    CatalogueExercise(
        "Push-Up",
        "chest",
        BODYWEIGHT,
        "compound",
        "Body in one line; elevate the feet to make it harder.",
    ),
    CatalogueExercise(
        "Barbell Row",
        "back",
        "barbell",
        "compound",
        "Hinge to about 45°, pull the bar to the lower ribs.",
    ),
    CatalogueExercise(
        "Pull-Up", "back", PULL_UP_BAR, "compound", "Full hang at the bottom, chin over the bar."
    ),
    CatalogueExercise(
        "One-Arm Dumbbell Row",
        "back",
        "dumbbells",
        "compound",
        "Pull the elbow to the hip, no torso twist.",
    ),
    CatalogueExercise(
        "Lat Pulldown", "back", "cables", "compound", "Pull to the upper chest, chest up."
    ),
    CatalogueExercise(
        "Seated Cable Row", "back", "cables", "compound", "Pause with the shoulder blades squeezed."
    ),
    CatalogueExercise(
        "Kettlebell Row", "back", "kettlebells", "compound", "Brace on a bench, pull to the hip."
    ),
    CatalogueExercise(
        "Band Pull-Apart",
        "back",
        "bands",
        "isolation",
        "Arms straight, stretch the band to the chest.",
    ),
    CatalogueExercise(
        "Superman Hold",
        "back",
        BODYWEIGHT,
        "hold",
        "Lift arms and legs, hold two seconds each rep.",
    ),
    CatalogueExercise(
        "Overhead Press",
        "shoulders",
        "barbell",
        "compound",
        "Glutes tight, bar straight over mid-foot.",
    ),
    CatalogueExercise(
        "Seated Dumbbell Shoulder Press",
        "shoulders",
        "dumbbells",
        "compound",
        "Stop just short of locking out.",
    ),
    CatalogueExercise(
        "Dumbbell Lateral Raise",
        "shoulders",
        "dumbbells",
        "isolation",
        "Lead with the elbows, stop at shoulder height.",
    ),
    CatalogueExercise(
        "Cable Face Pull", "shoulders", "cables", "isolation", "Rope to the forehead, elbows high."
    ),
    CatalogueExercise(
        "Kettlebell Press",
        "shoulders",
        "kettlebells",
        "compound",
        "Bell rests on the forearm at the bottom.",
    ),
    CatalogueExercise(
        "Pike Push-Up",
        "shoulders",
        BODYWEIGHT,
        "compound",
        "Hips high, head travels in front of the hands.",
    ),
    CatalogueExercise(
        "Barbell Curl", "biceps", "barbell", "isolation", "Elbows still at the sides, no swing."
    ),
    CatalogueExercise(
        "Dumbbell Hammer Curl",
        "biceps",
        "dumbbells",
        "isolation",
        "Neutral grip, slow on the way down.",
    ),
    CatalogueExercise(
        "Cable Curl", "biceps", "cables", "isolation", "Constant tension; squeeze at the top."
    ),
    CatalogueExercise(
        "Band Curl", "biceps", "bands", "isolation", "Stand on the band, full range."
    ),
    CatalogueExercise(
        "Chin-Up",
        "biceps",
        PULL_UP_BAR,
        "compound",
        "Palms facing you, pull until the chin clears.",
    ),
    CatalogueExercise(
        "Close-Grip Bench Press",
        "triceps",
        "barbell",
        "compound",
        "Hands shoulder-width, elbows tucked.",
    ),
    CatalogueExercise(
        "Overhead Dumbbell Triceps Extension",
        "triceps",
        "dumbbells",
        "isolation",
        "Elbows point up, full stretch.",
    ),
    CatalogueExercise(
        "Cable Triceps Pushdown",
        "triceps",
        "cables",
        "isolation",
        "Upper arms pinned, lock out each rep.",
    ),
    CatalogueExercise(
        "Bench Dip", "triceps", BODYWEIGHT, "compound", "Shoulders down, elbows straight back."
    ),
    CatalogueExercise(
        "Back Squat",
        "legs",
        "barbell",
        "compound",
        "Brace, knees track the toes, hips below parallel if you can.",
    ),
    CatalogueExercise(
        "Romanian Deadlift",
        "legs",
        "barbell",
        "compound",
        "Hinge at the hips, soft knees, neutral back.",
    ),
    CatalogueExercise(
        "Goblet Squat",
        "legs",
        "dumbbells",
        "compound",
        "Dumbbell at the chest, sit between the heels.",
    ),
    CatalogueExercise(
        "Dumbbell Walking Lunge",
        "legs",
        "dumbbells",
        "compound",
        "Long steps, back knee close to the floor.",
    ),
    CatalogueExercise(
        "Leg Press", "legs", "machine", "compound", "Feet mid-platform, don't lock the knees."
    ),
    CatalogueExercise(
        "Cable Pull-Through", "legs", "cables", "compound", "Hinge back, drive the hips through."
    ),
    CatalogueExercise(
        "Kettlebell Swing",
        "legs",
        "kettlebells",
        "compound",
        "Snap the hips, arms just guide the bell.",
    ),
    CatalogueExercise(
        "Bulgarian Split Squat",
        "legs",
        BODYWEIGHT,
        "compound",
        "Rear foot on a bench; add dumbbells when easy.",
    ),
    CatalogueExercise(
        "Standing Calf Raise", "legs", BODYWEIGHT, "isolation", "Pause at the top and the bottom."
    ),
    CatalogueExercise(
        "Plank", "core", BODYWEIGHT, "hold", "Ribs down, glutes tight; hold for time."
    ),
    CatalogueExercise(
        "Hanging Leg Raise", "core", PULL_UP_BAR, "isolation", "Curl the pelvis up, no swing."
    ),
    CatalogueExercise(
        "Cable Woodchop", "core", "cables", "isolation", "Rotate through the hips, arms long."
    ),
    CatalogueExercise(
        "Dead Bug", "core", BODYWEIGHT, "isolation", "Lower back stays on the floor."
    ),
    CatalogueExercise(
        "Ab Wheel Rollout",
        "core",
        "ab wheel",
        "isolation",
        "Roll out only as far as the back stays flat.",
    ),
)

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


def available_exercises(equipment: Sequence[str]) -> list[CatalogueExercise]:
    """Catalogue entries the equipment allows; floor exercises need nothing, a bar comes with a gym."""
    listed = set(normalise_equipment(equipment))
    have = listed | {BODYWEIGHT}
    if listed & {BODYWEIGHT, "barbell"}:  # a gym's kit, or the contract's default list
        have.add(PULL_UP_BAR)
    return [exercise for exercise in CATALOGUE if exercise.equipment in have]
