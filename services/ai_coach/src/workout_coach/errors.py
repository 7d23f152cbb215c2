"""Domain errors of the coach; ``main`` maps each one to an HTTP answer with a ``detail``."""

from __future__ import annotations

from typing import Final

WORKOUT_API_UNAVAILABLE_DETAIL: Final = "Unable to connect to workout API."
NO_EXERCISES_DETAIL: Final = (
    "No exercises found to analyze. Log some exercises in the Workout API first."
)
NO_WORKOUTS_DETAIL: Final = (
    "No workouts in the period to analyze. Log a workout, or ask for more weeks."
)
MODEL_FAILURE_DETAILS: Final = {
    "chat": "Failed to get response from AI coach. Please try again.",
    "recommend": "Failed to generate workout recommendation. Please try again.",
    "analyze": "Failed to analyze workout progress. Please try again.",
}


class CoachError(Exception):
    status_code = 500
    detail = "Internal error"


class WorkoutApiUnavailableError(CoachError):
    """The Workout API could not be reached (or answered with an error) when data was needed."""

    status_code = 503
    detail = WORKOUT_API_UNAVAILABLE_DETAIL


class NoExercisesError(CoachError):
    status_code = 400
    detail = NO_EXERCISES_DETAIL


class NoWorkoutsError(CoachError):
    """A signed-in lifter has no workouts in the period asked for."""

    status_code = 400
    detail = NO_WORKOUTS_DETAIL


class ModelFailureError(CoachError):
    """The model failed, timed out or answered with something unusable."""

    def __init__(self, endpoint: str) -> None:
        super().__init__(endpoint)
        self.detail = MODEL_FAILURE_DETAILS[endpoint]
