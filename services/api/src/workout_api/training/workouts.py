"""Writing and reading workouts; every write keeps summaries, records and the log version.

A write runs in one transaction: the workout, its exercises and sets, the summary rows of
its exercises, the records of the exercises it touched and the log version all commit
together or not at all. Its first statement bumps the user's log version, which locks
that row: one user's writes run one after the other (records are recomputed from rows
the previous write committed), different users' writes in parallel.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy import column as sql_column
from sqlalchemy import values as sql_values
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.training import log_version, sql, workout_insert
from workout_api.training.exceptions import WorkoutNotFoundError, invalid_field
from workout_api.training.figures import (
    KINDS,
    SUMMARY_COLUMN,
    Best,
    exercise_figures,
    records_over,
    records_set_by,
    week_start,
)
from workout_api.training.schemas import SetIn, WorkoutIn
from workout_api.training.tables import (
    exercise_template,
    personal_record,
    workout,
    workout_exercise,
    workout_exercise_summary,
    workout_set,
)

SET_FIELDS = ("type", "weight_kg", "reps", "duration_s", "distance_m", "rpe", "completed")
WORKOUT_COLUMNS = (
    workout.c.id,
    workout.c.title,
    workout.c.notes,
    workout.c.started_at,
    workout.c.ended_at,
    workout.c.source,
    workout.c.client_id,
    workout.c.created_at,
    workout.c.updated_at,
)
FIGURE_COLUMNS = tuple(workout_exercise_summary.c[column] for column in SUMMARY_COLUMN.values())


def visible_templates(user_id: int) -> ColumnElement[bool]:
    """Built-ins and the user's own custom exercises."""
    return or_(exercise_template.c.owner_id.is_(None), exercise_template.c.owner_id == user_id)


def _duration(started_at: datetime, ended_at: datetime | None) -> int | None:
    return None if ended_at is None else int((ended_at - started_at).total_seconds())


# --- writes -----------------------------------------------------------------------------


async def _check_templates(session: AsyncSession, user_id: int, data: WorkoutIn) -> dict[int, str]:
    """The names of the workout's exercises; 400 for one not in the user's library."""
    wanted = {exercise.template_id for exercise in data.exercises}
    if not wanted:
        return {}
    rows = await sql.execute(
        session,
        select(exercise_template.c.id, exercise_template.c.name).where(
            exercise_template.c.id.in_(wanted), visible_templates(user_id)
        ),
    )
    found: dict[int, str] = dict(rows.all())
    for index, exercise in enumerate(data.exercises):
        if exercise.template_id not in found:
            raise invalid_field(
                ("exercises", index, "template_id"),
                f"exercise template {exercise.template_id} not found in your library",
            )
    return found


def _workout_figures(data_exercises: Sequence[Sequence[SetIn]]) -> dict[str, Any]:
    per_exercise = [exercise_figures(sets) for sets in data_exercises]
    return {
        "exercise_count": len(data_exercises),
        "set_count": sum(f["set_count"] for f in per_exercise),
        "working_set_count": sum(f["working_sets"] for f in per_exercise),
        "volume_kg": sum(f["volume_kg"] for f in per_exercise),
    }


async def _insert_contents(
    session: AsyncSession, user_id: int, workout_id: int, started_at: datetime, data: WorkoutIn
) -> dict[int, dict[str, Any]]:
    """Exercises, sets and summary rows of a workout; returns the summary rows by template."""
    if not data.exercises:
        return {}
    exercise_rows = [
        {
            "workout_id": workout_id,
            "position": position,
            "template_id": exercise.template_id,
            "notes": exercise.notes,
            "superset": exercise.superset,
        }
        for position, exercise in enumerate(data.exercises, start=1)
    ]
    result = await sql.execute(
        session,
        insert(workout_exercise).returning(workout_exercise.c.id, sort_by_parameter_order=True),
        exercise_rows,
    )
    exercise_ids = list(result.scalars())
    set_rows = [
        {
            "workout_exercise_id": exercise_id,
            "position": position,
            **{field: getattr(s, field) for field in SET_FIELDS},
        }
        for exercise_id, exercise in zip(exercise_ids, data.exercises, strict=True)
        for position, s in enumerate(exercise.sets, start=1)
    ]
    if set_rows:
        await sql.execute(session, insert(workout_set), set_rows)
    summaries = {
        template_id: {
            "workout_id": workout_id,
            "user_id": user_id,
            "started_at": started_at,
            "record_count": 0,
            **figures,
        }
        for template_id, figures in _summary_figures(data).items()
    }
    if summaries:
        await sql.execute(session, insert(workout_exercise_summary), list(summaries.values()))
    return summaries


