"""The one place that decides which sort columns and orders a list request may use."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from workout_common.exercise_record import EXERCISE_FIELDS

SORTABLE_COLUMNS = tuple(sorted(EXERCISE_FIELDS))
SORT_ORDERS = ("asc", "desc")


class SortOrder(StrEnum):
    ASC = "asc"
    DESC = "desc"


class InvalidSortError(ValueError):
    """A ``sort_by`` or ``sort_order`` the API does not support; ``str()`` is the 400 detail."""


@dataclass(frozen=True)
class Sort:
    column: str = "id"
    order: SortOrder = SortOrder.ASC


def parse_sort(sort_by: str, sort_order: str) -> Sort:
    if sort_by not in SORTABLE_COLUMNS:
        raise InvalidSortError(f"sort_by must be one of: {sorted(SORTABLE_COLUMNS)}")
    if sort_order not in SORT_ORDERS:
        raise InvalidSortError(f"sort_order must be one of: {list(SORT_ORDERS)}")
    return Sort(column=sort_by, order=SortOrder(sort_order))
