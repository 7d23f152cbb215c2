"""The offline coach through pydantic-ai: typed, deterministic answers from the given figures."""

from __future__ import annotations

import pytest

from workout_coach.agents import analyze_agent, chat_agent, recommend_agent
from workout_coach.answer_cache import normalised_request
from workout_coach.coach_prompts import coach_prompt
from workout_coach.exercise_catalogue import CATALOGUE, available_exercises, normalise_equipment
from workout_coach.offline_coach import (
    MINUTES_PER_SET,
    WARM_UP_MINUTES,
    offline_model,
    session_shape,
)
from workout_coach.schemas import (
    MuscleGroup,
    ProgressAnalysisDraft,
    RecommendationRequest,
    WorkoutRecommendation,
)
from workout_coach.workout_context import WorkoutContext, build_context
from workout_common.exercise_record import ExerciseRecord

CATALOGUE_GROUPS = {exercise.name: exercise.group for exercise in CATALOGUE}


def upper_body_log() -> WorkoutContext:
    rows = [
        ("Bench Press", 4, 8, 80.0),
        ("Incline Dumbbell Press", 3, 10, 30.0),
        ("Push-Ups", 3, 15, None),
        ("Barbell Row", 3, 8, 60.0),
        ("Bicep Curl", 3, 12, 15.0),
        ("Plank", 3, 1, None),
    ]
    return build_context(
        ExerciseRecord(id=i, name=n, sets=s, reps=r, weight=w)
        for i, (n, s, r, w) in enumerate(rows, 1)
    )


async def run_recommend(
    request: RecommendationRequest, context: WorkoutContext | None
) -> WorkoutRecommendation:
    prompt = coach_prompt("recommend", normalised_request(request), context)
    return (await recommend_agent.run(prompt, model=offline_model())).output


async def run_analyze(context: WorkoutContext) -> ProgressAnalysisDraft:
    return (
        await analyze_agent.run(coach_prompt("analyze", {}, context), model=offline_model())
    ).output


async def run_chat(message: str, context: WorkoutContext | None) -> str:
    prompt = coach_prompt("chat", {"message": message}, context)
    return (await chat_agent.run(prompt, model=offline_model())).output


@pytest.mark.parametrize("duration", [15, 20, 30, 45, 60, 90, 120, 180])
def test_session_shape_fits_the_duration(duration: int) -> None:
    exercises, sets_each = session_shape(duration)
    assert exercises >= 1
    assert sets_each >= 2
    assert WARM_UP_MINUTES + exercises * sets_each * MINUTES_PER_SET <= duration


def test_longer_sessions_get_more_work() -> None:
    volumes = [session_shape(d)[0] * session_shape(d)[1] for d in (15, 30, 60, 90, 180)]
    assert volumes == sorted(volumes)
    assert volumes[0] < volumes[-1]


def test_equipment_names_are_normalised() -> None:
    assert normalise_equipment([" Dumbbell", "dumbbells", "Cable machine", "BODY WEIGHT"]) == [
        "bodyweight",
        "cables",
        "dumbbells",
    ]


def test_equipment_limits_the_catalogue() -> None:
    names = {exercise.equipment for exercise in available_exercises(["dumbbells"])}
    assert names <= {"dumbbells", "bodyweight"}
    assert "pull-up bar" not in {e.equipment for e in available_exercises(["none"])}
    assert "pull-up bar" in {e.equipment for e in available_exercises(["barbell"])}


async def test_recommendation_honours_focus_equipment_and_duration() -> None:
    request = RecommendationRequest(
        focus_area=MuscleGroup.CHEST, equipment_available=["Dumbbell"], session_duration_minutes=45
    )
    answer = await run_recommend(request, upper_body_log())
    allowed = {exercise.name for exercise in available_exercises(["dumbbells"])}
    assert all(exercise.name in allowed for exercise in answer.exercises)
    assert answer.exercises[0].muscle_group == "chest"
    assert sum(e.muscle_group == "chest" for e in answer.exercises) >= 3
    assert all(
        CATALOGUE_GROUPS[e.name] in {"chest", "triceps", "shoulders"} for e in answer.exercises
    )
    total_sets = sum(exercise.sets for exercise in answer.exercises)
    assert answer.estimated_duration_minutes <= 45
    assert answer.estimated_duration_minutes >= WARM_UP_MINUTES + total_sets * MINUTES_PER_SET
    assert "Chest" in answer.title
    # grounded: the logged incline press weight is suggested back, the chest share is quoted
    incline = next(e for e in answer.exercises if e.name == "Incline Dumbbell Press")
    assert incline.weight_suggestion is not None
    assert "30" in incline.weight_suggestion
    assert "53%" in answer.description  # 10 of 19 trained sets are chest


async def test_short_session_has_few_exercises_and_long_session_many() -> None:
    short = await run_recommend(RecommendationRequest(session_duration_minutes=15), None)
    long = await run_recommend(RecommendationRequest(session_duration_minutes=120), None)
    assert len(short.exercises) < len(long.exercises)
    assert short.estimated_duration_minutes <= 15
    assert long.estimated_duration_minutes <= 120


async def test_balanced_session_starts_with_the_groups_the_user_neglects() -> None:
    answer = await run_recommend(RecommendationRequest(), upper_body_log())
    first_groups = [exercise.muscle_group for exercise in answer.exercises[:2]]
    assert first_groups == ["legs", "shoulders"]  # none logged; references 25 % and 12 %
    assert any("Legs has 0%" in tip for tip in answer.tips)


