"""CSV export of every exercise, streamed in batches so memory stays flat however many rows."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

from workout_api.csv_safety import spreadsheet_text
from workout_api.database import SessionFactory
from workout_api.exercises.models import CSV_COLUMNS
from workout_api.exercises.repository import ExerciseRepository
from workout_api.exercises.sorting import Sort

ROWS_PER_CHUNK = 1000


async def csv_chunks(session_factory: SessionFactory, sort: Sort) -> AsyncIterator[str]:
    """The header, then the rows a batch at a time, read through a session of its own.

    The body is sent after the route returns, so the request's session is gone by then.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180 line endings (CRLF)
    writer.writerow(CSV_COLUMNS)
    yield buffer.getvalue()
    async with session_factory() as session:
        repository = ExerciseRepository(session)
        async for batch in repository.stream_batches(
            sort_by=sort.column, sort_order=sort.order.value, batch_size=ROWS_PER_CHUNK
        ):
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(
                (
                    row.id,
                    spreadsheet_text(row.name),
                    row.sets,
                    row.reps,
                    "" if row.weight is None else row.weight,
                    spreadsheet_text(row.workout_day),
                )
                for row in batch
            )
            yield buffer.getvalue()
