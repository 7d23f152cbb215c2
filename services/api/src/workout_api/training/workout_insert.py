"""``POST /workouts`` on PostgreSQL: the workout, its contents and its records in one statement.

Run after the user's log version was bumped (which holds the user's lock, so the records
read here are those every earlier write committed). One statement then checks the library
and the ``client_id``, inserts the workout, its exercises, sets and summary rows, weighs the
workout against the kept bests and upserts the records it sets, and answers what the
request needs to reply: one round trip where the general path (``workouts.create``) makes
seven or more. The rows go in as one array per column (``unnest``), so the statement's text
is the same for every workout and psycopg prepares it on each connection.

The records follow ``figures.records_set_by``: a value above the kept best sets a record, an
equal one leaves it with the earlier workout. When one of the exercises was done after
this workout, nothing is weighed here (``later``) and the caller recomputes those
exercises' records from their history.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.fastpath.driver_reads import CompiledSelect, DriverConnection, fetch_rows
from workout_api.training.figures import KINDS, SUMMARY_COLUMN
from workout_api.training.schemas import WorkoutIn

SUMMARY_FIGURES = ("set_count", "working_sets", "volume_kg", *SUMMARY_COLUMN.values())

_SQL = """
WITH found AS (
    SELECT id, name FROM exercise_template
    WHERE id = ANY(%(template_ids)s::int[])
      AND (owner_id IS NULL OR owner_id = %(user_id)s::int)
), existing AS (
    SELECT id FROM workout
    WHERE user_id = %(user_id)s::int AND client_id = %(client_id)s::varchar
), later AS (
    SELECT EXISTS (
        SELECT FROM workout_exercise_summary
        WHERE user_id = %(user_id)s::int
          AND template_id = ANY(%(template_ids)s::int[])
          AND started_at > %(started_at)s::timestamptz
    ) AS done
), new_workout AS (
    INSERT INTO workout (
        user_id, title, notes, started_at, ended_at, source, client_id, created_at,
        updated_at, week_start, exercise_count, set_count, working_set_count, volume_kg,
        duration_s
    )
    SELECT
        %(user_id)s::int, %(title)s::varchar, %(notes)s::text, %(started_at)s::timestamptz,
        %(ended_at)s::timestamptz, %(source)s::varchar, %(client_id)s::varchar,
        %(now)s::timestamptz, %(now)s::timestamptz, %(week_start)s::date,
        %(exercise_count)s::int, %(set_count)s::int, %(working_set_count)s::int,
        %(volume_kg)s::float8, %(duration_s)s::int
    WHERE (SELECT count(*) FROM found) = cardinality(%(template_ids)s::int[])
      AND NOT EXISTS (SELECT FROM existing)
    RETURNING id
), new_exercises AS (
    INSERT INTO workout_exercise (workout_id, position, template_id, notes, superset)
    SELECT new_workout.id, e.position, e.template_id, e.notes, e.superset
    FROM new_workout, unnest(
        %(exercise_template)s::int[], %(exercise_notes)s::text[], %(exercise_superset)s::int[]
    ) WITH ORDINALITY AS e(template_id, notes, superset, position)
    RETURNING id, position
), new_sets AS (
    INSERT INTO workout_set (
        workout_exercise_id, position, type, weight_kg, reps, duration_s, distance_m, rpe,
        completed
    )
    SELECT new_exercises.id, s.position, s.type, s.weight_kg, s.reps, s.duration_s,
        s.distance_m, s.rpe, s.completed
    FROM unnest(
        %(set_exercise)s::int[], %(set_position)s::int[], %(set_type)s::varchar[],
        %(set_weight_kg)s::float8[], %(set_reps)s::int[], %(set_duration_s)s::int[],
        %(set_distance_m)s::float8[], %(set_rpe)s::float8[], %(set_completed)s::bool[]
    ) AS s(exercise, position, type, weight_kg, reps, duration_s, distance_m, rpe, completed)
    JOIN new_exercises ON new_exercises.position = s.exercise
), candidate AS (
    SELECT * FROM unnest(
        %(candidate_template)s::int[], %(candidate_kind)s::varchar[],
        %(candidate_value)s::float8[]
    ) AS c(template_id, kind, value)
), improved AS (
    SELECT candidate.template_id, candidate.kind, candidate.value, kept.value AS previous
    FROM candidate
    LEFT JOIN personal_record AS kept
        ON kept.user_id = %(user_id)s::int
        AND kept.template_id = candidate.template_id
        AND kept.kind = candidate.kind
    WHERE NOT (SELECT done FROM later) AND (kept.value IS NULL OR candidate.value > kept.value)
), new_records AS (
    INSERT INTO personal_record (user_id, template_id, kind, value, workout_id, achieved_at)
    SELECT %(user_id)s::int, improved.template_id, improved.kind, improved.value,
        new_workout.id, %(started_at)s::timestamptz
    FROM improved, new_workout
    ON CONFLICT (user_id, template_id, kind) DO UPDATE
    SET value = excluded.value, workout_id = excluded.workout_id,
        achieved_at = excluded.achieved_at
), new_summaries AS (
    INSERT INTO workout_exercise_summary (
        workout_id, template_id, user_id, started_at, first_position, set_count, working_sets,
        volume_kg, max_weight, best_e1rm, best_set_volume, max_reps, rep_max_1, rep_max_3,
        rep_max_5, rep_max_10, record_count
    )
    SELECT new_workout.id, m.template_id, %(user_id)s::int, %(started_at)s::timestamptz,
        m.first_position, m.set_count, m.working_sets, m.volume_kg, m.max_weight, m.best_e1rm,
        m.best_set_volume, m.max_reps, m.rep_max_1, m.rep_max_3, m.rep_max_5, m.rep_max_10,
        (SELECT count(*) FROM improved WHERE improved.template_id = m.template_id)
    FROM new_workout, unnest(
        %(summary_template_id)s::int[], %(summary_first_position)s::int[],
        %(summary_set_count)s::int[], %(summary_working_sets)s::int[],
        %(summary_volume_kg)s::float8[], %(summary_max_weight)s::float8[],
        %(summary_best_e1rm)s::float8[], %(summary_best_set_volume)s::float8[],
        %(summary_max_reps)s::int[], %(summary_rep_max_1)s::float8[],
        %(summary_rep_max_3)s::float8[], %(summary_rep_max_5)s::float8[],
        %(summary_rep_max_10)s::float8[]
    ) AS m(
        template_id, first_position, set_count, working_sets, volume_kg, max_weight, best_e1rm,
        best_set_volume, max_reps, rep_max_1, rep_max_3, rep_max_5, rep_max_10
    )
)
SELECT 'workout', id, NULL::varchar, NULL::float8, NULL::float8 FROM new_workout
UNION ALL SELECT 'existing', id, NULL, NULL, NULL FROM existing
UNION ALL SELECT 'later', NULL, NULL, NULL, NULL FROM later WHERE done
UNION ALL SELECT 'template', id, name, NULL, NULL FROM found
UNION ALL SELECT 'record', template_id, kind, value, previous FROM improved
"""
STATEMENT = CompiledSelect(sql=_SQL, positions=None, defaults={})


@dataclass(frozen=True)
class Inserted:
    """What the statement did: the new workout's id (None when nothing was written)."""

    workout_id: int | None
    existing_id: int | None  # the workout a known client_id names (nothing written then)
    names: dict[int, str]  # the library's names of the workout's exercises that were found
    later: bool  # an exercise was done after this workout: records not weighed
    records: list[dict[str, Any]]  # the records set, as the answer shows them


