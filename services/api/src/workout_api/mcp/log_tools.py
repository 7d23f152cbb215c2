"""What each training-log tool does, as plain functions (no MCP types here).

Each acts for one lifter, found by the server's :class:`Identity`, and calls the same
service functions as the REST routes, so validation, errors and ownership are theirs. An
answer is the REST body with ``"status": 200`` first; a refusal is ``{"status", "detail"}``
with the REST status (validation errors, 422 over REST, are 400 like every bad argument).
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import pydantic
from fastapi import HTTPException
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.database import SessionFactory
from workout_api.imports import run
from workout_api.imports.run import ImportOptions, ImportRefusedError
from workout_api.imports.schemas import ImportResult
from workout_api.mcp.identity import Identity
from workout_api.mcp.logged_workout import LoggedExercise, workout_in
from workout_api.training import analysis, templates, workout_list, workouts
from workout_api.training.dependencies import Clock, lifter, log_writer, user_id_of
from workout_api.training.schemas import (
    HistoryPage,
    Progress,
    RecordList,
    Stats,
    TemplatePage,
    WorkoutPage,
    WorkoutResponse,
)
from workout_api.training.workout_list import ListFilter
from workout_api.training.workouts import Window

Answer = dict[str, Any]
Work = Callable[[AsyncSession, int], Awaitable[Answer]]


@dataclass(frozen=True)
class LogToolContext:
    session_factory: SessionFactory
    identity: Identity
    clock: Clock


def _where(loc: Sequence[str | int]) -> str:
    parts = [str(part) for part in loc if part not in ("body", "")]
    return ".".join(parts) or "arguments"


def problems(errors: Sequence[Any]) -> str:
    """Validation errors as one line: ``where: what`` for each."""
    return "invalid arguments: " + "; ".join(
        f"{_where(error['loc'])}: {error['msg']}" for error in errors
    )


def refusal(status: int, detail: str) -> Answer:
    return {"status": status, "detail": detail}


def rest_body(model: type[BaseModel], body: Any) -> Answer:
    """The JSON the REST route answers with for this body (its response model's)."""
    answer: Answer = model.model_validate(body).model_dump(mode="json", by_alias=True)
    return answer


async def _for_lifter(context: LogToolContext, work: Work, *, writes: bool = False) -> Answer:
    try:
        async with context.session_factory() as session:
            user = await context.identity.user(session)
            user = await (log_writer(user) if writes else lifter(user))
            body = await work(session, user_id_of(user))
    except HTTPException as exc:
        return refusal(exc.status_code, str(exc.detail))
    except RequestValidationError as exc:
        return refusal(400, problems(exc.errors()))
    except pydantic.ValidationError as exc:
        return refusal(400, problems(exc.errors(include_url=False)))
    return {"status": 200, **body}  # a body may name another success status


def _page(page: int, page_size: int, total: int, items: list[dict[str, Any]]) -> Answer:
    return {"page": page, "page_size": page_size, "total": total, "items": items}


async def search_templates(
    context: LogToolContext,
    *,
    q: str | None,
    muscle: str | None,
    equipment: str | None,
    type_: str | None,
    custom: bool | None,
    page: int,
    page_size: int,
) -> Answer:
    async def work(session: AsyncSession, user_id: int) -> Answer:
        total, items = await templates.page(
            session,
            user_id=user_id,
            q=q,
            muscle=muscle,
            equipment=equipment,
            type_=type_,
            custom=custom,
            page=page,
            page_size=page_size,
        )
        return rest_body(TemplatePage, _page(page, page_size, total, items))

    return await _for_lifter(context, work)


async def list_workouts(
    context: LogToolContext,
    *,
    window: Window,
    template_id: int | None,
    page: int,
    page_size: int,
    sort_order: str,
) -> Answer:
    async def work(session: AsyncSession, user_id: int) -> Answer:
        narrowed = ListFilter(window, template_id)
        _, total = await workout_list.version_and_total(session, user_id=user_id, narrowed=narrowed)
        items = await workout_list.page_items(
            session,
            user_id=user_id,
            narrowed=narrowed,
            newest_first=sort_order == "desc",
            page=page,
            page_size=page_size,
        )
        return rest_body(WorkoutPage, _page(page, page_size, total, items))

    return await _for_lifter(context, work)


async def get_workout(context: LogToolContext, *, workout_id: int) -> Answer:
    async def work(session: AsyncSession, user_id: int) -> Answer:
        body = await workouts.read(session, user_id=user_id, workout_id=workout_id)
        return rest_body(WorkoutResponse, body)

    return await _for_lifter(context, work)


async def log_workout(
    context: LogToolContext, *, body: dict[str, Any], exercises: list[LoggedExercise]
) -> Answer:
    """``POST /workouts`` with source ``mcp``."""

    async def work(session: AsyncSession, user_id: int) -> Answer:
        data = await workout_in(session, user_id=user_id, body=body, exercises=exercises)
        now: datetime = context.clock()
        logged = await workouts.create(session, user_id=user_id, data=data, now=now, source="mcp")
        stored = await workouts.answer_for(session, user_id, logged)
        # As over REST: 201 for a new workout, 200 for the one a known client_id names.
        return {"status": 201 if logged.created else 200, **rest_body(WorkoutResponse, stored)}

    return await _for_lifter(context, work, writes=True)


async def exercise_history(
    context: LogToolContext,
    *,
    template_id: int,
    window: Window,
    page: int,
    page_size: int,
) -> Answer:
    async def work(session: AsyncSession, user_id: int) -> Answer:
        total, items = await analysis.history(
            session,
            user_id=user_id,
            template_id=template_id,
            window=window,
            page=page,
            page_size=page_size,
        )
        return rest_body(HistoryPage, _page(page, page_size, total, items))

    return await _for_lifter(context, work)


async def progress(
    context: LogToolContext, *, template_id: int, metric: str, bucket: str, window: Window
) -> Answer:
    async def work(session: AsyncSession, user_id: int) -> Answer:
        body = await analysis.progress(
            session,
            user_id=user_id,
            template_id=template_id,
            metric=metric,
            bucket=bucket,
            window=window,
        )
        return rest_body(Progress, body)

    return await _for_lifter(context, work)


async def personal_records(context: LogToolContext, *, template_id: int | None) -> Answer:
    async def work(session: AsyncSession, user_id: int) -> Answer:
        items = await analysis.records(session, user_id=user_id, template_id=template_id)
        return rest_body(RecordList, {"items": items})

    return await _for_lifter(context, work)


async def training_stats(context: LogToolContext, *, window: Window) -> Answer:
    async def work(session: AsyncSession, user_id: int) -> Answer:
        body = await analysis.stats(
            session, user_id=user_id, window=window, today=context.clock().date()
        )
        return rest_body(Stats, body)

    return await _for_lifter(context, work)


async def import_export(
    context: LogToolContext,
    *,
    content: str,
    source: str,
    weight_unit: str | None,
    timezone: str,
    dry_run: bool,
    on_error: str,
) -> Answer:
    """``POST /imports`` with the file's text: the same reading and writing, answered at once."""

    async def work(session: AsyncSession, user_id: int) -> Answer:
        zone = run.time_zone(timezone)
        unit = weight_unit or (await context.identity.user(session)).weight_unit
        options = ImportOptions(
            source=source, weight_unit=unit, zone=zone, dry_run=dry_run, on_error=on_error
        )
        try:
            outcome = await run.read_and_import(
                session,
                user_id=user_id,
                binary=io.BytesIO(content.encode()),
                options=options,
                now=context.clock(),
            )
        except ImportRefusedError as exc:
            return {"status": 400, **exc.body.model_dump()}
        return rest_body(ImportResult, asdict(outcome))

    return await _for_lifter(context, work, writes=True)
