"""The hottest exercise reads, on the driver's own connection (see ``fastpath/driver_reads``).

Rows come back as plain tuples and are served unconverted, which the start-up check
(:mod:`workout_api.exercises.column_types`) makes safe.
"""

from __future__ import annotations

from typing import Any

from workout_api.exercises.columns import (
    COUNT_QUERY,
    VERSION_QUERY,
    DataVersion,
    exercise_query,
    page_window,
    page_with_version_query,
)
from workout_api.exercises.sorting import Sort
from workout_api.fastpath.driver_reads import DriverConnection, KeptConnections, fetch_rows
from workout_api.fastpath.shared_reads import SharedFreshRead
from workout_common.exercise_record import EXERCISE_FIELDS


async def read_data_version(connection: DriverConnection) -> DataVersion:
    """The data version on a bare connection (the cheapest read the API makes)."""
    query = connection.compiled("data-version", lambda: VERSION_QUERY)
    rows = await fetch_rows(connection, query, operation="SELECT exercise_data_version")
    if not rows:  # a schema created without the migration's seed row
        count = (await connection.connection.execute(COUNT_QUERY)).scalar_one()
        return DataVersion(version=0, exercise_count=int(count))
    version, count = rows[0]
    return DataVersion(version=int(version), exercise_count=int(count))


def shared_data_version(connections: KeptConnections) -> SharedFreshRead[DataVersion]:
    """The data version for conditional requests: one read serves all who wait for it."""

    async def read() -> DataVersion:
        async with connections.connection() as connection:
            return await read_data_version(connection)

    return SharedFreshRead(read)


async def read_page_with_version(
    connection: DriverConnection, *, page: int, page_size: int, sort: Sort
) -> tuple[DataVersion, list[dict[str, Any]]]:
    """The data version and a page (as JSON-ready items) in one statement: one round trip,
    one snapshot.

    A page past the end has no rows to carry the version, which is then read on its own.
    """
    query = connection.compiled(("page-with-version", sort), lambda: page_with_version_query(sort))
    rows = await fetch_rows(
        connection, query, page_window(page, page_size), operation="SELECT exercise"
    )
    if not rows or rows[0][0] is None:
        return await read_data_version(connection), []
    version = DataVersion(version=int(rows[0][0]), exercise_count=int(rows[0][1]))
    # Each row is (version, count, *the exercise's fields).
    return version, [dict(zip(EXERCISE_FIELDS, row[2:], strict=True)) for row in rows]


async def read_exercise(connection: DriverConnection, exercise_id: int) -> dict[str, Any] | None:
    """One exercise as its JSON object, or ``None``."""
    query = connection.compiled("exercise", exercise_query)
    rows = await fetch_rows(
        connection, query, {"exercise_id": exercise_id}, operation="SELECT exercise"
    )
    return dict(zip(EXERCISE_FIELDS, rows[0], strict=True)) if rows else None
