"""The built-in offline coach: a deterministic pydantic-ai model grounded in the user's figures.

It answers every task from the values the prompt carries (:mod:`workout_coach.coach_prompts`),
so it gives the same request and context the same answer, needs no network and never makes
up a number: every figure it quotes comes from the computed workout context.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any, Final

from pydantic_ai import StructuredContent
from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    TextPart,
    ToolCallPart,
    UserPromptPart,
)
from pydantic_ai.models.function import AgentInfo, FunctionModel

from workout_coach.coach_prompts import CONTEXT_TAG, LOG_TAG, REQUEST_TAG
from workout_coach.coach_questions import (
    GENERAL_OPENING,
    answer_from_log,
    general_answer,
    recognise,
)
from workout_coach.exercise_catalogue import (
    BODYWEIGHT,
    PULL_UP_BAR,
    RELATED_GROUPS,
    CatalogueExercise,
    available_exercises,
    normalise_equipment,
)
from workout_coach.lifter_summary import LifterSummary
from workout_coach.muscle_groups import TRAINED_GROUPS
from workout_coach.progression import rest_for
from workout_coach.schemas import (
    DEFAULT_EQUIPMENT,
    Difficulty,
    ExerciseRecommendation,
    ProgressAnalysisDraft,
    RecommendationRequest,
    TrainingLogAnalysis,
    WorkoutPlanDraft,
)
from workout_coach.workout_context import TARGET_SET_SHARE, GroupStats, WorkoutContext

OFFLINE_MODEL_NAME: Final = "offline:workout-coach"

WARM_UP_MINUTES: Final = 5
MINUTES_PER_SET: Final = 2.5
MAX_EXERCISES: Final = 10
MAX_SETS_PER_EXERCISE: Final = 5
UNDER_TARGET_RATIO: Final = 0.6  # below 60 % of its reference share a group is a gap

_GROUP_LABELS: Final = {
    "chest": "Chest",
    "back": "Back",
    "shoulders": "Shoulders",
    "biceps": "Biceps",
    "triceps": "Triceps",
    "legs": "Legs",
    "core": "Core",
    "full_body": "Full-body",
}
_GROUP_SYNONYMS: Final = {
    "chest": ("chest", "pec", "bench"),
    "back": ("back", "lats", "row", "pull-up", "pullup"),
    "shoulders": ("shoulder", "delt", "overhead press"),
    "biceps": ("bicep", "curl"),
    "triceps": ("tricep",),
    "legs": ("leg", "squat", "quad", "hamstring", "glute", "calf", "calves"),
    "core": ("core", "abs", "plank", "six pack", "six-pack"),
}


def label(group: str) -> str:
    return _GROUP_LABELS.get(group, group.replace("_", " ").capitalize())


def percent(share: float | None) -> str:
    return f"{round((share or 0.0) * 100)}%"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def number(value: float) -> str:
    return f"{value:,.1f}".removesuffix(".0")


# --- reading the figures back ------------------------------------------------------------


def _structured_values(messages: Sequence[ModelMessage]) -> dict[str, Any]:
    """The tagged values of the latest user prompt that carries any (retries carry none)."""
    for message in reversed(messages):
        if not isinstance(message, ModelRequest):
            continue
        values: dict[str, Any] = {}
        for part in message.parts:
            if isinstance(part, UserPromptPart) and not isinstance(part.content, str):
                for item in part.content:
                    if isinstance(item, StructuredContent) and item.tag:
                        values[item.tag] = item.value
        if REQUEST_TAG in values:
            return values
    raise ValueError("the offline coach needs a coach request in the prompt")


def _context(values: dict[str, Any]) -> WorkoutContext | None:
    raw = values.get(CONTEXT_TAG)
    return WorkoutContext.model_validate(raw) if raw is not None else None


# --- shared judgements -------------------------------------------------------------------


def _trained(context: WorkoutContext) -> list[GroupStats]:
    return [stats for stats in context.groups if stats.group in TARGET_SET_SHARE]


def gaps(context: WorkoutContext) -> list[GroupStats]:
    """Trained groups below :data:`UNDER_TARGET_RATIO` of their reference share, worst first."""
    under = [
        stats
        for stats in _trained(context)
        if (stats.set_share or 0.0) < UNDER_TARGET_RATIO * TARGET_SET_SHARE[stats.group]
    ]
    return sorted(under, key=lambda s: ((s.set_share or 0.0) - TARGET_SET_SHARE[s.group], s.group))


def strengths(context: WorkoutContext) -> list[GroupStats]:
    """Trained groups at or above their reference share, furthest above first."""
    over = [
        stats
        for stats in _trained(context)
        if stats.sets > 0 and (stats.set_share or 0.0) >= TARGET_SET_SHARE[stats.group]
    ]
    return sorted(over, key=lambda s: (TARGET_SET_SHARE[s.group] - (s.set_share or 0.0), s.group))


def sets_to_reach_target(stats: GroupStats, context: WorkoutContext) -> int:
    """Sets to add to a group so its share reaches the target: (t*T - s) / (1 - t)."""
    target = TARGET_SET_SHARE[stats.group]
    trained_sets = sum(s.sets for s in _trained(context))
    return max(0, math.ceil((target * trained_sets - stats.sets) / (1 - target)))


def _balance_words(score: float | None) -> str:
    if score is None:
        return "no balance score yet (no exercise matched a trained muscle group)"
    quality = "well balanced" if score >= 80 else "fairly balanced" if score >= 60 else "unbalanced"
    return f"muscle-balance score {number(score)}/100 ({quality})"


def _group_line(stats: GroupStats) -> str:
    return (
        f"{label(stats.group)}: {plural(stats.sets, 'set')} over {plural(stats.exercises, 'exercise')}, "
        f"{percent(stats.set_share)} of your sets (reference {percent(stats.target_share)}), "
        f"load volume {number(stats.volume)}"
    )


def _example_names(group: str, equipment: Sequence[str] | None = None, limit: int = 2) -> str:
    names = [
        e.name for e in available_exercises(equipment or DEFAULT_EQUIPMENT) if e.group == group
    ]
    if not names:
        names = [e.name for e in available_exercises(DEFAULT_EQUIPMENT) if e.group == group]
    return " or ".join(names[:limit])


# --- recommendation ----------------------------------------------------------------------


def session_shape(duration_minutes: int) -> tuple[int, int]:
    """(exercises, sets each) fitting the session: 5 min warm-up, about 2.5 min per set."""
    set_budget = max(2, math.floor((duration_minutes - WARM_UP_MINUTES) / MINUTES_PER_SET))
    sets_each = 2 if set_budget < 8 else 3 if set_budget < 20 else 4
    exercises = max(1, min(MAX_EXERCISES, set_budget // sets_each))
    if exercises == MAX_EXERCISES:
        sets_each = min(MAX_SETS_PER_EXERCISE, set_budget // exercises)
    return exercises, sets_each


def _difficulty(context: WorkoutContext | None) -> Difficulty:
    if context is None or context.total_sets < 20 or context.weighted_exercises == 0:
        return "beginner"
    if context.total_sets >= 150 and context.weighted_exercises * 2 >= context.exercise_count:
        return "advanced"
    return "intermediate"


def _group_order(focus: str | None, context: WorkoutContext | None) -> list[str]:
    if focus and focus != "full_body":
        return [focus, *RELATED_GROUPS.get(focus, ())]
    if context is None:
        return ["legs", "back", "chest", "shoulders", "core", "biceps", "triceps"]
    shares = {stats.group: stats.set_share or 0.0 for stats in _trained(context)}
    return sorted(
        TRAINED_GROUPS,
        key=lambda g: (shares.get(g, 0.0) - TARGET_SET_SHARE[g], -TARGET_SET_SHARE[g]),
    )


def _pick_exercises(
    order: Sequence[str], pool: Sequence[CatalogueExercise], count: int, focused: bool
) -> list[CatalogueExercise]:
    by_group = {
        group: sorted(
            (e for e in pool if e.group == group),
            key=lambda e: (e.kind != "compound", e.equipment == BODYWEIGHT),
        )
        for group in order
    }
    chosen: list[CatalogueExercise] = []
    if focused:  # fill from the focus group first, then its related groups in turn
        for group in order:
            for exercise in by_group[group]:
                if len(chosen) < count:
                    chosen.append(exercise)
        return chosen
    while len(chosen) < count and any(by_group.values()):  # one per group, neediest first
        for group in order:
            if by_group[group] and len(chosen) < count:
                chosen.append(by_group[group].pop(0))
    return chosen


def _reps(exercise: CatalogueExercise) -> str:
    if exercise.kind == "hold":
        return "30-45 s"
    if exercise.group == "core":
        return "12-15"
    if exercise.equipment == BODYWEIGHT:
        return "10-20"
    return "6-10" if exercise.kind == "compound" else "10-15"


def _weight_suggestion(exercise: CatalogueExercise, context: WorkoutContext | None) -> str:
    logged = context.lift(exercise.name) if context else None
    if logged and logged.top_weight:
        return (
            f"Start at your logged {number(logged.top_weight)}; add 2.5 when every set "
            "reaches the top of the rep range"
        )
    if exercise.equipment in (BODYWEIGHT, PULL_UP_BAR) or exercise.kind == "hold":
        return "Bodyweight"
    top = _reps(exercise).split("-")[-1]
    return f"A load you can lift for {top} reps with 2 in reserve (RPE 8)"


def recommend(request: RecommendationRequest, context: WorkoutContext | None) -> WorkoutPlanDraft:
    if context is not None and context.exercise_count == 0:
        context = None  # an empty log says nothing about balance or loads
    focus = request.focus_area.value if request.focus_area else None
    equipment = normalise_equipment(request.equipment_available)
    count, sets_each = session_shape(request.session_duration_minutes)
    focused = bool(focus and focus != "full_body")
    order = _group_order(focus, context)
    chosen = _pick_exercises(order, available_exercises(equipment), count, focused)
    total_sets = sets_each * len(chosen)
    duration = min(
        request.session_duration_minutes,
        math.ceil(WARM_UP_MINUTES + total_sets * MINUTES_PER_SET),
    )
    exercises = [
        ExerciseRecommendation(
            name=exercise.name,
            sets=sets_each,
            reps=_reps(exercise),
            weight_suggestion=_weight_suggestion(exercise, context),
            notes=exercise.note,
            muscle_group=exercise.group,
        )
        for exercise in chosen
    ]
    title = (
        f"{label(focus)} session" if focused and focus else "Balanced full-body session"
    ) + f" ({request.session_duration_minutes} min)"
    kit = ", ".join(equipment) if equipment else "bodyweight only"
    description = (
        f"{len(exercises)} exercises x {sets_each} sets with {kit}, "
        f"about {duration} minutes including a {WARM_UP_MINUTES}-minute warm-up."
    )
    tips = [
        f"Warm up for {WARM_UP_MINUTES} minutes, then do one light set of the first exercise.",
        f"Rest by rep range: {rest_for(5)} between sets of 1-5 reps, {rest_for(10)} between "
        "sets of 6-12 reps.",
    ]
    if context is not None:
        if focused and focus and (stats := context.group(focus)):
            description += (
                f" {label(focus)} has {percent(stats.set_share)} of your logged sets "
                f"(reference {percent(stats.target_share)})."
            )
        elif not focused:
            description += " Exercises favour the groups furthest below their reference share."
        for gap in gaps(context)[:2]:
            if gap.group != focus:
                tips.append(
                    f"{label(gap.group)} has {percent(gap.set_share)} of your sets "
                    f"(reference {percent(gap.target_share)}); add {_example_names(gap.group, equipment)} "
                    "to another session this week."
                )
    return WorkoutPlanDraft(
        title=title,
        description=description,
        exercises=exercises,
        estimated_duration_minutes=duration,
        difficulty=_difficulty(context),
        tips=tips,
    )


# --- analysis ----------------------------------------------------------------------------


def analyze(context: WorkoutContext) -> ProgressAnalysisDraft:
    days = len(context.workout_days)
    summary = (
        f"{plural(context.exercise_count, 'exercise')} over {plural(days, 'workout day')}: "
        f"{context.total_sets} sets, {context.total_reps} reps and a load volume of "
        f"{number(context.total_volume)}; {_balance_words(context.muscle_balance_score)}."
    )
    strong = strengths(context)
    weak = gaps(context)
    strength_lines = [_group_line(stats) for stats in strong[:3]]
    if not strength_lines:
        busiest = max(_trained(context), key=lambda s: (s.sets, s.group))
        if busiest.sets:
            strength_lines.append(f"Most consistent group: {_group_line(busiest)}")
    if context.weighted_exercises and context.bodyweight_exercises:
        strength_lines.append(
            f"A mix of {context.weighted_exercises} loaded and "
            f"{context.bodyweight_exercises} bodyweight exercises."
        )
    improve_lines = [
        _group_line(stats) if stats.sets else f"{label(stats.group)}: no exercises logged"
        for stats in weak[:4]
    ]
    unrecognised = context.group("other")
    if unrecognised and unrecognised.exercises:
        improve_lines.append(
            f"{plural(unrecognised.exercises, 'exercise')} could not be matched to a muscle group; "
            "name them after the lift (e.g. 'Barbell Row') so they count."
        )
    recommendations = [
        f"Add about {sets_to_reach_target(stats, context)} sets of {label(stats.group).lower()} "
        f"work, e.g. {_example_names(stats.group)}, to reach the {percent(stats.target_share)} reference share."
        for stats in weak[:3]
    ]
    if not recommendations:
        recommendations.append(
            "Keep the current split and add 2.5 to a lift once every set reaches the top of its rep range."
        )
    if context.weighted_exercises == 0:
        recommendations.append("Log the weight you use so load volume and progress can be tracked.")
    return ProgressAnalysisDraft(
        summary=summary,
        strengths=strength_lines,
        areas_to_improve=improve_lines,
        recommendations=recommendations,
        muscle_balance_score=context.muscle_balance_score,
    )


# --- chat --------------------------------------------------------------------------------


def _mentioned_groups(message: str) -> list[str]:
    text = message.lower()
    return [
        group for group, words in _GROUP_SYNONYMS.items() if any(word in text for word in words)
    ]


def chat(message: str, context: WorkoutContext | None) -> str:
    mentioned = _mentioned_groups(message)
    if context is None or context.exercise_count == 0:
        opening = (
            GENERAL_OPENING
            if context is None
            else "Your workout log has no exercises yet, so this is general advice."
        )
        lines = [opening]
        for group in mentioned[:2] or ["legs", "back"]:
            lines.append(f"For {label(group).lower()}, build around {_example_names(group)}.")
        lines.append("Aim for 10-20 hard sets per muscle group per week and add load gradually.")
        return " ".join(lines)
    lines = [
        f"From your log: {context.exercise_count} exercises, {context.total_sets} sets, "
        f"load volume {number(context.total_volume)}, {_balance_words(context.muscle_balance_score)}."
    ]
    for group in mentioned[:2]:
        stats = context.group(group)
        if stats is None:
            continue
        if stats.sets:
            lines.append(_group_line(stats) + ".")
        else:
            lines.append(f"You have no {label(group).lower()} exercises logged yet.")
        if (stats.set_share or 0.0) < TARGET_SET_SHARE[group]:
            lines.append(
                f"Adding about {sets_to_reach_target(stats, context)} sets, e.g. "
                f"{_example_names(group)}, would bring it to the reference share."
            )
        else:
            lines.append(
                "That is at or above the reference share; keep it there and progress the load."
            )
    if not mentioned:
        weak = gaps(context)
        strong = strengths(context)
        if strong:
            lines.append(f"Strongest area: {_group_line(strong[0])}.")
        if weak:
            gap = weak[0]
            lines.append(
                f"Biggest gap: {label(gap.group).lower()} with {percent(gap.set_share)} of your sets "
                f"(reference {percent(gap.target_share)}); add {_example_names(gap.group)}."
            )
        else:
            lines.append(
                "No muscle group is far below its reference share; keep progressing the load."
            )
    return " ".join(lines)


# --- a signed-in lifter's own log -------------------------------------------------------


RECORD_WORDS = {
    "heaviest_weight": ("heaviest weight", "kg"),
    "best_e1rm": ("best estimated 1RM", "kg"),
    "best_set_volume": ("best set volume", "kg"),
    "most_reps": ("most reps in a set", ""),
}


def record_words(kind: str, value: float) -> str:
    """``best_e1rm`` 134.2 as "best estimated 1RM 134.2 kg"; ``rep_max_5`` as "5-rep max"."""
    if kind.startswith("rep_max_"):
        words, unit = f"{kind.removeprefix('rep_max_')}-rep max", "kg"
    else:
        words, unit = RECORD_WORDS.get(kind, (kind.replace("_", " "), ""))
    return f"{words} {number(value)}{' ' + unit if unit else ''}"


def day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def analyze_log(log: TrainingLogAnalysis, score: float | None) -> ProgressAnalysisDraft:
    """Words the computed figures of a lifter's period; quotes them, adds none.

    Each group's own suggestion travels with its figures (``training_log.groups``); the lists
    here name the few things to act on first rather than repeat every group.
    """
    low, high = log.target_sets_per_week
    summary = (
        f"Last {plural(log.weeks, 'week')} ({day(log.period_start)} to "
        f"{day(log.period_end)}): {plural(log.workouts, 'workout')} "
        f"({log.workouts_per_week:g} a week), {plural(log.hard_sets, 'hard set')}, "
        f"{plural(len(log.records), 'personal record')}; {_balance_words(score)}."
    )
    within = [g for g in log.groups if g.status == "within"]
    strengths_ = [
        f"{label(g.group)}: {g.average:g} hard sets a week, within the {low}-{high} target"
        for g in within
    ]
    strengths_ += [
        f"New record: {r.exercise}, {record_words(r.kind, r.value)}" for r in log.records[:3]
    ]
    below = sorted((g for g in log.groups if g.status == "below"), key=lambda g: g.average)
    above = [g for g in log.groups if g.status == "above"]
    improve = []
    if below:
        groups = ", ".join(f"{label(g.group).lower()} ({g.average:g})" for g in below)
        improve.append(f"Below {low} hard sets a week: {groups}.")
    if above:
        groups = ", ".join(f"{label(g.group).lower()} ({g.average:g})" for g in above)
        improve.append(f"Above {high} hard sets a week: {groups}; recovery may suffer.")
    improve += [
        f"{lift.exercise}: stalled, e1RM {number(lift.first_e1rm)} kg with no gain since"
        for lift in log.stalled_lifts
    ]
    # What to do first: the stalled lifts, then the two groups furthest below the target.
    recommendations = [lift.suggestion for lift in log.stalled_lifts]
    recommendations += [g.suggestion for g in below[:2] if g.suggestion]
    if not recommendations:
        recommendations.append(
            "Keep the split: every group is within target and no lift has stalled; progress "
            "by double progression."
        )
    return ProgressAnalysisDraft(
        summary=summary,
        strengths=strengths_ or ["Consistency: keep logging every session."],
        areas_to_improve=improve,
        recommendations=recommendations,
        muscle_balance_score=score,
    )


def chat_with_log(message: str, summary: LifterSummary) -> str:
    answered = answer_from_log(recognise(message), summary)
    if answered is not None:
        return answered
    lines = [
        f"From your log: {plural(summary.workouts_in_period, 'workout')} in the last "
        f"{summary.weeks} weeks."
    ]
    lines += [
        f"{t.name}: last {t.last_performance}, next {t.next_session}."
        for t in summary.lifts[:3]
        if t.last_performance
    ]
    below = [g.group for g in summary.groups if g.status == "below"]
    if below:
        low = summary.target_sets_per_week[0]
        lines.append(f"Below {low} hard sets a week: {', '.join(below)}.")
    return " ".join(lines)


def chat_without_log(message: str, context: WorkoutContext | None) -> str:
    question = recognise(message)
    if question.intent is not None and question.intent != "group_volume":
        answer = general_answer(question)
        if answer is not None:
            return answer
    return chat(message, context)


# --- the model ---------------------------------------------------------------------------


async def _respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    values = _structured_values(messages)
    request: dict[str, Any] = dict(values[REQUEST_TAG])
    task = request.pop("task")
    context = _context(values)
    log: dict[str, Any] | None = values.get(LOG_TAG)
    output: dict[str, Any]
    if task == "chat":
        message = str(request["message"])
        text = (
            chat_with_log(message, LifterSummary.model_validate(log))
            if log is not None
            else chat_without_log(message, context)
        )
        return ModelResponse(parts=[TextPart(text)])
    if task == "recommend":
        if log is not None:
            output = dict(log["planned_session"])
        else:
            output = recommend(RecommendationRequest.model_validate(request), context).model_dump(
                mode="json"
            )
    elif task == "analyze":
        if log is not None:
            analysis = TrainingLogAnalysis.model_validate(log["analysis"])
            output = analyze_log(analysis, log.get("muscle_balance_score")).model_dump(mode="json")
        elif context is None:
            raise ValueError("an analysis needs the workout context")
        else:
            output = analyze(context).model_dump(mode="json")
    else:
        raise ValueError(f"unknown coach task {task!r}")
    if not info.output_tools:
        raise ValueError(f"task {task!r} expects a structured output tool")
    return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, output)])


def offline_model() -> FunctionModel:
    return FunctionModel(_respond, model_name=OFFLINE_MODEL_NAME)
