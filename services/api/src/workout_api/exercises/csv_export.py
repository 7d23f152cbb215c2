"""CSV export of every exercise, streamed in batches so memory stays flat however many rows."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

from workout_api.csv_safety import spreadsheet_text
from workout_api.database import SessionFactory
from workout_api.exercises.repository import ExerciseRepository
from workout_api.exercises.sorting import Sort
from workout_common.exercise_record import EXERCISE_FIELDS

ROWS_PER_CHUNK = 1000


def _cell(value: str | float | None) -> str | float:
    """Text made safe for spreadsheets; no weight (bodyweight) as an empty cell."""
    if value is None:
        return ""
    return spreadsheet_text(value) if isinstance(value, str) else value


async def csv_chunks(session_factory: SessionFactory, sort: Sort) -> AsyncIterator[str]:
    """The header, then the rows a batch at a time, read through a session of its own.

    The body is sent after the route returns, so the request's session is gone by then.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180 line endings (CRLF)
    writer.writerow(EXERCISE_FIELDS)
    yield buffer.getvalue()
    async with session_factory() as session:
        repository = ExerciseRepository(session)
        async for batch in repository.stream_batches(
            sort_by=sort.column, sort_order=sort.order.value, batch_size=ROWS_PER_CHUNK
        ):
            buffer.seek(0)
            buffer.truncate()
            writer.writerows([_cell(value) for value in row] for row in batch)
            yield buffer.getvalue()
