"""The FastMCP server: three read-only tools over the exercise repository, and the
signed-in lifter's training log (:mod:`workout_api.mcp.log_tool_specs`).

Results are JSON with an HTTP-style ``status``. A refused call (400, 404) is returned as
an MCP tool error (``isError: true``) whose content is still that JSON, so a client sees
both that the call failed and the ``detail`` saying what to change.
"""

from __future__ import annotations

import logging
import time
from typing import Annotated, Any

import pydantic
from fastmcp import FastMCP
from fastmcp.exceptions import ValidationError
from fastmcp.server.middleware import CallNext, Middleware, MiddlewareContext
from fastmcp.tools.base import ToolResult
from mcp_types import CallToolRequestParams, ToolAnnotations
from pydantic import BaseModel, Field
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse

from workout_api import __version__
from workout_api.database import SessionFactory
from workout_api.exercises.dependencies import MAX_ID
from workout_api.exercises.list_query import MAX_PAGE, MAX_PAGE_SIZE
from workout_api.exercises.repository import ExerciseRepository
from workout_api.exercises.sorting import SORT_ORDERS, SORTABLE_COLUMNS
from workout_api.mcp import exercise_tools
from workout_api.mcp.identity import Identity, LocalUserIdentity
from workout_api.mcp.log_tool_specs import register_log_tools
from workout_api.mcp.log_tools import LogToolContext
from workout_api.mcp.results import ErrorResult, ExerciseListResult, ExerciseResult, VolumeResult
from workout_api.training.dependencies import Clock, system_clock

logger = logging.getLogger(__name__)

SERVER_NAME = "workout-tracker-exercises"
HEALTH_PATH = "/health"

INSTRUCTIONS = f"""\
A Workout Tracker: the shared training program, and the signed-in lifter's own log.
Every result is JSON with an HTTP-style "status": 200 (201 for a logged workout) with the
data; 400 when an argument is invalid, 401 when no lifter is signed in, 403 when the
account may not, 404 when nothing of yours has the id, each with a "detail" saying what
is wrong.
Program (no sign-in): list-exercises to browse the planned exercises (pages of up to
{MAX_PAGE_SIZE}; "total" counts all pages), get-exercise for one by id, calculate-volume
for the planned volume.
Your log (acts for the signed-in lifter only: over HTTP the Authorization bearer token,
over stdio the server's --user): log-workout records a workout you did (find exercises
with search-exercise-templates); import-workouts brings in the text of a Strong, Hevy
or JSON export (dry_run true first); list-workouts, get-workout, get-exercise-history,
get-progress, get-personal-records and get-training-stats read it. Weights are in kg."""

READ_ONLY = ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)

# Bounds are advertised in the schemas and enforced by ``exercise_tools`` (the REST API's
# rules), so an out-of-range value gets the same 400 JSON as any other refused call.
Page = Annotated[
    int,
    Field(
        description="Page number, starting at 1.",
        json_schema_extra={"minimum": 1, "maximum": MAX_PAGE},
    ),
]
PageSize = Annotated[
    int,
    Field(
        description=f"Exercises per page, 1 to {MAX_PAGE_SIZE}.",
        json_schema_extra={"minimum": 1, "maximum": MAX_PAGE_SIZE},
    ),
]
SortBy = Annotated[
    str,
    Field(
        description=(
            "Field to sort by. Exercises without a weight (bodyweight) sort after all "
            "weighted ones in ascending order; ties are broken by id."
        ),
        json_schema_extra={"enum": list(SORTABLE_COLUMNS)},
    ),
]
SortOrder = Annotated[
    str,
    Field(description="Sort direction.", json_schema_extra={"enum": list(SORT_ORDERS)}),
]
ExerciseId = Annotated[
    int,
    Field(
        description="Id of the exercise (the 'id' field of list-exercises items).",
        json_schema_extra={"minimum": 1, "maximum": MAX_ID},
    ),
]


def _output_schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(mode="serialization")


def as_tool_result(result: BaseModel) -> ToolResult:
    payload = result.model_dump(mode="json")
    return ToolResult(structured_content=payload, is_error=isinstance(result, ErrorResult))


def _argument_problems(error: ValidationError) -> str:
    cause = error.__cause__
    if not isinstance(cause, pydantic.ValidationError):
        return str(error)
    problems = [
        f"{'.'.join(str(part) for part in problem['loc']) or 'arguments'}: {problem['msg']}"
        for problem in cause.errors(include_url=False)
    ]
    return "invalid arguments: " + "; ".join(problems)