def _summary_figures(data: WorkoutIn) -> dict[int, dict[str, Any]]:
    """Per exercise of the workout (one row even when it appears twice): its template, first
    position and figures."""
    by_template: dict[int, list[SetIn]] = {}
    first_position: dict[int, int] = {}
    for position, exercise in enumerate(data.exercises, start=1):
        by_template.setdefault(exercise.template_id, []).extend(exercise.sets)
        first_position.setdefault(exercise.template_id, position)
    return {
        template_id: {
            "template_id": template_id,
            "first_position": first_position[template_id],
            **exercise_figures(sets),
        }
        for template_id, sets in by_template.items()
    }


def _record_rows(user_id: int, template_id: int, bests: Mapping[str, Best]) -> list[dict[str, Any]]:
    """``personal_record`` rows of one exercise's bests."""
    return [
        {
            "user_id": user_id,
            "template_id": template_id,
            "kind": kind,
            "value": record.value,
            "workout_id": record.workout_id,
            "achieved_at": record.achieved_at,
        }
        for kind, record in bests.items()
    ]


async def refresh_records(session: AsyncSession, user_id: int, template_ids: Iterable[int]) -> None:
    """Recompute the records of these exercises from their summary rows: the user's bests
    and each workout's count of records set first."""
    ids = sorted(set(template_ids))
    if not ids:
        return
    rows = (
        await sql.execute(
            session,
            select(
                workout_exercise_summary.c.template_id,
                workout_exercise_summary.c.workout_id,
                workout_exercise_summary.c.started_at,
                workout_exercise_summary.c.record_count,
                *FIGURE_COLUMNS,
            ).where(
                workout_exercise_summary.c.user_id == user_id,
                workout_exercise_summary.c.template_id.in_(ids),
            ),
        )
    ).mappings()
    by_template: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        by_template[row["template_id"]].append(row)
    changed_counts: list[dict[str, Any]] = []
    new_records: list[dict[str, Any]] = []
    for template_id, template_rows in by_template.items():
        best, counts = records_over(template_rows)
        for row in template_rows:
            if counts[row["workout_id"]] != row["record_count"]:
                changed_counts.append(
                    {
                        "w_id": row["workout_id"],
                        "t_id": template_id,
                        "count": counts[row["workout_id"]],
                    }
                )
        new_records.extend(_record_rows(user_id, template_id, best))
    if changed_counts:
        await _set_record_counts(session, changed_counts)
    await sql.execute(
        session,
        delete(personal_record).where(
            personal_record.c.user_id == user_id, personal_record.c.template_id.in_(ids)
        ),
    )
    if new_records:
        await sql.execute(session, insert(personal_record), new_records)


