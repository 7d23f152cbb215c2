"""``GET /workouts``: the lifter's workout summaries, a page at a time.

The statements are built once per shape (which filters are given, which order) with bound
parameters, so every caller runs the same SQL: the REST route on a kept driver connection
(``fastpath/driver_reads.py``: compiled once, no ORM, no per-request statement building),
the MCP tools through a session. The route's first statement also reads the account the
access token names, so a signed-in read costs two round trips, the first of which is
enough for a 304.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    bindparam,
    exists,
    func,
    select,
)
from sqlalchemy.engine import Dialect
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.auth.revocations import RevokedToken
from workout_api.auth.tokens import TokenClaims
from workout_api.exercises.etag import etag_matches
from workout_api.fastpath.driver_reads import DriverConnection, fetch_rows
from workout_api.fastpath.query_models import QueryModel
from workout_api.training import log_version, sql
from workout_api.training.dependencies import ensure_lifter
from workout_api.training.log_write_start import AccountRow, standing_role
from workout_api.training.schemas import MAX_ID, MAX_PAGE, MAX_PAGE_SIZE, QueryInstant
from workout_api.training.tables import (
    exercise_template,
    training_log_version,
    workout,
    workout_exercise_summary,
)
from workout_api.training.workouts import Window
from workout_api.users.models import User


class WorkoutListQuery(QueryModel):
    from_: QueryInstant | None = Field(
        None,
        alias="from",
        description="Inclusive, on started_at: a date (00:00 UTC) or a date-time",
    )
    to: QueryInstant | None = Field(
        None, description="Exclusive, on started_at: a date (00:00 UTC) or a date-time"
    )
    template_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Only workouts with this exercise"
    )
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number (1-indexed)")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description="Items per page")
    sort_order: Literal["asc", "desc"] = Field("desc", description="By started_at")

    def etag_part(self) -> str:
        """What the ETag of a page depends on besides the log's version."""
        return "|".join(
            str(part)
            for part in (
                self.from_ and self.from_.isoformat(),
                self.to and self.to.isoformat(),
                self.template_id,
                self.page,
                self.page_size,
                self.sort_order,
            )
        )


@dataclass(frozen=True)
class ListFilter:
    """What narrows the list; its shape (which parts are given) picks the statement."""

    window: Window
    template_id: int | None

    @property
    def shape(self) -> tuple[bool, bool, bool]:
        return (
            self.window.start is not None,
            self.window.end is not None,
            self.template_id is not None,
        )

    def parameters(self, user_id: int) -> dict[str, Any]:
        values: dict[str, Any] = {"user_id": user_id}
        if self.window.start is not None:
            values["start"] = self.window.start
        if self.window.end is not None:
            values["end"] = self.window.end
        if self.template_id is not None:
            values["template_id"] = self.template_id
        return values


def _conditions(shape: tuple[bool, bool, bool]) -> list[ColumnElement[bool]]:
    has_start, has_end, has_template = shape
    user_id: BindParameter[int] = bindparam("user_id", type_=Integer)
    conditions = [workout.c.user_id == user_id]
    if has_start:
        conditions.append(
            workout.c.started_at >= bindparam("start", type_=workout.c.started_at.type)
        )
    if has_end:
        conditions.append(workout.c.started_at < bindparam("end", type_=workout.c.started_at.type))
    if has_template:
        conditions.append(
            workout.c.id.in_(
                select(workout_exercise_summary.c.workout_id).where(
                    workout_exercise_summary.c.user_id == user_id,
                    workout_exercise_summary.c.template_id == bindparam("template_id"),
                )
            )
        )
    return conditions


def _version_and_total(shape: tuple[bool, bool, bool]) -> tuple[Any, Any]:
    """The log version and the matching total: the kept count when nothing narrows the list
    (its cost does not grow with the history), a count of what matches otherwise."""

    def kept(column: ColumnElement[Any]) -> Any:
        return (
            select(column)
            .where(training_log_version.c.user_id == bindparam("user_id"))
            .scalar_subquery()
        )

    if not any(shape):
        return kept(training_log_version.c.version), kept(training_log_version.c.workout_count)
    total = select(func.count()).select_from(workout).where(*_conditions(shape)).scalar_subquery()
    return kept(training_log_version.c.version), total


