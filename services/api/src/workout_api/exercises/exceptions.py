"""Exercise errors, mapped to HTTP at the edge."""

from __future__ import annotations

from fastapi import HTTPException, status


class ExerciseNotFoundError(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=status.HTTP_404_NOT_FOUND, detail="Exercise not found")


class InvalidSortParameterError(HTTPException):
    def __init__(self, detail: str) -> None:
        super().__init__(status_code=status.HTTP_400_BAD_REQUEST, detail=detail)
