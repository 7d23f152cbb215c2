"""The query of ``GET /exercises``: page, page size, sort and format."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from workout_api.exercises.sorting import SORTABLE_COLUMNS
from workout_api.fastpath.query_models import QueryModel

MAX_PAGE = 10_000_000
MAX_PAGE_SIZE = 200


class ListQuery(QueryModel):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number (1-indexed)")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description="Items per page")
    # Checked by ``parse_sort`` (a 400 with the contract's message), not here.
    sort_by: str = Field("id", description=f"Column to sort by, one of {list(SORTABLE_COLUMNS)}")
    sort_order: str = Field("asc", description="asc or desc")
    format: Literal["json", "csv"] = Field(
        "json", description="json (paginated) or csv (every row)"
    )
