"""The questions lifters ask most, recognised in a chat message and answered like a coach.

With a signed-in lifter's summary (:mod:`workout_coach.lifter_summary`) every answer quotes
their figures; without it the answer says plainly that it is general advice. Recognition
is by keywords, checked in a fixed order, so the same message always gets the same answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Final, Literal

from workout_coach.lifter_summary import LifterSummary, LiftTrend
from workout_coach.muscle_groups import infer_muscle_group
from workout_coach.personal_plan import RECOVERY_WINDOW
from workout_coach.progression import PROGRESSION_RULE, rest_for

Intent = Literal[
    "form",
    "last_workout",
    "deload",
    "plateau",
    "next_weight",
    "lift_progress",
    "group_volume",
    "train_today",
    "recovery",
]

GENERAL_OPENING: Final = (
    "This is general advice, not based on your training log (sign in to get answers from "
    "your own workouts)."
)
WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Lift keyword → words that find it in a message and in a logged exercise's name.
LIFTS: Final[dict[str, tuple[str, ...]]] = {
    "squat": ("squat",),
    "bench press": ("bench",),
    "deadlift": ("deadlift",),
    "overhead press": ("overhead press", "ohp", "military press", "shoulder press"),
    "row": ("row",),
    "pull-up": ("pull up", "pull-up", "pullup", "chin up", "chin-up"),
    "curl": ("curl",),
    "leg press": ("leg press",),
    "hip thrust": ("hip thrust",),
}
GROUP_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "legs": ("leg", "quad", "hamstring", "glute", "calf", "calves", "lower body"),
    "chest": ("chest", "pec"),
    "back": ("back", "lats"),
    "shoulders": ("shoulder", "delt"),
    "biceps": ("bicep", "arm"),
    "triceps": ("tricep",),
    "core": ("core", "abs"),
}
FORM_CUES: Final[dict[str, str]] = {
    "squat": (
        "Squat cues: feet shoulder-width, toes slightly out; brace your belly before each rep; "
        "sit down between your heels with knees tracking over the toes; reach at least "
        "parallel (hip crease below the knee); drive up with the chest leading, whole foot "
        "on the floor."
    ),
    "bench press": (
        "Bench press cues: shoulder blades squeezed together and down, slight arch, feet "
        "planted; grip so forearms are vertical at the bottom; lower to the lower chest with "
        "elbows about 45 degrees from the body; touch, then press up and slightly back."
    ),
    "deadlift": (
        "Deadlift cues: bar over mid-foot, shins close; hinge to grip just outside the legs; "
        "chest up and lats tight ('bend the bar'); push the floor away, bar dragging up the "
        "legs; stand tall with glutes, no leaning back; lower the same path."
    ),
    "overhead press": (
        "Overhead press cues: grip just outside the shoulders, forearms vertical; squeeze "
        "glutes and brace so the ribs stay down; press straight up, moving the head back "
        "and then through once the bar passes the forehead; lock out over mid-foot."
    ),
}
FORM_LIFTS: Final = tuple(FORM_CUES)
_RECOVERY: Final = (
    f"Rest between sets by rep range: 1-5 reps {rest_for(5)}, 6-12 reps {rest_for(10)}. Give a "
    "muscle group 48 hours before training it hard again, and sleep 7-9 hours."
)


@dataclass(frozen=True)
class Question:
    intent: Intent | None
    lift: str | None = None
    group: str | None = None
    weekday: int | None = None  # 0 Monday; -1 "yesterday"


def _has(text: str, *words: str) -> bool:
    return any(re.search(rf"\b{re.escape(word)}", text) for word in words)


def _lift_in(text: str) -> str | None:
    return next((lift for lift, words in LIFTS.items() if _has(text, *words)), None)


def _group_in(text: str) -> str | None:
    return next((group for group, words in GROUP_WORDS.items() if _has(text, *words)), None)


def recognise(message: str) -> Question:
    text = message.lower()
    lift = _lift_in(text)
    group = _group_in(text)
    weekday = next((n for n, day in enumerate(WEEKDAYS) if day in text), None)
    if "yesterday" in text:
        weekday = -1
    intent: Intent | None = None
    if _has(text, "form", "cue", "technique") or (
        lift in FORM_LIFTS and _has(text, "how do i", "how to", "how should i")
    ):
        intent = "form"
    elif weekday is not None or _has(text, "last workout", "last session", "did i do"):
        intent = "last_workout"
    elif _has(text, "deload"):
        intent = "deload"
    elif _has(text, "plateau", "stuck", "stall", "not progressing", "no progress"):
        intent = "plateau"
    elif _has(text, "next weight", "what weight", "how much weight", "next session", "progress"):
        going = _has(text, "going", "progressing", "my progress", "progress on")
        intent = "lift_progress" if lift and going else "next_weight"
    elif lift and _has(text, "going", "doing", "improv", "trend"):
        intent = "lift_progress"
    elif _has(text, "recover", "rest", "sleep", "sore"):
        intent = "recovery"
    elif _has(text, "today", "train now", "what should i train", "what to train"):
        intent = "train_today"
    elif group and _has(text, "enough", "volume", "sets", "too much", "too little"):
        intent = "group_volume"
    return Question(intent=intent, lift=lift, group=group, weekday=weekday)


# --- with the lifter's own figures -------------------------------------------------------


def _find_lift(summary: LifterSummary, lift: str | None) -> LiftTrend | None:
    if lift is None:
        return None
    words = LIFTS[lift]
    return next((t for t in summary.lifts if _has(t.name.lower(), *words)), None)


def _kg(value: float | None) -> str:
    return f"{value:g} kg" if value is not None else "n/a"


def _prescription_line(trend: LiftTrend) -> str:
    if trend.last_performance is None or trend.next_session is None:
        return f"{trend.name}: no working sets logged recently."
    return (
        f"{trend.name}: {trend.last_performance} logged -> next session {trend.next_session} "
        f"(rest {trend.rest})."
    )


def _trend_line(trend: LiftTrend, weeks: int) -> str:
    line = (
        f"{trend.name}: e1RM {_kg(trend.e1rm_first)} -> {_kg(trend.e1rm_last)} over "
        f"{trend.sessions} sessions in the last {weeks} weeks (best {_kg(trend.e1rm_best)})."
    )
    if trend.stalled:
        line += " No e1RM gain over the last 3 weeks: it has stalled."
    return line


def _missing_lift(summary: LifterSummary, lift: str | None) -> str:
    done = ", ".join(t.name for t in summary.lifts[:4]) or "no lifts"
    what = lift or "that lift"
    return (
        f"I don't see {what} in your last {summary.weeks} weeks of workouts "
        f"(your main lifts: {done})."
    )


def _group_line(summary: LifterSummary, group: str) -> str:
    stats = next((g for g in summary.groups if g.group == group), None)
    low, high = summary.target_sets_per_week
    if stats is None:
        return f"No {group} sets in your last {summary.weeks} weeks."
    weekly = ", ".join(str(s) for s in stats.sets_per_week)
    verdict = {
        "below": f"below the {low}-{high} target",
        "within": f"within the {low}-{high} target",
        "above": f"above the {low}-{high} target",
    }[stats.status]
    line = (
        f"{group.capitalize()}: {weekly} hard sets in the last {summary.weeks} weeks "
        f"(average {stats.average:g} a week), {verdict}; trained {stats.sessions_per_week:g} "
        "times a week."
    )
    if stats.suggestion:
        line += " " + stats.suggestion.split(": ", 1)[-1]
    return line


def _recent_groups(summary: LifterSummary) -> set[str]:
    """Groups trained in the last 48 hours (the recovery window of the plans too)."""
    since = summary.now - RECOVERY_WINDOW
    return {
        infer_muscle_group(line.split(": ")[0])
        for workout in summary.recent_workouts
        if workout.started_at >= since
        for line in workout.exercises
    }


def _main_lifts(summary: LifterSummary, question: Question) -> Sequence[LiftTrend]:
    found = _find_lift(summary, question.lift)
    return [found] if found else summary.lifts[:3]


def answer_from_log(question: Question, summary: LifterSummary) -> str | None:
    """The answer quoting the lifter's figures, or ``None`` for an unrecognised question."""
    intent = question.intent
    lift = _find_lift(summary, question.lift)
    if intent == "form":
        name = question.lift if question.lift in FORM_CUES else "squat"
        answer = FORM_CUES[name]
        if lift and lift.last_performance:
            answer += f" Your last {lift.name}: {lift.last_performance}; film a set at that weight to check."
        return answer
    if intent == "last_workout":
        return _last_workout(question, summary)
    if intent in ("lift_progress", "plateau") and question.lift:
        if lift is None:
            return _missing_lift(summary, question.lift)
        return " ".join(
            [_trend_line(lift, summary.weeks), _prescription_line(lift)]
            + (
                ["Plateau plan: one week at 90% of that weight, then rebuild adding reps first."]
                if lift.stalled
                else []
            )
        )
    if intent in ("plateau", "deload"):
        stalled = [t for t in summary.lifts if t.stalled]
        if stalled:
            names = ", ".join(f"{t.name} (e1RM {_kg(t.e1rm_last)})" for t in stalled)
            return (
                f"Stalled over the last 3 weeks: {names}. Deload those: one week at 90% of "
                "your working weight with the same sets and reps, then build back up with "
                "double progression."
            )
        trends = " ".join(_trend_line(t, summary.weeks) for t in summary.lifts[:3])
        return (
            f"No lift has stalled: {trends} No deload needed yet; take one after two "
            "sessions in a row that miss the rep range, or after 6-8 hard weeks."
        )
    if intent in ("next_weight", "lift_progress"):
        if question.lift and lift is None:
            return _missing_lift(summary, question.lift)
        lines = [_prescription_line(t) for t in _main_lifts(summary, question)]
        return " ".join(lines) + " " + PROGRESSION_RULE
    if intent == "group_volume" and question.group:
        return _group_line(summary, question.group)
    if intent == "train_today":
        recent = _recent_groups(summary)
        rested = [g for g in summary.groups if g.group not in recent]
        if not rested:
            return "Every group was trained in the last 48 hours: rest today or do light cardio."
        yours = {t.group for t in summary.lifts}
        # A group the lifter trains comes first, then the one furthest below the target.
        neediest = min(rested, key=lambda g: (g.group not in yours, g.average, g.group))
        lifts = [t for t in summary.lifts if t.group == neediest.group]
        answer = (
            f"Train {neediest.group} today: {neediest.average:g} hard sets a week on average "
            f"(target {summary.target_sets_per_week[0]}-{summary.target_sets_per_week[1]}) "
            "and not trained in the last 48 hours."
        )
        if lifts:
            answer += " " + _prescription_line(lifts[0])
        return answer
    if intent == "recovery":
        trained = sorted(_recent_groups(summary) - {"other", "full_body"})
        answer = _RECOVERY
        if trained:
            answer += f" Trained in the last 48 hours: {', '.join(trained)}; let them recover."
        return answer
    return None


