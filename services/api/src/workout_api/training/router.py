"""Training-log routes: thin; the rules live in ``workouts``, ``templates`` and ``analysis``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from pydantic_core import to_json

from workout_api.auth.dependencies import bearer_token, claims_of, unauthorized
from workout_api.auth.tokens import TokenType
from workout_api.database import SessionDep
from workout_api.fastpath.plain_routes import PlainRoute
from workout_api.ratelimit.guard import RateLimit
from workout_api.ratelimit.policy import Category
from workout_api.resources import AppResources
from workout_api.schemas import error_responses
from workout_api.settings import Settings
from workout_api.training import analysis, templates, workout_list, workouts
from workout_api.training.dependencies import (
    BumpedLogWriterId,
    ClockDep,
    LogWriter,
    ReadingLifter,
    ReadSessionDep,
    TemplateId,
    WorkoutId,
    user_id_of,
)
from workout_api.training.schemas import (
    MAX_ID,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    Bucket,
    HistoryPage,
    Metric,
    Progress,
    QueryInstant,
    RecordList,
    Stats,
    TemplateCreate,
    TemplatePage,
    TemplateResponse,
    TemplateUpdate,
    WorkoutIn,
    WorkoutPage,
    WorkoutPatch,
    WorkoutResponse,
)
from workout_api.training.workout_list import WorkoutListQuery
from workout_api.training.workouts import Window
from workout_common.exercise_library import Equipment, ExerciseType, Muscle

templates_router = APIRouter(prefix="/exercise-templates", tags=["exercise-templates"])
workouts_router = APIRouter(prefix="/workouts", tags=["workouts"])
# The hottest signed-in read, served without FastAPI's per-request handler (fastpath/).
workout_reads_router = APIRouter(prefix="/workouts", tags=["workouts"], route_class=PlainRoute)
analysis_router = APIRouter(tags=["training"])

Page = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number (1-indexed)")]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page")]
From = Annotated[
    QueryInstant | None,
    Query(alias="from", description="Inclusive, on started_at: a date (00:00 UTC) or a date-time"),
]
To = Annotated[
    QueryInstant | None,
    Query(alias="to", description="Exclusive, on started_at: a date (00:00 UTC) or a date-time"),
]
TOTAL_HEADER = {"X-Total-Count": {"schema": {"type": "integer"}, "description": "All matches"}}
READ = [RateLimit(Category.READ)]
WRITE = [RateLimit(Category.WRITE)]


# --- /exercise-templates ----------------------------------------------------------------


@templates_router.get(
    "",
    response_model=TemplatePage,
    responses={200: {"headers": TOTAL_HEADER}, **error_responses(401, 403, 429)},
    dependencies=READ,
    summary="List the exercise library (built-ins and your own)",
)
async def list_templates(
    user: ReadingLifter,
    session: ReadSessionDep,
    response: Response,
    page: Page = 1,
    page_size: PageSize = 20,
    q: Annotated[str | None, Query(max_length=100, description="Name or alias contains")] = None,
    muscle: Muscle | None = None,
    equipment: Equipment | None = None,
    type: ExerciseType | None = None,
    custom: bool | None = None,
) -> dict[str, Any]:
    total, items = await templates.page(
        session,
        user_id=user_id_of(user),
        q=q,
        muscle=muscle,
        equipment=equipment,
        type_=type,
        custom=custom,
        page=page,
        page_size=page_size,
    )
    response.headers["X-Total-Count"] = str(total)
    return {"page": page, "page_size": page_size, "total": total, "items": items}


@templates_router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=TemplateResponse,
    responses=error_responses(400, 401, 403, 409, 429),
    dependencies=WRITE,
    summary="Create a custom exercise",
)
async def create_template(
    user: LogWriter, data: TemplateCreate, session: SessionDep, response: Response
) -> dict[str, Any]:
    user_id = user_id_of(user)
    template_id = await templates.create(session, user_id=user_id, data=data)
    response.headers["Location"] = f"{templates_router.prefix}/{template_id}"
    return await templates.get(session, user_id=user_id, template_id=template_id)


@templates_router.get(
    "/{template_id}",
    response_model=TemplateResponse,
    responses=error_responses(401, 403, 404, 429),
    dependencies=READ,
    summary="Get an exercise of the library",
)
async def get_template(
    user: ReadingLifter, template_id: TemplateId, session: ReadSessionDep
) -> dict[str, Any]:
    return await templates.get(session, user_id=user_id_of(user), template_id=template_id)


@templates_router.patch(
    "/{template_id}",
    response_model=TemplateResponse,
    responses=error_responses(400, 401, 403, 404, 409, 429),
    dependencies=WRITE,
    summary="Change your custom exercise",
)
async def update_template(
    user: LogWriter, template_id: TemplateId, changes: TemplateUpdate, session: SessionDep
) -> dict[str, Any]:
    user_id = user_id_of(user)
    await templates.change(
        session, user_id=user_id, template_id=template_id, changes=changes.changes()
    )
    return await templates.get(session, user_id=user_id, template_id=template_id)


@templates_router.delete(
    "/{template_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(401, 403, 404, 409, 429),
    dependencies=WRITE,
    summary="Delete your custom exercise (refused while a workout uses it)",
)
async def delete_template(user: LogWriter, template_id: TemplateId, session: SessionDep) -> None:
    await templates.remove(session, user_id=user_id_of(user), template_id=template_id)


@templates_router.get(
    "/{template_id}/history",
    response_model=HistoryPage,
    responses={200: {"headers": TOTAL_HEADER}, **error_responses(401, 403, 404, 429)},
    dependencies=READ,
    summary="Your workouts with this exercise, newest first",
)
async def template_history(
    user: ReadingLifter,
    template_id: TemplateId,
    session: ReadSessionDep,
    response: Response,
    from_: From = None,
    to: To = None,
    page: Page = 1,
    page_size: PageSize = 20,
) -> dict[str, Any]:
    total, items = await analysis.history(
        session,
        user_id=user_id_of(user),
        template_id=template_id,
        window=Window(from_, to),
        page=page,
        page_size=page_size,
    )
    response.headers["X-Total-Count"] = str(total)
    return {"page": page, "page_size": page_size, "total": total, "items": items}


@templates_router.get(
    "/{template_id}/progress",
    response_model=Progress,
    responses=error_responses(401, 403, 404, 429),
    dependencies=READ,
    summary="Your progress on this exercise, one point per bucket, oldest first",
)
async def template_progress(
    user: ReadingLifter,
    template_id: TemplateId,
    session: ReadSessionDep,
    metric: Metric = "e1rm",
    bucket: Bucket = "workout",
    from_: From = None,
    to: To = None,
) -> Response:
    progress = await analysis.progress(
        session,
        user_id=user_id_of(user),
        template_id=template_id,
        metric=metric,
        bucket=bucket,
        window=Window(from_, to),
    )
    # Already in the documented shape: serialised directly, a point per workout can be many.
    return Response(to_json(progress), media_type="application/json")


# --- /workouts --------------------------------------------------------------------------

LIST_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "headers": {
            **TOTAL_HEADER,
            "ETag": {"schema": {"type": "string"}, "description": "Weak validator, per user"},
        }
    },
    304: {"description": "Not Modified: the If-None-Match ETag is still current"},
    **error_responses(401, 403, 429),
}


@workout_reads_router.get(
    "",
    response_model=WorkoutPage,
    responses=LIST_RESPONSES,
    dependencies=READ,
    summary="List your workouts (summaries), newest first by default",
    openapi_extra={**WorkoutListQuery.openapi(), "security": [{"HTTPBearer": []}]},
)
async def list_workouts(request: Request) -> Response:
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        raise unauthorized("Not authenticated")
    settings: Settings = request.app.state.settings
    claims = claims_of(token, expected=TokenType.ACCESS, settings=settings)
    resources: AppResources = request.app.state.resources
    async with resources.read_connections.connection() as connection:
        listed = await workout_list.list_page(
            connection,
            claims=claims,
            query=WorkoutListQuery.from_request(request),
            if_none_match=request.headers.get("if-none-match"),
        )
    headers = {"ETag": listed.etag, "X-Total-Count": str(listed.total)}
    if listed.items is None:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    body = {
        "page": listed.page,
        "page_size": listed.page_size,
        "total": listed.total,
        "items": listed.items,
    }
    return Response(to_json(body), media_type="application/json", headers=headers)


@workouts_router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=WorkoutResponse,
    responses={
        200: {
            "model": WorkoutResponse,
            "description": "A workout with this client_id exists already: it, unchanged",
        },
        **error_responses(400, 401, 403, 429),
    },
    dependencies=WRITE,
    summary="Log a workout with its exercises and sets",
)
async def create_workout(
    user_id: BumpedLogWriterId,
    data: WorkoutIn,
    session: SessionDep,
    response: Response,
    clock: ClockDep,
) -> dict[str, Any]:
    logged = await workouts.create_bumped(session, user_id=user_id, data=data, now=clock())
    if not logged.created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"{workouts_router.prefix}/{logged.workout_id}"
    return await workouts.answer_for(session, user_id, logged)


@workouts_router.get(
    "/{workout_id}",
    response_model=WorkoutResponse,
    responses=error_responses(401, 403, 404, 429),
    dependencies=READ,
    summary="Get one of your workouts, with the records it set",
)
async def get_workout(
    user: ReadingLifter, workout_id: WorkoutId, session: ReadSessionDep
) -> dict[str, Any]:
    return await workouts.read(session, user_id=user_id_of(user), workout_id=workout_id)


@workouts_router.put(
    "/{workout_id}",
    response_model=WorkoutResponse,
    responses=error_responses(400, 401, 403, 404, 429),
    dependencies=WRITE,
    summary="Replace a workout whole",
)
async def replace_workout(
    user: LogWriter, workout_id: WorkoutId, data: WorkoutIn, session: SessionDep, clock: ClockDep
) -> dict[str, Any]:
    user_id = user_id_of(user)
    await workouts.replace(session, user_id=user_id, workout_id=workout_id, data=data, now=clock())
    return await workouts.read(session, user_id=user_id, workout_id=workout_id)


@workouts_router.patch(
    "/{workout_id}",
    response_model=WorkoutResponse,
    responses=error_responses(400, 401, 403, 404, 429),
    dependencies=WRITE,
    summary="Change a workout's title, notes, start or end",
)
async def patch_workout(
    user: LogWriter,
    workout_id: WorkoutId,
    changes: WorkoutPatch,
    session: SessionDep,
    clock: ClockDep,
) -> dict[str, Any]:
    user_id = user_id_of(user)
    await workouts.patch(
        session, user_id=user_id, workout_id=workout_id, changes=changes.changes(), now=clock()
    )
    return await workouts.read(session, user_id=user_id, workout_id=workout_id)


@workouts_router.delete(
    "/{workout_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(401, 403, 404, 429),
    dependencies=WRITE,
    summary="Delete a workout with its exercises and sets",
)
async def delete_workout(user: LogWriter, workout_id: WorkoutId, session: SessionDep) -> None:
    await workouts.remove(session, user_id=user_id_of(user), workout_id=workout_id)


# --- /records, /stats -------------------------------------------------------------------


@analysis_router.get(
    "/records",
    response_model=RecordList,
    responses=error_responses(401, 403, 429),
    dependencies=READ,
    summary="Your personal records, per exercise",
)
async def list_records(
    user: ReadingLifter,
    session: ReadSessionDep,
    template_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    items = await analysis.records(session, user_id=user_id_of(user), template_id=template_id)
    return Response(to_json({"items": items}), media_type="application/json")


@analysis_router.get(
    "/stats",
    response_model=Stats,
    responses=error_responses(401, 403, 429),
    dependencies=READ,
    summary="Your training statistics over a period (all history by default)",
)
async def get_stats(
    user: ReadingLifter, session: ReadSessionDep, clock: ClockDep, from_: From = None, to: To = None
) -> dict[str, Any]:
    return await analysis.stats(
        session, user_id=user_id_of(user), window=Window(from_, to), today=clock().date()
    )
