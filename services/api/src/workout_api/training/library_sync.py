"""Loads the built-in exercise library from the data file (run by migrations).

Built-ins are matched by their stable ``key``: new ones are added, known ones updated,
and custom exercises (which have an owner and no key) are never touched.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, insert, select, update

from workout_api.training.tables import exercise_template
from workout_common.exercise_library import LibraryExercise, library


def search_text(name: str, aliases: Iterable[str]) -> str:
    """What ``q`` is matched against: the name and every alias, lower case, one a line."""
    return "\n".join(item.lower() for item in (name, *aliases))


def _row(exercise: LibraryExercise) -> dict[str, object]:
    return {
        "name": exercise.name,
        "name_key": exercise.name.lower(),
        "type": exercise.type,
        "primary_muscle": exercise.primary_muscle,
        "secondary_muscles": list(exercise.secondary_muscles),
        "equipment": exercise.equipment,
        "aliases": list(exercise.aliases),
        "search_text": search_text(exercise.name, exercise.aliases),
    }


def sync_builtin_exercises(
    connection: Connection, exercises: Iterable[LibraryExercise] | None = None
) -> int:
    """Insert or update the built-ins; returns how many were inserted."""
    rows = connection.execute(
        select(exercise_template.c.key, exercise_template.c.id).where(
            exercise_template.c.key.is_not(None)
        )
    )
    known = {row.key: row.id for row in rows}
    new_rows = []
    for exercise in library() if exercises is None else exercises:
        row = _row(exercise)
        if exercise.key in known:
            connection.execute(
                update(exercise_template)
                .where(exercise_template.c.id == known[exercise.key])
                .values(**row)
            )
        else:
            new_rows.append({**row, "key": exercise.key, "owner_id": None})
    if new_rows:
        connection.execute(insert(exercise_template), new_rows)
    return len(new_rows)