async def add_latest_records(
    session: AsyncSession,
    user_id: int,
    started_at: datetime,
    summaries: Mapping[int, Mapping[str, Any]],
) -> list[dict[str, Any]] | None:
    """The records a new workout sets, when it is the latest of each of its exercises.

    Then the earlier workouts' records and counts stand, and the new one is weighed against
    the kept bests alone (a few rows), not the exercise's whole history. Returns the records
    as the workout's answer shows them, or None, changing nothing, when any of its exercises
    was done later: ``refresh_records`` then.
    """
    if not summaries:
        return []
    ids = sorted(summaries)
    summary = workout_exercise_summary
    later = await sql.execute(
        session,
        select(summary.c.template_id)
        .where(
            summary.c.user_id == user_id,
            summary.c.template_id.in_(ids),
            summary.c.started_at > started_at,
        )
        .limit(1),
    )
    if later.first() is not None:
        return None
    kept = await sql.execute(
        session,
        select(
            personal_record.c.template_id,
            personal_record.c.kind,
            personal_record.c.value,
            personal_record.c.workout_id,
            personal_record.c.achieved_at,
        ).where(personal_record.c.user_id == user_id, personal_record.c.template_id.in_(ids)),
    )
    best: dict[int, dict[str, Best]] = defaultdict(dict)
    for template_id, kind, value, workout_id, achieved_at in kept:
        best[template_id][kind] = Best(value, workout_id, achieved_at)
    counts: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    shown: list[dict[str, Any]] = []
    for template_id, row in sorted(summaries.items(), key=lambda item: item[1]["first_position"]):
        before = best[template_id]
        improved = records_set_by(row, before)
        if not improved:
            continue
        counts.append({"w_id": row["workout_id"], "t_id": template_id, "count": len(improved)})
        shown.extend(
            {
                "template_id": template_id,
                "kind": kind,
                "value": record.value,
                "previous_value": before[kind].value if kind in before else None,
            }
            for kind, record in improved.items()
        )
        records.extend(_record_rows(user_id, template_id, improved))
    if counts:
        await _set_record_counts(session, counts)
        await sql.execute(
            session,
            delete(personal_record).where(
                personal_record.c.user_id == user_id,
                tuple_(personal_record.c.template_id, personal_record.c.kind).in_(
                    [(r["template_id"], r["kind"]) for r in records]
                ),
            ),
        )
        await sql.execute(session, insert(personal_record), records)
    return shown


async def _set_record_counts(session: AsyncSession, counts: list[dict[str, Any]]) -> None:
    """The changed counts; on PostgreSQL in one UPDATE (an import changes hundreds), not one
    statement per row (SQLite cannot join a VALUES list in an UPDATE)."""
    summary = workout_exercise_summary
    connection = await session.connection()
    if connection.dialect.name != "postgresql":
        await connection.execute(
            update(summary)
            .where(
                summary.c.workout_id == bindparam("w_id"),
                summary.c.template_id == bindparam("t_id"),
            )
            .values(record_count=bindparam("count")),
            counts,
        )
        return
    changed = sql_values(
        sql_column("w_id", Integer),
        sql_column("t_id", Integer),
        sql_column("count", Integer),
        name="changed",
    ).data([(c["w_id"], c["t_id"], c["count"]) for c in counts])
    await connection.execute(
        update(summary)
        .where(summary.c.workout_id == changed.c.w_id, summary.c.template_id == changed.c.t_id)
        .values(record_count=changed.c.count)
    )


async def _templates_of(session: AsyncSession, workout_id: int) -> set[int]:
    return set(
        (
            await sql.execute(
                session,
                select(workout_exercise_summary.c.template_id).where(
                    workout_exercise_summary.c.workout_id == workout_id
                ),
            )
        ).scalars()
    )


async def find_by_client_id(session: AsyncSession, user_id: int, client_id: str) -> int | None:
    found = await session.scalar(
        select(workout.c.id).where(workout.c.user_id == user_id, workout.c.client_id == client_id)
    )
    return None if found is None else int(found)


@dataclass(frozen=True)
class Logged:
    workout_id: int
    created: bool  # False: a known client_id named a workout stored before
    # The new workout as GET /workouts/{id} shows it, built from what was written; None when
    # it has to be read back (an existing workout, or one dated before others).
    answer: dict[str, Any] | None = None


async def create(
    session: AsyncSession, *, user_id: int, data: WorkoutIn, now: datetime, source: str = "manual"
) -> Logged:
    """Store a new workout, or name the existing one a known client_id stands for."""
    await log_version.bump(session, user_id)
    return await create_bumped(session, user_id=user_id, data=data, now=now, source=source)