def _version_and_total_query(shape: tuple[bool, bool, bool]) -> Select[Any]:
    return select(*_version_and_total(shape))


def _account_version_and_total_query(shape: tuple[bool, bool, bool]) -> Select[Any]:
    """The account, whether the token is revoked, the log version and the total, in one row."""
    users = User.__table__.c  # type: ignore[attr-defined]
    revoked = exists().where(RevokedToken.token_id == bindparam("token_id"))  # type: ignore[arg-type]
    return select(
        users.username,
        users.disabled,
        users.token_version,
        users.role,
        revoked,
        *_version_and_total(shape),
    ).where(users.id == bindparam("user_id"))


def _page_query(shape: tuple[bool, bool, bool], newest_first: bool) -> Select[Any]:
    order = (
        (workout.c.started_at.desc(), workout.c.id.desc())
        if newest_first
        else (workout.c.started_at.asc(), workout.c.id.asc())
    )
    chosen = (
        select(
            workout.c.id,
            workout.c.title,
            workout.c.started_at,
            workout.c.ended_at,
            workout.c.duration_s,
            workout.c.exercise_count,
            workout.c.set_count,
            workout.c.volume_kg,
        )
        .where(*_conditions(shape))
        .order_by(*order)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
        .subquery()
    )
    summary = workout_exercise_summary
    page_order = (
        (chosen.c.started_at.desc(), chosen.c.id.desc())
        if newest_first
        else (chosen.c.started_at.asc(), chosen.c.id.asc())
    )
    return (
        select(
            chosen,
            summary.c.template_id,
            exercise_template.c.name,
            summary.c.set_count,
            summary.c.record_count,
        )
        .select_from(
            chosen.outerjoin(summary, summary.c.workout_id == chosen.c.id).outerjoin(
                exercise_template, exercise_template.c.id == summary.c.template_id
            )
        )
        .order_by(*page_order, summary.c.first_position)
    )


def _unchanged(value: Any) -> Any:
    return value


def summaries(
    rows: Iterable[Sequence[Any]], instant: Callable[[Any], Any] = _unchanged
) -> list[dict[str, Any]]:
    """Page rows (a workout with one of its exercises each) as the list's items; ``instant``
    turns a stored time into the answer's (once per workout, not once per row)."""
    items: dict[int, dict[str, Any]] = {}
    for (
        workout_id,
        title,
        started_at,
        ended_at,
        duration_s,
        exercise_count,
        set_count,
        volume_kg,
        template_id,
        name,
        exercise_set_count,
        record_count,
    ) in rows:
        item = items.get(workout_id)
        if item is None:
            item = items[workout_id] = {
                "id": workout_id,
                "title": title,
                "started_at": instant(started_at),
                "ended_at": instant(ended_at),
                "duration_s": duration_s,
                "exercise_count": exercise_count,
                "set_count": set_count,
                "volume_kg": volume_kg,
                "record_count": 0,
                "exercises": [],
            }
        if template_id is not None:
            item["record_count"] += record_count
            item["exercises"].append(
                {"template_id": template_id, "name": name, "set_count": exercise_set_count}
            )
    return list(items.values())


def _window_values(page: int, page_size: int) -> dict[str, int]:
    return {"limit": page_size, "offset": (page - 1) * page_size}


# --- through a session (the MCP tools) ------------------------------------------------


async def version_and_total(
    session: AsyncSession, *, user_id: int, narrowed: ListFilter
) -> tuple[int, int]:
    """The user's log version and how many workouts match, in one statement."""
    statement = _version_and_total_query(narrowed.shape)
    row = (await sql.execute(session, statement, narrowed.parameters(user_id))).one()
    return int(row[0] or 0), int(row[1] or 0)


async def page_items(
    session: AsyncSession,
    *,
    user_id: int,
    narrowed: ListFilter,
    newest_first: bool,
    page: int,
    page_size: int,
) -> list[dict[str, Any]]:
    """One page of workout summaries with their exercises, in one statement."""
    values = {**narrowed.parameters(user_id), **_window_values(page, page_size)}
    rows = await sql.execute(session, _page_query(narrowed.shape, newest_first), values)
    return summaries(rows)


