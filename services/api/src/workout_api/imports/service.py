"""Writing a read file into a user's log: one transaction, inserts in batches.

Workouts already in the log (same start time and title) are skipped, so a file imported
twice creates nothing the second time and overlapping exports merge. Exercise names are
matched to the library by name, then alias, case-insensitive; every other name becomes
one custom exercise of the user.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.imports.readers import ImportedSet, ParsedFile, ParsedWorkout
from workout_api.training import log_version, sql, templates
from workout_api.training.figures import exercise_figures, week_start
from workout_api.training.library_sync import search_text
from workout_api.training.schemas import TemplateCreate
from workout_api.training.tables import (
    exercise_template,
    workout,
    workout_exercise,
    workout_exercise_summary,
    workout_set,
)
from workout_api.training.workouts import SET_FIELDS, refresh_records

WORKOUTS_PER_BATCH = 500

# Told the sets written so far and the sets to write: once before the first batch, then
# after each batch (from inside the import's transaction: it must not write to it).
RowsProgress = Callable[[int, int], Awaitable[None]]


@dataclass
class ImportOutcome:
    source: str
    dry_run: bool
    workouts_found: int = 0
    workouts_created: int = 0
    duplicates_skipped: int = 0
    sets_created: int = 0
    rows_skipped: list[dict[str, Any]] = field(default_factory=list)
    templates_created: list[str] = field(default_factory=list)
    unmatched_names: list[str] = field(default_factory=list)


def _key(started_at: datetime, title: str) -> tuple[datetime, str]:
    return started_at.astimezone(UTC), title


async def _existing_keys(
    session: AsyncSession, user_id: int, workouts: Sequence[ParsedWorkout]
) -> set[tuple[datetime, str]]:
    if not workouts:
        return set()
    first = min(w.started_at for w in workouts)
    last = max(w.started_at for w in workouts)
    rows = await sql.execute(
        session,
        select(workout.c.started_at, workout.c.title).where(
            workout.c.user_id == user_id,
            workout.c.started_at >= first,
            workout.c.started_at <= last,
        ),
    )
    return {_key(row.started_at, row.title) for row in rows}


def _new_template(name: str, known: dict[str, TemplateCreate]) -> TemplateCreate:
    exported = known.get(name.lower())
    if exported is not None:
        return exported
    return TemplateCreate(name=name, primary_muscle="other")


async def import_file(
    session: AsyncSession,
    *,
    user_id: int,
    parsed: ParsedFile,
    dry_run: bool,
    now: datetime,
    progress: RowsProgress | None = None,
) -> ImportOutcome:
    outcome = ImportOutcome(
        source=parsed.source,
        dry_run=dry_run,
        workouts_found=len(parsed.workouts),
        rows_skipped=[{"line": e.line, "reason": e.reason} for e in parsed.errors],
    )
    # Taken first: the user's other writes wait, so the duplicate check stays true.
    await log_version.bump(session, user_id)
    library = await templates.name_index(session, user_id)
    existing = await _existing_keys(session, user_id, parsed.workouts)
    fresh: list[ParsedWorkout] = []
    for candidate in parsed.workouts:
        key = _key(candidate.started_at, candidate.title)
        if key in existing:
            outcome.duplicates_skipped += 1
            continue
        existing.add(key)  # the same workout twice in one file counts once
        fresh.append(candidate)

    exported = {t.name.lower(): t for t in parsed.templates}
    wanted: dict[str, TemplateCreate] = {}
    for name in [t.name for t in parsed.templates] + [e.name for w in fresh for e in w.exercises]:
        if name.lower() not in library and name.lower() not in wanted:
            wanted[name.lower()] = _new_template(name, exported)
    used = {e.name.lower() for w in fresh for e in w.exercises}
    outcome.templates_created = [t.name for t in wanted.values()]
    outcome.unmatched_names = [t.name for key, t in wanted.items() if key in used]
    outcome.workouts_created = len(fresh)
    outcome.sets_created = sum(len(e.sets) for w in fresh for e in w.exercises)
    if dry_run:
        await session.rollback()
        return outcome
    try:
        if wanted:
            ids = (
                await sql.execute(
                    session,
                    insert(exercise_template).returning(
                        exercise_template.c.id, sort_by_parameter_order=True
                    ),
                    [
                        {
                            **t.model_dump(),
                            "owner_id": user_id,
                            "name_key": t.name.lower(),
                            "search_text": search_text(t.name, t.aliases),
                        }
                        for t in wanted.values()
                    ],
                )
            ).scalars()
            library.update(zip(wanted, ids, strict=True))
        touched: set[int] = set()
        written = 0
        if progress is not None:
            await progress(written, outcome.sets_created)
        for start in range(0, len(fresh), WORKOUTS_PER_BATCH):
            batch = fresh[start : start + WORKOUTS_PER_BATCH]
            touched |= await _insert_batch(session, user_id, batch, library, now)
            written += sum(len(e.sets) for w in batch for e in w.exercises)
            if progress is not None:
                await progress(written, outcome.sets_created)
        await refresh_records(session, user_id, touched)
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
    return outcome


async def _insert_batch(
    session: AsyncSession,
    user_id: int,
    batch: Sequence[ParsedWorkout],
    library: dict[str, int],
    now: datetime,
) -> set[int]:
    """Workouts, their exercises, sets and summary rows: four statements per batch."""
    workout_rows = []
    for w in batch:
        per_exercise = [exercise_figures(e.sets) for e in w.exercises]
        workout_rows.append(
            {
                "user_id": user_id,
                "title": w.title,
                "notes": w.notes,
                "started_at": w.started_at,
                "ended_at": w.ended_at,
                "source": w.source,
                "client_id": None,
                "created_at": now,
                "updated_at": now,
                "week_start": week_start(w.started_at),
                "duration_s": None
                if w.ended_at is None
                else int((w.ended_at - w.started_at).total_seconds()),
                "exercise_count": len(w.exercises),
                "set_count": sum(f["set_count"] for f in per_exercise),
                "working_set_count": sum(f["working_sets"] for f in per_exercise),
                "volume_kg": sum(f["volume_kg"] for f in per_exercise),
            }
        )
    workout_ids = list(
        (
            await sql.execute(
                session,
                insert(workout).returning(workout.c.id, sort_by_parameter_order=True),
                workout_rows,
            )
        ).scalars()
    )
    exercise_rows = []
    summaries: list[dict[str, Any]] = []
    for workout_id, w in zip(workout_ids, batch, strict=True):
        by_template: dict[int, list[ImportedSet]] = {}
        first_position: dict[int, int] = {}
        for position, e in enumerate(w.exercises, start=1):
            template_id = library[e.name.lower()]
            exercise_rows.append(
                {
                    "workout_id": workout_id,
                    "position": position,
                    "template_id": template_id,
                    "notes": e.notes,
                    "superset": e.superset,
                }
            )
            by_template.setdefault(template_id, []).extend(e.sets)
            first_position.setdefault(template_id, position)
        summaries.extend(
            {
                "workout_id": workout_id,
                "template_id": template_id,
                "user_id": user_id,
                "started_at": w.started_at,
                "first_position": first_position[template_id],
                "record_count": 0,
                **exercise_figures(sets),
            }
            for template_id, sets in by_template.items()
        )
    if not exercise_rows:
        return set()
    exercise_ids = list(
        (
            await sql.execute(
                session,
                insert(workout_exercise).returning(
                    workout_exercise.c.id, sort_by_parameter_order=True
                ),
                exercise_rows,
            )
        ).scalars()
    )
    exercises = [e for w in batch for e in w.exercises]
    set_rows = [
        {
            "workout_exercise_id": exercise_id,
            "position": position,
            **{name: getattr(s, name) for name in SET_FIELDS},
        }
        for exercise_id, e in zip(exercise_ids, exercises, strict=True)
        for position, s in enumerate(e.sets, start=1)
    ]
    await sql.insert_rows(session, workout_set, set_rows)
    await sql.insert_rows(session, workout_exercise_summary, summaries)
    return {row["template_id"] for row in summaries}