async def create_bumped(
    session: AsyncSession, *, user_id: int, data: WorkoutIn, now: datetime, source: str = "manual"
) -> Logged:
    """``create`` in a transaction that has bumped the user's log version already."""
    client_id = None if data.client_id is None else str(data.client_id)
    if (await session.connection()).dialect.name == "postgresql":
        return await _create_in_one_statement(
            session, _workout_values(user_id, data, now, source), data
        )
    if client_id is not None:
        existing = await find_by_client_id(session, user_id, client_id)
        if existing is not None:
            await session.rollback()  # nothing changed: the version stays
            return Logged(existing, created=False)
    names = await _check_templates(session, user_id, data)
    values = _workout_values(user_id, data, now, source)
    try:
        workout_id = int(
            (
                await sql.execute(session, insert(workout).returning(workout.c.id), [values])
            ).scalar_one()
        )
    except IntegrityError:
        concurrent = await _committed_concurrently(session, user_id, client_id)
        if concurrent is None:
            raise
        return concurrent
    summaries = await _insert_contents(session, user_id, workout_id, data.started_at, data)
    records = await add_latest_records(session, user_id, data.started_at, summaries)
    if records is None:
        await refresh_records(session, user_id, summaries)
    await session.commit()
    if records is None:
        return Logged(workout_id, created=True)
    return Logged(workout_id, True, _written(workout_id, values, data, names, records))


async def _committed_concurrently(
    session: AsyncSession, user_id: int, client_id: str | None
) -> Logged | None:
    """After a failed insert: the workout a concurrent request committed with the same
    ``client_id``, if that is what the insert ran into."""
    await session.rollback()
    if client_id is None:
        return None
    existing = await find_by_client_id(session, user_id, client_id)
    return None if existing is None else Logged(existing, created=False)


def _workout_values(user_id: int, data: WorkoutIn, now: datetime, source: str) -> dict[str, Any]:
    """The ``workout`` row of a new workout, but its id."""
    return {
        "user_id": user_id,
        "title": data.title,
        "notes": data.notes,
        "started_at": data.started_at,
        "ended_at": data.ended_at,
        "source": source,
        "client_id": None if data.client_id is None else str(data.client_id),
        "created_at": now,
        "updated_at": now,
        "week_start": week_start(data.started_at),
        "duration_s": _duration(data.started_at, data.ended_at),
        **_workout_figures([exercise.sets for exercise in data.exercises]),
    }


async def _create_in_one_statement(
    session: AsyncSession, values: Mapping[str, Any], data: WorkoutIn
) -> Logged:
    """``create`` on PostgreSQL, the log version bumped: see ``workout_insert``."""
    user_id, client_id = values["user_id"], values["client_id"]
    summaries = _summary_figures(data)
    try:
        inserted = await workout_insert.insert_workout(session, values, data, summaries)
    except IntegrityError:
        concurrent = await _committed_concurrently(session, user_id, client_id)
        if concurrent is None:
            raise
        return concurrent
    if inserted.existing_id is not None:
        await session.rollback()  # nothing changed: the version stays
        return Logged(inserted.existing_id, created=False)
    if inserted.workout_id is None:
        await session.rollback()
        for index, exercise in enumerate(data.exercises):
            if exercise.template_id not in inserted.names:
                raise invalid_field(
                    ("exercises", index, "template_id"),
                    f"exercise template {exercise.template_id} not found in your library",
                )
        raise AssertionError("a workout with its exercises found was not written")
    workout_id = inserted.workout_id
    if inserted.later:
        await refresh_records(session, user_id, summaries)
        await session.commit()
        return Logged(workout_id, created=True)
    await session.commit()
    return Logged(
        workout_id, True, _written(workout_id, values, data, inserted.names, inserted.records)
    )