async def test_bodyweight_only_session_uses_no_equipment() -> None:
    answer = await run_recommend(
        RecommendationRequest(focus_area=MuscleGroup.LEGS, equipment_available=["none"]), None
    )
    assert {CATALOGUE_GROUPS[e.name] for e in answer.exercises} <= {"legs", "core"}
    assert all(e.weight_suggestion == "Bodyweight" for e in answer.exercises)
    assert answer.difficulty == "beginner"


async def test_recommendation_is_deterministic() -> None:
    request = RecommendationRequest(focus_area=MuscleGroup.BACK, session_duration_minutes=60)
    assert await run_recommend(request, upper_body_log()) == await run_recommend(
        request, upper_body_log()
    )


async def test_analysis_strengths_and_gaps_come_from_per_group_volume() -> None:
    context = upper_body_log()
    analysis = await run_analyze(context)
    assert analysis.muscle_balance_score == context.muscle_balance_score
    assert analysis.strengths[0].startswith("Chest: 10 sets over 3 exercises, 53% of your sets")
    assert [line.split(":")[0] for line in analysis.areas_to_improve[:3]] == [
        "Legs",
        "Shoulders",
        "Triceps",
    ]
    assert "no exercises logged" in analysis.areas_to_improve[0]
    # 19 trained sets: legs needs (0.25 * 19 - 0) / 0.75 = 6.3 -> 7 sets to reach its share
    assert analysis.recommendations[0].startswith("Add about 7 sets of legs work")
    assert "19 sets" in analysis.summary
    assert str(context.muscle_balance_score) in analysis.summary


async def test_balanced_log_has_no_gaps() -> None:
    rows = [
        ("Back Squat", 5),
        ("Barbell Row", 4),
        ("Bench Press", 3),
        ("Overhead Press", 3),
        ("Plank", 2),
        ("Barbell Curl", 2),
        ("Tricep Pushdown", 2),
    ]
    context = build_context(
        ExerciseRecord(id=i, name=n, sets=s, reps=8, weight=40) for i, (n, s) in enumerate(rows, 1)
    )
    analysis = await run_analyze(context)
    assert analysis.areas_to_improve == []
    assert analysis.recommendations[0].startswith("Keep the current split")
    assert analysis.muscle_balance_score is not None
    assert analysis.muscle_balance_score > 90


async def test_chat_quotes_the_figures_for_the_group_asked_about() -> None:
    answer = await run_chat("Am I doing enough for my legs?", upper_body_log())
    assert "6 exercises, 19 sets" in answer
    assert "no legs exercises logged" in answer
    assert "Back Squat" in answer


async def test_chat_without_context_says_so() -> None:
    answer = await run_chat("How should I train chest?", None)
    assert answer.startswith("This is general advice, not based on your training log")
    assert "Barbell Bench Press" in answer


async def test_an_empty_log_gets_general_advice_not_gaps() -> None:
    empty = build_context([])
    answer = await run_chat("What should I do?", empty)
    assert answer.startswith("Your workout log has no exercises yet")
    session = await run_recommend(RecommendationRequest(), empty)
    assert not any("of your sets" in tip for tip in session.tips)
    assert session.difficulty == "beginner"


def test_the_analysis_of_a_lifters_log_reads_as_a_coach_writes_it() -> None:
    from datetime import UTC, date, datetime

    from workout_coach.offline_coach import analyze_log
    from workout_coach.schemas import (
        GroupWeeklySets,
        RecordInPeriod,
        StalledLift,
        TrainingLogAnalysis,
    )

    def group(name: str, average: float, status: str) -> GroupWeeklySets:
        return GroupWeeklySets(
            group=name,
            sets_per_week=[int(average)] * 4,
            average=average,
            sessions_per_week=1,
            status=status,  # type: ignore[arg-type]
            suggestion=None if status == "within" else f"Add sets for {name}.",
        )

    log = TrainingLogAnalysis(
        weeks=4,
        period_start=date(2026, 11, 9),
        period_end=date(2026, 12, 7),
        week_starts=[date(2026, 11, 9 + 7 * n) for n in range(4)],
        workouts=8,
        workouts_per_week=2,
        hard_sets=120,
        target_sets_per_week=(10, 20),
        groups=[
            group("legs", 12, "within"),
            group("chest", 2, "below"),
            group("back", 0, "below"),
            group("shoulders", 4, "below"),
            group("core", 24, "above"),
        ],
        records=[
            RecordInPeriod(
                exercise="Barbell Back Squat",
                kind="best_e1rm",
                value=134.2,
                achieved_at=datetime(2026, 12, 5, tzinfo=UTC),
            ),
            RecordInPeriod(
                exercise="Barbell Back Squat",
                kind="rep_max_5",
                value=115,
                achieved_at=datetime(2026, 12, 5, tzinfo=UTC),
            ),
        ],
        stalled_lifts=[
            StalledLift(
                exercise="Barbell Bench Press",
                sessions=4,
                first_e1rm=93.3,
                best_since=93.3,
                suggestion="Deload the bench press by 10%.",
            )
        ],
    )
    draft = analyze_log(log, 40.0)

    assert draft.summary.startswith("Last 4 weeks (9 Nov 2026 to 7 Dec 2026): 8 workouts")
    assert "New record: Barbell Back Squat, best estimated 1RM 134.2 kg" in draft.strengths
    assert "New record: Barbell Back Squat, 5-rep max 115 kg" in draft.strengths
    # One line for the groups below target, the furthest first, not one line per group.
    assert draft.areas_to_improve[0] == (
        "Below 10 hard sets a week: back (0), chest (2), shoulders (4)."
    )
    assert draft.areas_to_improve[1].startswith("Above 20 hard sets a week: core (24)")
    # First the stalled lift, then the two groups furthest below the target.
    assert draft.recommendations == [
        "Deload the bench press by 10%.",
        "Add sets for back.",
        "Add sets for chest.",
    ]