class ArgumentErrorsAsBadRequest(Middleware):
    """Arguments of the wrong type, missing or unknown answer 400 JSON like every refusal."""

    async def on_call_tool(
        self,
        context: MiddlewareContext[CallToolRequestParams],
        call_next: CallNext[CallToolRequestParams, ToolResult],
    ) -> ToolResult:
        try:
            return await call_next(context)
        except ValidationError as exc:
            return as_tool_result(ErrorResult(status=400, detail=_argument_problems(exc)))


class ToolCallLog(Middleware):
    """One log line per call (tool, status, duration), as the API logs each request."""

    async def on_call_tool(
        self,
        context: MiddlewareContext[CallToolRequestParams],
        call_next: CallNext[CallToolRequestParams, ToolResult],
    ) -> ToolResult:
        started = time.perf_counter()
        status: object = "error"
        try:
            result = await call_next(context)
            status = (result.structured_content or {}).get("status", "error")
            return result
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            logger.info("tool %s -> %s (%.2fms)", context.message.name, status, elapsed_ms)


def create_server(
    session_factory: SessionFactory,
    *,
    identity: Identity | None = None,
    clock: Clock = system_clock,
) -> FastMCP:
    """The MCP server answering from the database behind ``session_factory``; the
    training-log tools act for ``identity`` (by default nobody: they ask for sign-in)."""
    server = FastMCP(
        SERVER_NAME,
        instructions=INSTRUCTIONS,
        version=__version__,
        middleware=[ToolCallLog(), ArgumentErrorsAsBadRequest()],
        on_duplicate="error",
        # An unexpected failure answers "Error calling tool ..." without its message: a
        # database error's text (SQL, parameters) never reaches the client. It is logged.
        mask_error_details=True,
    )

    @server.tool(
        name="list-exercises",
        title="List exercises",
        annotations=READ_ONLY,
        output_schema=_output_schema(ExerciseListResult),
    )
    async def list_exercises(
        page: Page = 1,
        page_size: PageSize = 20,
        sort_by: SortBy = "id",
        sort_order: SortOrder = "asc",
    ) -> ToolResult:
        """List exercises one page at a time, sorted, like GET /exercises of the API.

        Returns {"status": 200, "page", "page_size", "total", "items": [{"id", "name",
        "sets", "reps", "weight", "workout_day"}]}; "total" counts every exercise, so
        read further pages while page * page_size < total. A page past the end has no
        items. Status 400 (with "detail") for an invalid page, page_size, sort_by or
        sort_order.
        """
        return as_tool_result(
            await exercise_tools.list_exercises(
                session_factory,
                page=page,
                page_size=page_size,
                sort_by=sort_by,
                sort_order=sort_order,
            )
        )

    @server.tool(
        name="get-exercise",
        title="Get an exercise",
        annotations=READ_ONLY,
        output_schema=_output_schema(ExerciseResult),
    )
    async def get_exercise(exercise_id: ExerciseId) -> ToolResult:
        """Get one exercise by id, like GET /exercises/{id} of the API.

        Returns {"status": 200, "exercise": {"id", "name", "sets", "reps", "weight",
        "workout_day"}}; weight is in kg, null for a bodyweight exercise. Status 404
        when no exercise has this id, 400 when the id is not a positive integer.
        """
        return as_tool_result(
            await exercise_tools.get_exercise(session_factory, exercise_id=exercise_id)
        )

    @server.tool(
        name="calculate-volume",
        title="Calculate training volume",
        annotations=READ_ONLY,
        output_schema=_output_schema(VolumeResult),
    )
    async def calculate_volume() -> ToolResult:
        """Total training volume over every exercise: the sum of sets x reps x weight (kg).

        Takes no arguments. Returns {"status": 200, "total_volume", "exercise_count",
        "weighted_exercises", "bodyweight_exercises"}; exercises without a weight
        (bodyweight) add nothing to total_volume and are counted in bodyweight_exercises.
        """
        return as_tool_result(await exercise_tools.calculate_volume(session_factory))

    @server.custom_route(HEALTH_PATH, methods=["GET"], include_in_schema=False)
    async def health(_request: Request) -> JSONResponse:
        """Readiness over HTTP: 200 while the database answers, 503 otherwise."""
        try:
            async with session_factory() as session:
                count = await ExerciseRepository(session).count()
        except (SQLAlchemyError, OSError) as exc:
            logger.warning("health check: database unreachable (%s)", exc.__class__.__name__)
            return JSONResponse(
                {"status": "unhealthy", "database": "disconnected"}, status_code=503
            )
        return JSONResponse({"status": "healthy", "database": "connected", "exercise_count": count})

    register_log_tools(
        server,
        LogToolContext(
            session_factory=session_factory,
            identity=identity or LocalUserIdentity(None),
            clock=clock,
        ),
    )
    return server