def _written(
    workout_id: int,
    values: Mapping[str, Any],
    data: WorkoutIn,
    names: Mapping[int, str],
    records: list[dict[str, Any]],
) -> dict[str, Any]:
    """A workout as ``read`` answers it, from the values just written (times in UTC)."""
    body = {column.name: values.get(column.name) for column in WORKOUT_COLUMNS}
    body["id"] = workout_id
    for column in ("started_at", "ended_at", "created_at", "updated_at"):
        instant = body[column]
        if instant is not None:
            body[column] = instant.astimezone(UTC)
    body["exercises"] = [
        {
            "position": position,
            "template_id": exercise.template_id,
            "name": names[exercise.template_id],
            "notes": exercise.notes,
            "superset": exercise.superset,
            "sets": [
                {"position": number, **{field: getattr(s, field) for field in SET_FIELDS}}
                for number, s in enumerate(exercise.sets, start=1)
            ],
        }
        for position, exercise in enumerate(data.exercises, start=1)
    ]
    body["records"] = records
    return body


async def answer_for(session: AsyncSession, user_id: int, logged: Logged) -> dict[str, Any]:
    """The answer to the request that logged a workout: what GET /workouts/{id} shows."""
    if logged.answer is not None:
        return logged.answer
    return await read(session, user_id=user_id, workout_id=logged.workout_id)


async def _owned(session: AsyncSession, user_id: int, workout_id: int) -> Any:
    row = (
        await sql.execute(
            session,
            select(workout.c.id, workout.c.started_at, workout.c.ended_at).where(
                workout.c.id == workout_id, workout.c.user_id == user_id
            ),
        )
    ).first()
    if row is None:
        raise WorkoutNotFoundError
    return row


async def replace(
    session: AsyncSession, *, user_id: int, workout_id: int, data: WorkoutIn, now: datetime
) -> None:
    await log_version.bump(session, user_id)
    await _owned(session, user_id, workout_id)
    await _check_templates(session, user_id, data)
    before = await _templates_of(session, workout_id)
    await sql.execute(
        session, delete(workout_exercise).where(workout_exercise.c.workout_id == workout_id)
    )
    await sql.execute(
        session,
        delete(workout_exercise_summary).where(workout_exercise_summary.c.workout_id == workout_id),
    )
    await sql.execute(
        session,
        update(workout)
        .where(workout.c.id == workout_id)
        .values(
            title=data.title,
            notes=data.notes,
            started_at=data.started_at,
            ended_at=data.ended_at,
            updated_at=now,
            week_start=week_start(data.started_at),
            duration_s=_duration(data.started_at, data.ended_at),
            **_workout_figures([exercise.sets for exercise in data.exercises]),
        ),
    )
    after = await _insert_contents(session, user_id, workout_id, data.started_at, data)
    await refresh_records(session, user_id, before | set(after))
    await session.commit()


async def patch(
    session: AsyncSession, *, user_id: int, workout_id: int, changes: dict[str, Any], now: datetime
) -> None:
    await log_version.bump(session, user_id)
    current = await _owned(session, user_id, workout_id)
    started_at = changes.get("started_at", current.started_at)
    ended_at = changes.get("ended_at", current.ended_at)
    if ended_at is not None and ended_at < started_at:
        field = "ended_at" if "ended_at" in changes else "started_at"
        raise invalid_field((field,), "ended_at must not be before started_at")
    values = {
        **changes,
        "updated_at": now,
        "week_start": week_start(started_at),
        "duration_s": _duration(started_at, ended_at),
    }
    await sql.execute(session, update(workout).where(workout.c.id == workout_id).values(**values))
    if "started_at" in changes and started_at != current.started_at:
        # The order of the history changed: records may move to another workout.
        await sql.execute(
            session,
            update(workout_exercise_summary)
            .where(workout_exercise_summary.c.workout_id == workout_id)
            .values(started_at=started_at),
        )
        await refresh_records(session, user_id, await _templates_of(session, workout_id))
    await session.commit()


async def remove(session: AsyncSession, *, user_id: int, workout_id: int) -> None:
    await log_version.bump(session, user_id)
    await _owned(session, user_id, workout_id)
    templates = await _templates_of(session, workout_id)
    # Exercises, sets, summaries and records of the workout go with it (ON DELETE CASCADE).
    await sql.execute(session, delete(workout).where(workout.c.id == workout_id))
    await refresh_records(session, user_id, templates)
    await session.commit()


