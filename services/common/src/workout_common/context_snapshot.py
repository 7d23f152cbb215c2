"""The worker's snapshot of every exercise, which the coach reads instead of the API.

The worker writes it to the cache database under :data:`CONTEXT_SNAPSHOT_KEY` after a
complete refresh, with the ``ETag`` the API gave the list's first page at the start of
that refresh. The coach uses it while it is younger than its configured maximum age and
the API still answers that ``ETag`` with a 304: a change to the exercises since the
refresh sends the coach back to the API.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Final

from pydantic import BaseModel

from workout_common.exercise_record import ExerciseRecord

CONTEXT_SNAPSHOT_KEY: Final = "workout:context:v1"


class ContextSnapshot(BaseModel):
    generated_at: datetime
    total: int
    exercises: list[ExerciseRecord]
    list_etag: str | None = None

    @classmethod
    def taken_now(
        cls, exercises: Sequence[ExerciseRecord], *, list_etag: str | None
    ) -> ContextSnapshot:
        """A snapshot of ``exercises`` stamped with the current UTC second."""
        now = datetime.now(UTC).replace(microsecond=0)
        return cls(
            generated_at=now, total=len(exercises), exercises=list(exercises), list_etag=list_etag
        )

    def age_seconds(self, now: datetime) -> float:
        stamp = self.generated_at
        if stamp.tzinfo is None:  # written without an offset: the worker writes UTC
            stamp = stamp.replace(tzinfo=UTC)
        return (now - stamp).total_seconds()
