"""The exercise columns every read selects and the orders a list may take, built once.

The columns are the contract's fields (:data:`EXERCISE_FIELDS`), in that order; the fast
reads (:mod:`workout_api.exercises.fast_reads`) and the ORM reads
(:mod:`workout_api.exercises.repository`) both select them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func
from sqlalchemy import select as select_columns
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from workout_api.exercises.models import Exercise, ExerciseDataVersion
from workout_api.exercises.sorting import Sort, SortOrder
from workout_common.exercise_record import EXERCISE_FIELDS

EXERCISE_COLUMNS: tuple[Any, ...] = tuple(col(getattr(Exercise, name)) for name in EXERCISE_FIELDS)

VERSION_QUERY = select_columns(
    col(ExerciseDataVersion.version), col(ExerciseDataVersion.exercise_count)
).where(col(ExerciseDataVersion.id) == 1)

COUNT_QUERY = select_columns(func.count()).select_from(Exercise)


@dataclass(frozen=True)
class DataVersion:
    """Changes whenever any exercise is created, changed or deleted."""

    version: int
    exercise_count: int


def order_by(sort: Sort) -> list[ColumnElement[Any]]:
    column = getattr(Exercise, sort.column)
    identity = col(Exercise.id)
    # NULL weights (bodyweight) sort after every weight ascending, before them descending,
    # identically on PostgreSQL and SQLite; ``id`` breaks ties so pages never overlap.
    if sort.order is SortOrder.ASC:
        primary, tiebreak = column.asc().nulls_last(), identity.asc()
    else:
        primary, tiebreak = column.desc().nulls_first(), identity.desc()
    return [primary] if sort.column == "id" else [primary, tiebreak]


def paged(statement: Select[*tuple[Any, ...]], sort: Sort) -> Select[*tuple[Any, ...]]:
    """``statement`` in ``sort`` order, one page (bound as ``limit`` and ``offset``)."""
    return (
        statement.order_by(*order_by(sort))
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )


def page_window(page: int, page_size: int) -> dict[str, int]:
    return {"limit": page_size, "offset": (page - 1) * page_size}


def page_query(sort: Sort) -> Select[*tuple[Any, ...]]:
    return paged(select_columns(*EXERCISE_COLUMNS), sort)


def page_with_version_query(sort: Sort) -> Select[*tuple[Any, ...]]:
    # The version rides along each row as uncorrelated scalar subqueries (evaluated once).
    version_column = (
        select_columns(col(ExerciseDataVersion.version))
        .where(col(ExerciseDataVersion.id) == 1)
        .scalar_subquery()
    )
    count_column = (
        select_columns(col(ExerciseDataVersion.exercise_count))
        .where(col(ExerciseDataVersion.id) == 1)
        .scalar_subquery()
    )
    return paged(select_columns(version_column, count_column, *EXERCISE_COLUMNS), sort)


def exercise_query() -> Select[*tuple[Any, ...]]:
    return select_columns(*EXERCISE_COLUMNS).where(
        col(Exercise.id) == bindparam("exercise_id", type_=Integer)
    )
