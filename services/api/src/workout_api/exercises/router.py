"""``/exercises``: list (JSON or CSV, paginated, sorted, ETag), read, create, update, delete."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import StreamingResponse
from pydantic_core import to_json

from workout_api.auth.dependencies import WriterUser
from workout_api.exercises.csv_export import csv_chunks
from workout_api.exercises.dependencies import ExerciseId, ExistingExercise, RepositoryDep
from workout_api.exercises.etag import etag_matches, list_etag
from workout_api.exercises.exceptions import ExerciseNotFoundError, InvalidSortParameterError
from workout_api.exercises.fast_reads import (
    read_data_version,
    read_exercise,
    read_page_with_version,
)
from workout_api.exercises.list_query import ListQuery
from workout_api.exercises.models import (
    ExerciseCreate,
    ExercisePage,
    ExerciseResponse,
    ExerciseUpdate,
)
from workout_api.exercises.sorting import InvalidSortError, Sort, parse_sort
from workout_api.fastpath.plain_routes import PlainRoute
from workout_api.idempotency.service import Answer, IdempotencyKeyHeader, fingerprint, run_once
from workout_api.metrics import ETAG_NOT_MODIFIED
from workout_api.ratelimit.guard import RateLimit
from workout_api.ratelimit.policy import Category
from workout_api.resources import AppResources
from workout_api.schemas import error_responses

router = APIRouter(prefix="/exercises", tags=["exercises"])
# The hottest reads skip FastAPI's per-request handler (see plain_routes.py).
hot_read_router = APIRouter(prefix="/exercises", tags=["exercises"], route_class=PlainRoute)

CSV_FILENAME = "exercises.csv"

LIST_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A page of exercises (JSON), or every exercise (CSV, `format=csv`)",
        "content": {"text/csv": {"schema": {"type": "string"}}},
        "headers": {
            "X-Total-Count": {"schema": {"type": "integer"}, "description": "All exercises"},
            "ETag": {"schema": {"type": "string"}, "description": 'Weak validator W/"<sha256>"'},
        },
    },
    304: {"description": "Not Modified: the If-None-Match ETag is still current"},
    **error_responses(400, 429),
}


def _sort_or_400(sort_by: str, sort_order: str) -> Sort:
    try:
        return parse_sort(sort_by, sort_order)
    except InvalidSortError as exc:
        raise InvalidSortParameterError(str(exc)) from exc


@hot_read_router.get(
    "",
    response_model=ExercisePage,
    responses=LIST_RESPONSES,
    dependencies=[RateLimit(Category.READ)],
    summary="List exercises",
    openapi_extra=ListQuery.openapi(),
)
async def list_exercises(request: Request) -> Response:
    query = ListQuery.from_request(request)
    page, page_size = query.page, query.page_size
    sort = _sort_or_400(query.sort_by, query.sort_order)
    if_none_match = request.headers.get("if-none-match")
    resources: AppResources = request.app.state.resources
    if if_none_match and query.format != "csv":
        # All a 304 needs is the data version, read once for all the conditional
        # requests waiting at that moment (never a version read before they arrived).
        version = await resources.data_version()
        etag = list_etag(version, page=page, page_size=page_size, sort=sort)
        if etag_matches(if_none_match, etag):
            ETAG_NOT_MODIFIED.inc()
            return Response(
                status_code=status.HTTP_304_NOT_MODIFIED,
                headers={"ETag": etag, "X-Total-Count": str(version.exercise_count)},
            )
    # The hottest route reads on a bare autocommit connection.
    async with resources.read_connections.connection() as connection:
        if query.format == "csv":
            version = await read_data_version(connection)
            return StreamingResponse(
                csv_chunks(resources.session_factory, sort),
                media_type="text/csv; charset=utf-8",
                headers={
                    "Content-Disposition": f'attachment; filename="{CSV_FILENAME}"',
                    "X-Total-Count": str(version.exercise_count),
                },
            )
        # Version and page in one statement, so the ETag and the body come from the
        # same snapshot.
        version, items = await read_page_with_version(
            connection, page=page, page_size=page_size, sort=sort
        )
    etag = list_etag(version, page=page, page_size=page_size, sort=sort)
    headers = {"ETag": etag, "X-Total-Count": str(version.exercise_count)}
    body = {
        "page": page,
        "page_size": page_size,
        "total": version.exercise_count,
        "items": items,
    }
    return Response(to_json(body), media_type="application/json", headers=headers)


@router.get(
    "/{exercise_id}",
    response_model=ExerciseResponse,
    responses=error_responses(404, 429),
    dependencies=[RateLimit(Category.READ)],
    summary="Get an exercise",
)
async def get_exercise(request: Request, exercise_id: ExerciseId) -> Response:
    resources: AppResources = request.app.state.resources
    async with resources.read_connections.connection() as connection:
        exercise = await read_exercise(connection, exercise_id)
    if exercise is None:
        raise ExerciseNotFoundError
    return Response(to_json(exercise), media_type="application/json")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ExerciseResponse,
    responses=error_responses(400, 401, 403, 429),
    dependencies=[RateLimit(Category.WRITE)],
    summary="Create an exercise",
)
async def create_exercise(
    user: WriterUser,
    data: ExerciseCreate,
    repository: RepositoryDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    async def write() -> Answer:
        exercise = await repository.add(data=data)
        created = ExerciseResponse.model_validate(exercise)
        return Answer(201, created.model_dump(mode="json"), f"{router.prefix}/{exercise.id}")

    return await run_once(
        repository.session,
        owner=f"user:{user.id}",
        key=idempotency_key,
        request_fingerprint=fingerprint("POST /exercises", data.model_dump(mode="json")),
        write=write,
    )


@router.patch(
    "/{exercise_id}",
    response_model=ExerciseResponse,
    responses=error_responses(400, 401, 403, 404, 429),
    dependencies=[RateLimit(Category.WRITE)],
    summary="Update some fields of an exercise",
)
async def update_exercise(
    _user: WriterUser,
    exercise: ExistingExercise,
    changes: ExerciseUpdate,
    repository: RepositoryDep,
) -> ExerciseResponse:
    assert exercise.id is not None
    updated = await repository.update(exercise_id=exercise.id, changes=changes.changes())
    if updated is None:  # deleted by a concurrent request after it was read
        raise ExerciseNotFoundError
    return ExerciseResponse.model_validate(updated)


@router.delete(
    "/{exercise_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(401, 403, 404, 429),
    dependencies=[RateLimit(Category.WRITE)],
    summary="Delete an exercise",
)
async def delete_exercise(
    _user: WriterUser, exercise: ExistingExercise, repository: RepositoryDep
) -> None:
    assert exercise.id is not None
    await repository.delete(exercise_id=exercise.id)