# The ``workout`` columns taken from ``workouts.create``'s values as they are.
WORKOUT_VALUES = (
    "user_id",
    "title",
    "notes",
    "started_at",
    "ended_at",
    "source",
    "client_id",
    "week_start",
    "exercise_count",
    "set_count",
    "working_set_count",
    "volume_kg",
    "duration_s",
)

# Columns sent as float8 arrays: psycopg refuses a list mixing ints and floats (a volume of 0).
FLOAT_COLUMNS = frozenset(
    {"weight_kg", "distance_m", "rpe", "volume_kg", "max_weight", "best_e1rm", "best_set_volume"}
    | {f"rep_max_{n}" for n in (1, 3, 5, 10)}
)


def _columns(rows: Sequence[Mapping[str, Any]], names: Sequence[str]) -> dict[str, list[Any]]:
    return {
        name: [
            None if row[name] is None else float(row[name]) if name in FLOAT_COLUMNS else row[name]
            for row in rows
        ]
        for name in names
    }


def parameters(
    values: Mapping[str, Any], data: WorkoutIn, summaries: Mapping[int, Mapping[str, Any]]
) -> dict[str, Any]:
    """The statement's parameters: the workout's ``values`` as ``workouts.create`` writes
    them, its exercises and sets from ``data``, and its summary rows by template."""
    sets = [
        {"exercise": position, "position": number, **s.model_dump()}
        for position, exercise in enumerate(data.exercises, start=1)
        for number, s in enumerate(exercise.sets, start=1)
    ]
    candidates = [
        (template_id, kind, float(row[SUMMARY_COLUMN[kind]]))
        for template_id, row in summaries.items()
        for kind in KINDS
        if row[SUMMARY_COLUMN[kind]] is not None
    ]
    summary_rows = list(summaries.values())
    return {
        **{name: values[name] for name in WORKOUT_VALUES},
        "now": values["created_at"],
        "template_ids": sorted({exercise.template_id for exercise in data.exercises}),
        "exercise_template": [exercise.template_id for exercise in data.exercises],
        "exercise_notes": [exercise.notes for exercise in data.exercises],
        "exercise_superset": [exercise.superset for exercise in data.exercises],
        **{
            f"set_{name}": column
            for name, column in _columns(
                sets,
                (
                    "exercise",
                    "position",
                    "type",
                    "weight_kg",
                    "reps",
                    "duration_s",
                    "distance_m",
                    "rpe",
                    "completed",
                ),
            ).items()
        },
        "candidate_template": [c[0] for c in candidates],
        "candidate_kind": [c[1] for c in candidates],
        "candidate_value": [c[2] for c in candidates],
        **{
            f"summary_{name}": column
            for name, column in _columns(
                summary_rows, ("template_id", "first_position", *SUMMARY_FIGURES)
            ).items()
        },
    }


