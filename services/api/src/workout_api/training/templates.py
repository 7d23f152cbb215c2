"""The exercise library: built-ins plus each user's custom exercises."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, cast, delete, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.training import log_version, sql
from workout_api.training.exceptions import (
    BuiltInTemplateError,
    TemplateInUseError,
    TemplateNameTakenError,
    TemplateNotFoundError,
)
from workout_api.training.library_sync import search_text
from workout_api.training.schemas import TemplateCreate
from workout_api.training.tables import exercise_template, workout_exercise
from workout_api.training.workouts import visible_templates

TEMPLATE_COLUMNS = (
    exercise_template.c.id,
    exercise_template.c.name,
    exercise_template.c.type,
    exercise_template.c.primary_muscle,
    exercise_template.c.secondary_muscles,
    exercise_template.c.equipment,
    exercise_template.c.aliases,
    exercise_template.c.owner_id.is_not(None).label("custom"),
)


def _like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def page(
    session: AsyncSession,
    *,
    user_id: int,
    q: str | None,
    muscle: str | None,
    equipment: str | None,
    type_: str | None,
    custom: bool | None,
    page: int,
    page_size: int,
) -> tuple[int, list[dict[str, Any]]]:
    conditions = [visible_templates(user_id)]
    if q:
        conditions.append(exercise_template.c.search_text.like(_like_pattern(q), escape="\\"))
    if muscle:
        conditions.append(
            (exercise_template.c.primary_muscle == muscle)
            | cast(exercise_template.c.secondary_muscles, Text).like(f'%"{muscle}"%')
        )
    if equipment:
        conditions.append(exercise_template.c.equipment == equipment)
    if type_:
        conditions.append(exercise_template.c.type == type_)
    if custom is not None:
        conditions.append(
            exercise_template.c.owner_id.is_not(None)
            if custom
            else exercise_template.c.owner_id.is_(None)
        )
    total = int(
        await session.scalar(select(func.count()).select_from(exercise_template).where(*conditions))
        or 0
    )
    rows = await sql.execute(
        session,
        select(*TEMPLATE_COLUMNS)
        .where(*conditions)
        .order_by(exercise_template.c.name_key, exercise_template.c.id)
        .limit(page_size)
        .offset((page - 1) * page_size),
    )
    return total, [dict(row) for row in rows.mappings()]


async def get(session: AsyncSession, *, user_id: int, template_id: int) -> dict[str, Any]:
    row = (
        (
            await sql.execute(
                session,
                select(*TEMPLATE_COLUMNS).where(
                    exercise_template.c.id == template_id, visible_templates(user_id)
                ),
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise TemplateNotFoundError
    return dict(row)


async def name_index(session: AsyncSession, user_id: int) -> dict[str, int]:
    """Lower-cased names and aliases of the user's library to template ids: how a name
    typed or imported is matched. A name wins over an alias, the user's own exercise
    over a built-in."""
    rows = (
        await sql.execute(
            session,
            select(
                exercise_template.c.id,
                exercise_template.c.name_key,
                exercise_template.c.aliases,
                exercise_template.c.owner_id,
            ).where(visible_templates(user_id)),
        )
    ).all()
    by_alias: dict[str, int] = {}
    by_name: dict[str, int] = {}
    for row in sorted(rows, key=lambda r: r.owner_id is not None):
        by_name[row.name_key] = row.id
        for alias in row.aliases or []:
            by_alias[alias.lower()] = row.id
    return {**by_alias, **by_name}


async def _name_taken(
    session: AsyncSession, user_id: int, name: str, except_id: int | None = None
) -> bool:
    query = select(exercise_template.c.id).where(
        exercise_template.c.owner_id == user_id, exercise_template.c.name_key == name.lower()
    )
    if except_id is not None:
        query = query.where(exercise_template.c.id != except_id)
    return (await session.scalar(query)) is not None


async def create(session: AsyncSession, *, user_id: int, data: TemplateCreate) -> int:
    if await _name_taken(session, user_id, data.name):
        raise TemplateNameTakenError(data.name)
    values = {
        **data.model_dump(),
        "owner_id": user_id,
        "name_key": data.name.lower(),
        "search_text": search_text(data.name, data.aliases),
    }
    try:
        template_id = (
            await sql.execute(
                session, insert(exercise_template).returning(exercise_template.c.id), [values]
            )
        ).scalar_one()
        await session.commit()
    except IntegrityError as exc:  # the same name created concurrently
        await session.rollback()
        raise TemplateNameTakenError(data.name) from exc
    return int(template_id)


async def _own(session: AsyncSession, user_id: int, template_id: int) -> dict[str, Any]:
    template = await get(session, user_id=user_id, template_id=template_id)
    if not template["custom"]:
        raise BuiltInTemplateError
    return template


async def change(
    session: AsyncSession, *, user_id: int, template_id: int, changes: dict[str, Any]
) -> None:
    template = await _own(session, user_id, template_id)
    if not changes:
        return
    name = changes.get("name", template["name"])
    if "name" in changes and await _name_taken(session, user_id, name, except_id=template_id):
        raise TemplateNameTakenError(name)
    values = dict(changes)
    if "name" in changes:
        values["name_key"] = name.lower()
    values["search_text"] = search_text(name, changes.get("aliases", template["aliases"]))
    try:
        await sql.execute(
            session,
            update(exercise_template).where(exercise_template.c.id == template_id).values(**values),
        )
        # Names and muscles show in the workout list: its ETag must change.
        await log_version.bump(session, user_id)
        await session.commit()
    except IntegrityError as exc:
        await session.rollback()
        raise TemplateNameTakenError(name) from exc


async def remove(session: AsyncSession, *, user_id: int, template_id: int) -> None:
    await _own(session, user_id, template_id)
    in_use = await session.scalar(
        select(exists().where(workout_exercise.c.template_id == template_id))
    )
    if in_use:
        raise TemplateInUseError
    try:
        await sql.execute(
            session, delete(exercise_template).where(exercise_template.c.id == template_id)
        )
        await session.commit()
    except IntegrityError as exc:  # used by a workout saved at the same moment
        await session.rollback()
        raise TemplateInUseError from exc
