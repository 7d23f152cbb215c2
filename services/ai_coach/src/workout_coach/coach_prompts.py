"""What every model is sent: a task, the user's request and the computed workout figures.

The figures travel as structured values (``StructuredContent``): a provider model reads
them as tagged JSON, the offline coach reads the same values back from the message.
"""

from __future__ import annotations

from typing import Any, Final, Literal

from pydantic_ai import StructuredContent
from pydantic_ai.messages import UserContent

from workout_coach.workout_context import TARGET_SET_SHARE, WorkoutContext

CONTEXT_TAG: Final = "workout_context"
REQUEST_TAG: Final = "coach_request"
LOG_TAG: Final = "training_log"

Task = Literal["chat", "recommend", "analyze"]

COACH_INSTRUCTIONS: Final = (
    "You are the Workout Tracker's strength coach. Base every statement about the user's "
    f"training on the <{CONTEXT_TAG}> figures, which were computed from their exercise log: "
    "volume = sets x reps x weight (bodyweight exercises have no load volume), muscle groups "
    "inferred from exercise names, set_share = the group's share of sets in trained groups, "
    "target_share = a balanced programme's share, muscle_balance_score 0-100 = 100 minus the "
    "distance between the two in percent. Quote these numbers, never compute or invent others. "
    f"A <{LOG_TAG}> holds figures of the signed-in user's own training log, also computed "
    "in code (hard sets per muscle group per week against the target range, records, e1RM "
    "trends, stalled lifts, last performances and next-session targets by double "
    "progression); answer from it and quote its numbers. A planned_session in it is final: "
    "keep its exercises, sets, reps and loads, only word the title, description and tips. "
    "Without a workout context or training log, say plainly that the answer is general advice "
    "not based on the user's log. Be concrete and brief."
)

_TASK_TEXT: Final[dict[Task, str]] = {
    "chat": "Answer the user's message in the coach request, in at most six sentences.",
    "recommend": (
        "Design one workout session for the coach request: honour focus_area (null means a "
        "balanced session that favours the groups furthest below target), use only the "
        "equipment listed (bodyweight moves are always possible), and fit "
        "session_duration_minutes including a 5 minute warm-up at about 2.5 minutes per set."
    ),
    "analyze": (
        "Analyse the user's training: strengths and areas to improve come from the per-group "
        "set_share against target_share and the volume figures; recommendations say what to add."
    ),
}


def coach_prompt(
    task: Task,
    request: dict[str, Any],
    context: WorkoutContext | None,
    log: dict[str, Any] | None = None,
) -> list[UserContent]:
    """``log``: the signed-in lifter's own figures (JSON-ready), when they are signed in."""
    prompt: list[UserContent] = [
        _TASK_TEXT[task],
        StructuredContent(
            {"task": task, **request},
            tag=REQUEST_TAG,
            description="The user's request:",
        ),
    ]
    if context is not None:
        prompt.append(
            StructuredContent(
                {**context.model_dump(mode="json"), "target_set_share": dict(TARGET_SET_SHARE)},
                tag=CONTEXT_TAG,
                description="Figures computed from the user's workout log:",
            )
        )
    if log is not None:
        prompt.append(
            StructuredContent(
                log, tag=LOG_TAG, description="Figures computed from the user's own training log:"
            )
        )
    return prompt
