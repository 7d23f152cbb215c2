from __future__ import annotations

import pytest

from workout_coach.muscle_groups import infer_muscle_group, normalise_name


@pytest.mark.parametrize(
    ("name", "group"),
    [
        ("Bench Press", "chest"),
        ("Incline Dumbbell Press", "chest"),
        ("Push-Ups", "chest"),
        ("Cable Fly", "chest"),
        ("Close-Grip Bench Press", "triceps"),
        ("Tricep Pushdown", "triceps"),
        ("Dips", "triceps"),
        ("Barbell Row", "back"),
        ("Pull-Up", "back"),
        ("Chin-ups", "back"),
        ("Lat Pulldown", "back"),
        ("Deadlift", "back"),
        ("Romanian Deadlift", "legs"),
        ("Back Squat", "legs"),
        ("Leg Curl", "legs"),
        ("Walking Lunges", "legs"),
        ("Calf Raise", "legs"),
        ("Overhead Press", "shoulders"),
        ("Lateral Raise", "shoulders"),
        ("Upright Row", "shoulders"),
        ("Face Pull", "shoulders"),
        ("Hammer Curl", "biceps"),
        ("Barbell Curls", "biceps"),
        ("Plank", "core"),
        ("Hanging Leg Raise", "core"),
        ("Crunches", "core"),
        ("Burpees", "full_body"),
        ("Power Clean", "full_body"),
        ("Rowing Machine Intervals", "other"),
        ("Mystery Move", "other"),
    ],
)
def test_common_lifts_map_to_their_muscle_group(name: str, group: str) -> None:
    assert infer_muscle_group(name) == group


def test_names_are_matched_case_and_punctuation_insensitively() -> None:
    assert normalise_name("  PULL-up__Bar ") == "pull up bar"
    assert infer_muscle_group("BENCH-PRESS") == "chest"