# --- on a kept driver connection (the REST route) -------------------------------------


@dataclass(frozen=True)
class _Conversions:
    """What SQLAlchemy would do to the datetimes on the way in and out, for one dialect."""

    to_database: Callable[[Any], Any]
    from_database: Callable[[Any], Any]


_conversions: dict[tuple[str, str], _Conversions] = {}


def _conversions_for(dialect: Dialect) -> _Conversions:
    key = (dialect.name, dialect.driver)
    known = _conversions.get(key)
    if known is None:
        column_type = workout.c.started_at.type.dialect_impl(dialect)
        bind = column_type.bind_processor(dialect)
        result = column_type.result_processor(dialect, None)
        known = _conversions[key] = _Conversions(
            to_database=bind or _unchanged,
            from_database=result or _unchanged,
        )
    return known


def _driver_values(dialect: Dialect, values: Mapping[str, Any]) -> dict[str, Any]:
    convert = _conversions_for(dialect).to_database
    return {
        name: convert(value) if name in ("start", "end") else value
        for name, value in values.items()
    }


async def read_account_version_and_total(
    connection: DriverConnection,
    *,
    user_id: int,
    token_id: str | None,
    narrowed: ListFilter,
) -> tuple[AccountRow | None, int, int]:
    """The account a token names, and the log version and matching total, in one statement."""
    shape = narrowed.shape
    query = connection.compiled(
        ("workout-list-account", shape),
        lambda: _account_version_and_total_query(shape),
    )
    values = _driver_values(
        connection.dialect, {**narrowed.parameters(user_id), "token_id": token_id}
    )
    rows = await fetch_rows(connection, query, values, operation="SELECT app_user")
    if not rows:
        return None, 0, 0
    username, disabled, token_version, role, revoked, version, total = rows[0]
    account = AccountRow(username, bool(disabled), int(token_version), role, bool(revoked))
    return account, int(version or 0), int(total or 0)


async def read_page(
    connection: DriverConnection,
    *,
    user_id: int,
    narrowed: ListFilter,
    newest_first: bool,
    page: int,
    page_size: int,
) -> list[dict[str, Any]]:
    shape = narrowed.shape
    query = connection.compiled(
        ("workout-list-page", shape, newest_first),
        lambda: _page_query(shape, newest_first),
    )
    values = _driver_values(
        connection.dialect, {**narrowed.parameters(user_id), **_window_values(page, page_size)}
    )
    rows = await fetch_rows(connection, query, values, operation="SELECT workout")
    return summaries(rows, _conversions_for(connection.dialect).from_database)


# --- the REST route ---------------------------------------------------------------------


@dataclass(frozen=True)
class ListedPage:
    etag: str
    total: int
    page: int
    page_size: int
    items: list[dict[str, Any]] | None  # None: the caller's ETag is current (304)


async def list_page(
    connection: DriverConnection,
    *,
    claims: TokenClaims,
    query: WorkoutListQuery,
    if_none_match: str | None,
) -> ListedPage:
    """A page of the signed-in lifter's list, or None for items when ``if_none_match`` holds.

    The account is checked (as for every signed-in request) on the first statement's row;
    the version is read before the rows, so an ETag may be older than its body, never newer.
    """
    narrowed = ListFilter(Window(query.from_, query.to), query.template_id)
    account, version, total = await read_account_version_and_total(
        connection, user_id=claims.user_id, token_id=claims.token_id, narrowed=narrowed
    )
    ensure_lifter(standing_role(claims, account))
    etag = log_version.list_etag(claims.user_id, version, query.etag_part())
    page, page_size = query.page, query.page_size
    if etag_matches(if_none_match, etag):
        return ListedPage(etag, total, page, page_size, None)
    items = await read_page(
        connection,
        user_id=claims.user_id,
        narrowed=narrowed,
        newest_first=query.sort_order == "desc",
        page=page,
        page_size=page_size,
    )
    return ListedPage(etag, total, page, page_size, items)
