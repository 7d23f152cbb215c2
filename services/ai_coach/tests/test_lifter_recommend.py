"""``POST /recommend`` for a signed-in lifter: their own lifts, loads by the progression rule."""

from __future__ import annotations

from typing import Any

from workout_coach.progression import PROGRESSION_RULE
from workout_testkit.training_logs import NOW, TwoLifters

LEGS_BARBELL_45 = {
    "focus_area": "legs",
    "equipment_available": ["barbell"],
    "session_duration_minutes": 45,
}


async def test_a_barbell_legs_session_takes_loads_from_the_last_sessions(
    make_coach: Any, two_lifters: TwoLifters
) -> None:
    async with make_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        answer = await coach.post(
            "/recommend", json=LEGS_BARBELL_45, headers=two_lifters.squatter.headers
        )
    assert answer.status_code == 200, answer.text
    plan = answer.json()
    lifts = {e["name"]: e for e in plan["exercises"]}
    assert list(lifts) == ["Barbell Back Squat", "Romanian Deadlift"]
    # Squat 5x5 at 102.5 kg, every set at 5 -> +5 kg (lower body).
    squat = lifts["Barbell Back Squat"]
    assert (squat["sets"], squat["reps"], squat["weight_suggestion"]) == (5, "3-5", "107.5 kg")
    assert "Rest 3-5 min" in squat["notes"]
    assert "5x5 at 102.5 kg logged" in squat["notes"]
    rdl = lifts["Romanian Deadlift"]
    assert (rdl["sets"], rdl["reps"], rdl["weight_suggestion"]) == (3, "6-8", "95 kg")
    assert "Rest 1.5-2 min" in rdl["notes"]
    assert plan["estimated_duration_minutes"] <= 45
    assert plan["based_on"]["exercises"] == ["Barbell Back Squat", "Romanian Deadlift"]
    assert plan["based_on"]["progression_rule"] == PROGRESSION_RULE
    assert plan["based_on"]["workouts"] == 6
    # Legs had 8 hard sets on Monday evening, within 48 hours: the plan says so.
    assert plan["based_on"]["recovering_groups"] == ["legs"]
    assert any("last 48 hours" in tip for tip in plan["tips"])


async def test_without_a_focus_groups_trained_hard_in_the_last_48_hours_are_left_out(
    make_coach: Any, two_lifters: TwoLifters
) -> None:
    async with make_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        answer = await coach.post(
            "/recommend",
            json={"session_duration_minutes": 60},
            headers=two_lifters.squatter.headers,
        )
    plan = answer.json()
    names = [e["name"] for e in plan["exercises"]]
    assert "Barbell Back Squat" not in names
    assert "Romanian Deadlift" not in names
    assert {e["muscle_group"] for e in plan["exercises"]} <= {"chest", "back", "shoulders"}
    bench = next(e for e in plan["exercises"] if e["name"] == "Barbell Bench Press")
    # 5/4/4/3/3 at 80 kg: within the 3-5 range, not all at 5 -> same weight, add reps.
    assert bench["weight_suggestion"] == "80 kg"
    assert any("legs" in tip for tip in plan["tips"])


async def test_each_lifter_gets_a_plan_from_their_own_lifts(
    make_coach: Any, two_lifters: TwoLifters
) -> None:
    async with make_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        answer = await coach.post(
            "/recommend",
            json={"focus_area": "back", "equipment_available": ["barbell"]},
            headers=two_lifters.deadlifter.headers,
        )
    plan = answer.json()
    deadlift = next(e for e in plan["exercises"] if e["name"] == "Conventional Deadlift")
    assert deadlift["weight_suggestion"] == "150 kg"  # 3x5 at 145 kg -> +5 kg
    assert "Barbell Row" not in [e["name"] for e in plan["exercises"]]  # the squatter's lift


async def test_anonymous_recommendations_keep_the_contract_shape(
    make_coach: Any, two_lifters: TwoLifters
) -> None:
    async with make_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        answer = await coach.post("/recommend", json=LEGS_BARBELL_45)
    assert answer.status_code == 200
    assert "based_on" not in answer.json()
    assert "107.5 kg" not in str(answer.json())
