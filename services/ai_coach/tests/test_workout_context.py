from __future__ import annotations

import itertools

import pytest
from pydantic import ValidationError

from workout_coach.workout_context import (
    MAX_LIFTS_IN_CONTEXT,
    TARGET_SET_SHARE,
    balance_score,
    build_context,
    parse_exercises,
)
from workout_common.exercise_record import ExerciseRecord

_ids = itertools.count(1)


def ex(
    name: str, sets: int, reps: int, weight: float | None = None, day: str = "A"
) -> ExerciseRecord:
    return ExerciseRecord(
        id=next(_ids), name=name, sets=sets, reps=reps, weight=weight, workout_day=day
    )


def test_volume_is_sets_times_reps_times_weight_and_zero_for_bodyweight() -> None:
    assert ex("Squat", 4, 8, 80.0).volume() == 2560.0
    assert ex("Push-Ups", 3, 15).volume() == 0.0
    assert ex("Plank", 3, 15, 0.0).volume() == 0.0


def test_target_shares_add_up_to_one() -> None:
    assert sum(TARGET_SET_SHARE.values()) == pytest.approx(1.0)


def test_balance_score_is_100_for_the_reference_split_and_low_for_one_group() -> None:
    reference = {group: round(share * 100) for group, share in TARGET_SET_SHARE.items()}
    assert balance_score(reference) == 100.0
    # all sets on chest: distance = 1 - 0.15 -> score 15
    assert balance_score({"chest": 12}) == 15.0
    assert balance_score({}) is None
    assert balance_score({"other": 5, "full_body": 3}) is None


def test_context_figures_come_from_the_exercises() -> None:
    context = build_context(
        [
            ex("Bench Press", 4, 8, 80, "A"),
            ex("Push-Ups", 3, 15, None, "A"),
            ex("Back Squat", 5, 5, 100, "B"),
            ex("Mystery Move", 2, 10, None, "C"),
        ]
    )
    assert context.exercise_count == 4
    assert context.weighted_exercises == 2
    assert context.bodyweight_exercises == 2
    assert context.total_sets == 14
    assert context.total_reps == 32 + 45 + 25 + 20
    assert context.total_volume == 2560 + 2500
    assert context.workout_days == ["A", "B", "C"]
    chest = context.group("chest")
    assert chest is not None
    assert (chest.exercises, chest.sets, chest.reps, chest.volume) == (2, 7, 77, 2560.0)
    legs = context.group("legs")
    assert legs is not None
    assert legs.set_share == pytest.approx(5 / 12, abs=1e-4)
    back = context.group("back")
    assert back is not None
    assert back.sets == 0
    assert back.set_share == 0.0
    other = context.group("other")
    assert other is not None
    assert other.set_share is None
    assert other.sets == 2
    # chest 7/12, legs 5/12 of trained sets against the reference split
    expected = 100 * (
        1 - 0.5 * (abs(7 / 12 - 0.15) + abs(5 / 12 - 0.25) + 0.20 + 0.12 + 0.10 + 0.09 + 0.09)
    )
    assert context.muscle_balance_score == pytest.approx(round(expected, 1))


def test_lifts_are_grouped_by_name_with_the_top_weight_and_capped() -> None:
    exercises = [ex("Bench Press", 3, 8, 70), ex("bench press", 3, 6, 85), ex("Plank", 3, 1)]
    exercises += [ex(f"Curl variation {i}", 1, 10, 10) for i in range(MAX_LIFTS_IN_CONTEXT + 5)]
    context = build_context(exercises)
    assert len(context.lifts) == MAX_LIFTS_IN_CONTEXT
    bench = context.lift("BENCH PRESS")
    assert bench is not None
    assert (bench.entries, bench.sets, bench.top_weight, bench.typical_reps) == (2, 6, 85.0, 7)
    assert context.lifts[0].name == "Bench Press"  # most sets first


def test_empty_log_gives_an_empty_context_without_a_score() -> None:
    context = build_context([])
    assert context.exercise_count == 0
    assert context.muscle_balance_score is None
    assert context.total_volume == 0


def test_api_items_are_validated() -> None:
    items = [{"id": 1, "name": "Row", "sets": 3, "reps": 10, "weight": None, "workout_day": "B"}]
    assert parse_exercises(items)[0].workout_day == "B"
    with pytest.raises(ValidationError):
        parse_exercises([{"id": 2, "name": "Row", "sets": "many", "reps": 10}])
