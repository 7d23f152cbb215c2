"""Training-log errors, mapped to HTTP at the edge."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import HTTPException, status
from fastapi.exceptions import RequestValidationError


class WorkoutNotFoundError(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=status.HTTP_404_NOT_FOUND, detail="Workout not found")


class TemplateNotFoundError(HTTPException):
    def __init__(self) -> None:
        super().__init__(
            status_code=status.HTTP_404_NOT_FOUND, detail="Exercise template not found"
        )


class BuiltInTemplateError(HTTPException):
    def __init__(self) -> None:
        super().__init__(
            status_code=status.HTTP_403_FORBIDDEN,
            detail="Built-in exercises cannot be changed or deleted; create a custom one",
        )


class TemplateNameTakenError(HTTPException):
    def __init__(self, name: str) -> None:
        super().__init__(
            status_code=status.HTTP_409_CONFLICT,
            detail=f"name: you already have an exercise called {name!r}",
        )


class TemplateInUseError(HTTPException):
    def __init__(self) -> None:
        super().__init__(
            status_code=status.HTTP_409_CONFLICT,
            detail="This exercise is used by a workout; remove it from those workouts first",
        )


def invalid_field(loc: Sequence[str | int], message: str) -> RequestValidationError:
    """A 422 in FastAPI's own shape, for rules only the database can check."""
    return RequestValidationError(
        [{"loc": ("body", *loc), "msg": message, "type": "value_error", "input": None}]
    )
