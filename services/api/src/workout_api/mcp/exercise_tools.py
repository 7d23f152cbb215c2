"""What each tool does, as plain functions of a session factory (no MCP types here).

Bounds and sorting rules come from the REST API's own modules, so a call the API
refuses is refused here too, with the same ``detail``.
"""

from __future__ import annotations

from workout_api.database import SessionFactory
from workout_api.exercises.dependencies import MAX_ID
from workout_api.exercises.exceptions import ExerciseNotFoundError
from workout_api.exercises.list_query import MAX_PAGE, MAX_PAGE_SIZE
from workout_api.exercises.models import ExerciseResponse
from workout_api.exercises.repository import ExerciseRepository
from workout_api.exercises.sorting import InvalidSortError, parse_sort
from workout_api.mcp.results import ErrorResult, ExerciseListResult, ExerciseResult, VolumeResult

NOT_FOUND_DETAIL = str(ExerciseNotFoundError().detail)  # the REST API's 404 body


def _out_of_range(name: str, value: int, low: int, high: int) -> ErrorResult | None:
    if low <= value <= high:
        return None
    return ErrorResult(status=400, detail=f"{name} must be between {low} and {high}, got {value}")


async def list_exercises(
    session_factory: SessionFactory,
    *,
    page: int = 1,
    page_size: int = 20,
    sort_by: str = "id",
    sort_order: str = "asc",
) -> ExerciseListResult | ErrorResult:
    problem = _out_of_range("page", page, 1, MAX_PAGE) or _out_of_range(
        "page_size", page_size, 1, MAX_PAGE_SIZE
    )
    if problem is not None:
        return problem
    try:
        sort = parse_sort(sort_by, sort_order)
    except InvalidSortError as exc:
        return ErrorResult(status=400, detail=str(exc))
    async with session_factory() as session:
        repository = ExerciseRepository(session)
        version = await repository.data_version()
        rows = await repository.page_rows(
            page=page, page_size=page_size, sort_by=sort.column, sort_order=sort.order.value
        )
    return ExerciseListResult(
        page=page,
        page_size=page_size,
        total=version.exercise_count,
        items=[ExerciseResponse.model_validate(row._asdict()) for row in rows],
    )


async def get_exercise(
    session_factory: SessionFactory, *, exercise_id: int
) -> ExerciseResult | ErrorResult:
    problem = _out_of_range("exercise_id", exercise_id, 1, MAX_ID)
    if problem is not None:
        return problem
    async with session_factory() as session:
        exercise = await ExerciseRepository(session).get(exercise_id=exercise_id)
    if exercise is None:
        return ErrorResult(status=404, detail=NOT_FOUND_DETAIL)
    return ExerciseResult(exercise=ExerciseResponse.model_validate(exercise))


async def calculate_volume(session_factory: SessionFactory) -> VolumeResult:
    async with session_factory() as session:
        summary = await ExerciseRepository(session).volume_summary()
    return VolumeResult(**summary.model_dump())