async def insert_workout(
    session: AsyncSession,
    values: Mapping[str, Any],
    data: WorkoutIn,
    summaries: Mapping[int, Mapping[str, Any]],
) -> Inserted:
    """Run the statement in the session's transaction (raises SQLAlchemy's errors)."""
    connection = await DriverConnection.of(await session.connection())
    rows = await fetch_rows(
        connection, STATEMENT, parameters(values, data, summaries), operation="INSERT workout"
    )
    workout_id = existing_id = None
    later = False
    names: dict[int, str] = {}
    improved: list[tuple[int, str, float, float | None]] = []
    for part, key, text, value, previous in rows:
        if part == "workout":
            workout_id = int(key)
        elif part == "existing":
            existing_id = int(key)
        elif part == "later":
            later = True
        elif part == "template":
            names[int(key)] = text
        else:
            improved.append((int(key), text, float(value), previous))
    first_position = {template_id: row["first_position"] for template_id, row in summaries.items()}
    improved.sort(key=lambda r: (first_position[r[0]], KINDS.index(r[1])))
    records = [
        {
            "template_id": template_id,
            "kind": kind,
            "value": value,
            "previous_value": None if previous is None else float(previous),
        }
        for template_id, kind, value, previous in improved
    ]
    return Inserted(workout_id, existing_id, names, later, records)
