"""What the fast reads assume of the ``exercise`` table, checked when the API starts.

:mod:`workout_api.exercises.fast_reads` serves the driver's rows as they come, with no
conversion: integers, text and floats. A column of another type (a ``NUMERIC`` weight would
come back as ``Decimal``, a text ``sets`` as a string) would change what clients receive,
so the API refuses to start on such a table instead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Float, Integer, String, inspect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import TypeEngine

from workout_api.exercises.models import Exercise
from workout_common.exercise_record import EXERCISE_FIELDS

PLAIN_TYPES: tuple[type[TypeEngine[Any]], ...] = (Integer, Float, String)
TABLE = Exercise.__tablename__


class ExerciseTableMismatchError(RuntimeError):
    """The ``exercise`` table's columns are not those the fast reads serve unconverted."""


def _plain_type(column_type: TypeEngine[Any]) -> type[TypeEngine[Any]] | None:
    return next((plain for plain in PLAIN_TYPES if isinstance(column_type, plain)), None)


def _mismatches(reflected: dict[str, TypeEngine[Any]]) -> list[str]:
    problems = []
    for name in EXERCISE_FIELDS:
        wanted = _plain_type(Exercise.__table__.columns[name].type)  # type: ignore[attr-defined]
        assert wanted is not None, f"exercise.{name}: the model's type is not a plain one"
        found = reflected.get(name)
        if found is None:
            problems.append(f"{name} is missing")
        elif _plain_type(found) is not wanted:
            problems.append(f"{name} is {found} (expected {wanted.__name__.lower()})")
    return problems


def _reflect(connection: Connection) -> dict[str, TypeEngine[Any]] | None:
    inspector = inspect(connection)
    if not inspector.has_table(TABLE):
        return None
    return {column["name"]: column["type"] for column in inspector.get_columns(TABLE)}


async def check_exercise_columns(connection: AsyncConnection) -> bool:
    """Raise :class:`ExerciseTableMismatchError` unless every column has the expected type;
    ``False`` when the table does not exist yet (migrations not run)."""
    reflected = await connection.run_sync(_reflect)
    if reflected is None:
        return False
    problems = _mismatches(reflected)
    if problems:
        raise ExerciseTableMismatchError(
            f"the {TABLE} table does not match what the API reads: {'; '.join(problems)}. "
            "Run the migrations (workout-api migrate) against this database."
        )
    return True