# --- reads ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    start: datetime | None
    end: datetime | None


def in_window(column: Any, window: Window) -> list[ColumnElement[bool]]:
    conditions = []
    if window.start is not None:
        conditions.append(column >= window.start)
    if window.end is not None:
        conditions.append(column < window.end)
    return conditions


async def sets_of(
    session: AsyncSession, exercise_ids: Sequence[int]
) -> dict[int, list[dict[str, Any]]]:
    by_exercise: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not exercise_ids:
        return by_exercise
    rows = (
        await sql.execute(
            session,
            select(
                workout_set.c.workout_exercise_id,
                workout_set.c.position,
                *(workout_set.c[field] for field in SET_FIELDS),
            )
            .where(workout_set.c.workout_exercise_id.in_(exercise_ids))
            .order_by(workout_set.c.workout_exercise_id, workout_set.c.position),
        )
    ).mappings()
    for row in rows:
        item = dict(row)
        by_exercise[item.pop("workout_exercise_id")].append(item)
    return by_exercise


async def workout_records(
    session: AsyncSession, user_id: int, workout_id: int, started_at: datetime
) -> list[dict[str, Any]]:
    """The records this workout set first, with the best before it (null the first time)."""
    own = (
        (
            await sql.execute(
                session,
                select(workout_exercise_summary.c.template_id, *FIGURE_COLUMNS)
                .where(workout_exercise_summary.c.workout_id == workout_id)
                .order_by(workout_exercise_summary.c.first_position),
            )
        )
        .mappings()
        .all()
    )
    if not own:
        return []
    earlier = or_(
        workout_exercise_summary.c.started_at < started_at,
        and_(
            workout_exercise_summary.c.started_at == started_at,
            workout_exercise_summary.c.workout_id < workout_id,
        ),
    )
    previous = {
        row["template_id"]: row
        for row in (
            await sql.execute(
                session,
                select(
                    workout_exercise_summary.c.template_id,
                    *(func.max(column).label(column.name) for column in FIGURE_COLUMNS),
                )
                .where(
                    workout_exercise_summary.c.user_id == user_id,
                    workout_exercise_summary.c.template_id.in_([r["template_id"] for r in own]),
                    earlier,
                )
                .group_by(workout_exercise_summary.c.template_id),
            )
        ).mappings()
    }
    records = []
    for row in own:
        before = previous.get(row["template_id"])
        for kind in KINDS:
            column = SUMMARY_COLUMN[kind]
            value = row[column]
            prior = None if before is None else before[column]
            if value is not None and (prior is None or value > prior):
                records.append(
                    {
                        "template_id": row["template_id"],
                        "kind": kind,
                        "value": float(value),
                        "previous_value": None if prior is None else float(prior),
                    }
                )
    return records


async def read(session: AsyncSession, *, user_id: int, workout_id: int) -> dict[str, Any]:
    row = (
        (
            await sql.execute(
                session,
                select(*WORKOUT_COLUMNS).where(
                    workout.c.id == workout_id, workout.c.user_id == user_id
                ),
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise WorkoutNotFoundError
    exercises = (
        (
            await sql.execute(
                session,
                select(
                    workout_exercise.c.id,
                    workout_exercise.c.position,
                    workout_exercise.c.template_id,
                    exercise_template.c.name,
                    workout_exercise.c.notes,
                    workout_exercise.c.superset,
                )
                .join(exercise_template, exercise_template.c.id == workout_exercise.c.template_id)
                .where(workout_exercise.c.workout_id == workout_id)
                .order_by(workout_exercise.c.position),
            )
        )
        .mappings()
        .all()
    )
    sets = await sets_of(session, [exercise["id"] for exercise in exercises])
    body = dict(row)
    body["exercises"] = [
        {**{k: v for k, v in exercise.items() if k != "id"}, "sets": sets.get(exercise["id"], [])}
        for exercise in exercises
    ]
    body["records"] = await workout_records(session, user_id, workout_id, row["started_at"])
    return body