def _last_workout(question: Question, summary: LifterSummary) -> str:
    workouts = summary.recent_workouts
    if question.weekday == -1:
        wanted = summary.today - timedelta(days=1)
        found = next((w for w in workouts if w.date == wanted), None)
        when = "yesterday"
    elif question.weekday is not None:
        found = next(
            (
                w
                for w in workouts
                if w.date.weekday() == question.weekday and w.date < summary.today
            ),
            None,
        )
        when = f"last {WEEKDAYS[question.weekday].capitalize()}"
    else:
        found = workouts[0] if workouts else None
        when = "last time"
    if found is None:
        return f"No workout logged {when} in your last {len(workouts)} workouts."
    return (
        f"{found.weekday} {found.date.isoformat()} ({found.title}): "
        + "; ".join(found.exercises)
        + "."
    )


# --- without the log ---------------------------------------------------------------------


def general_answer(question: Question) -> str | None:
    """General advice for a recognised question, saying plainly it is not from the log."""
    intent = question.intent
    answers: dict[Intent, str] = {
        "form": FORM_CUES.get(question.lift or "squat", FORM_CUES["squat"]),
        "last_workout": "I can only tell you what you did from your own log.",
        "deload": (
            "Deload for one week at 90% of your working weights after two sessions in a row "
            "that miss the rep range, or every 6-8 hard weeks."
        ),
        "plateau": (
            "A lift has stalled when its e1RM has not risen in 3 weeks of regular training: "
            "deload 10% for a week, then rebuild adding reps before weight."
        ),
        "next_weight": PROGRESSION_RULE,
        "lift_progress": PROGRESSION_RULE,
        "group_volume": "Aim for 10-20 hard sets per muscle group per week.",
        "train_today": (
            "Train the muscle group you have not trained in the last 48 hours and that is "
            "furthest below 10 hard sets this week."
        ),
        "recovery": _RECOVERY,
    }
    if intent is None:
        return None
    return f"{GENERAL_OPENING} {answers[intent]}"
