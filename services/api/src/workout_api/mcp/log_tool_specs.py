"""The training-log tools as MCP sees them: names, descriptions, argument schemas.

Each delegates to :mod:`workout_api.mcp.log_tools`. Argument types are the REST API's
(``workout_api.training.schemas``), so the schemas state the same bounds and choices.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastmcp import FastMCP
from fastmcp.tools.base import ToolResult
from mcp_types import ToolAnnotations
from pydantic import BaseModel, Field, WithJsonSchema

from workout_api.mcp import log_tools
from workout_api.mcp.log_tools import Answer, LogToolContext
from workout_api.mcp.logged_workout import LoggedExercise
from workout_api.mcp.results import (
    HistoryPageResult,
    ImportSummaryResult,
    ProgressResult,
    RecordListResult,
    StatsResult,
    TemplatePageResult,
    WorkoutPageResult,
    WorkoutResult,
)
from workout_api.training.schemas import (
    MAX_EXERCISES,
    MAX_ID,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    Bucket,
    Instant,
    Metric,
    Notes,
    QueryInstant,
    Title,
    WeightUnit,
)
from workout_api.training.workouts import Window
from workout_common.exercise_library import Equipment, ExerciseType, Muscle

USER_TOOLS = frozenset(
    {
        "search-exercise-templates",
        "list-workouts",
        "get-workout",
        "log-workout",
        "get-exercise-history",
        "get-personal-records",
        "get-progress",
        "get-training-stats",
        "import-workouts",
    }
)

READS_OWN_LOG = ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)
WRITES_OWN_LOG = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=False
)

# A tool argument travels through the assistant's context: larger exports go to POST /imports.
MAX_IMPORT_CHARS = 1_000_000

Page = Annotated[int, Field(ge=1, le=MAX_PAGE, description="Page number, starting at 1.")]
PageSize = Annotated[
    int, Field(ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, 1 to {MAX_PAGE_SIZE}.")
]
TemplateId = Annotated[
    int,
    Field(
        ge=1, le=MAX_ID, description="Exercise id in the library (from search-exercise-templates)."
    ),
]
_INSTANT_SCHEMA = WithJsonSchema(
    {
        "anyOf": [{"type": "string"}, {"type": "null"}],
        "description": "ISO 8601 date (meaning 00:00 UTC) or date-time with an offset",
    }
)
From = Annotated[
    QueryInstant | None,
    _INSTANT_SCHEMA,
    Field(
        description="Inclusive start on started_at: '2024-05-01' or '2024-05-01T06:00:00+02:00'."
    ),
]
To = Annotated[
    QueryInstant | None,
    _INSTANT_SCHEMA,
    Field(description="Exclusive end on started_at, same forms as 'from'."),
]


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(mode="serialization")


def _result(answer: Answer) -> ToolResult:
    return ToolResult(structured_content=answer, is_error=answer["status"] >= 400)


def register_log_tools(server: FastMCP, context: LogToolContext) -> None:
    """Add the per-user training-log tools to ``server``."""

    @server.tool(
        name="search-exercise-templates",
        title="Search the exercise library",
        annotations=READS_OWN_LOG,
        output_schema=_schema(TemplatePageResult),
    )
    async def search_exercise_templates(
        q: Annotated[
            str | None, Field(max_length=100, description="Part of a name or alias, any case.")
        ] = None,
        muscle: Muscle | None = None,
        equipment: Equipment | None = None,
        type: ExerciseType | None = None,
        custom: Annotated[
            bool | None, Field(description="true: only your own exercises; false: built-ins.")
        ] = None,
        page: Page = 1,
        page_size: PageSize = 20,
    ) -> ToolResult:
        """Find exercises in your library (built-ins and your own), like GET /exercise-templates.

        Use it to turn what the lifter said ("squats", "bench") into an exercise: pass
        its "id" as template_id, or its exact "name" (or one of its "aliases"), to
        log-workout. Returns {"status": 200, "page", "page_size", "total", "items": [{"id",
        "name", "type", "primary_muscle", "secondary_muscles", "equipment", "aliases",
        "custom"}]}, sorted by name.
        """
        return _result(
            await log_tools.search_templates(
                context,
                q=q,
                muscle=muscle,
                equipment=equipment,
                type_=type,
                custom=custom,
                page=page,
                page_size=page_size,
            )
        )

    @server.tool(
        name="list-workouts",
        title="List my workouts",
        annotations=READS_OWN_LOG,
        output_schema=_schema(WorkoutPageResult),
    )
    async def list_workouts(
        from_: Annotated[From, Field(alias="from")] = None,
        to: To = None,
        template_id: Annotated[
            int | None, Field(ge=1, le=MAX_ID, description="Only workouts with this exercise.")
        ] = None,
        page: Page = 1,
        page_size: PageSize = 20,
        sort_order: Annotated[
            Literal["asc", "desc"], Field(description="desc: newest first (default).")
        ] = "desc",
    ) -> ToolResult:
        """List your workouts as summaries, newest first, like GET /workouts.

        Returns {"status": 200, "page", "page_size", "total", "items": [{"id", "title",
        "started_at", "ended_at", "duration_s", "exercise_count", "set_count", "volume_kg",
        "record_count", "exercises": [{"template_id", "name", "set_count"}]}]}. Use
        get-workout for the sets of one.
        """
        return _result(
            await log_tools.list_workouts(
                context,
                window=Window(from_, to),
                template_id=template_id,
                page=page,
                page_size=page_size,
                sort_order=sort_order,
            )
        )

    @server.tool(
        name="get-workout",
        title="Get one of my workouts",
        annotations=READS_OWN_LOG,
        output_schema=_schema(WorkoutResult),
    )
    async def get_workout(
        workout_id: Annotated[
            int, Field(ge=1, le=MAX_ID, description="The workout's id (from list-workouts).")
        ],
    ) -> ToolResult:
        """One of your workouts with its exercises, sets and the records it set, like
        GET /workouts/{id}. Status 404 when you have no workout with this id."""
        return _result(await log_tools.get_workout(context, workout_id=workout_id))

    @server.tool(
        name="log-workout",
        title="Log a workout",
        annotations=WRITES_OWN_LOG,
        output_schema=_schema(WorkoutResult),
    )
    async def log_workout(
        title: Annotated[Title, Field(description="e.g. 'Push day' or 'Monday workout'.")],
        started_at: Annotated[
            Instant,
            Field(
                description="When it started, ISO 8601 with an offset, e.g. "
                "'2024-05-28T07:30:00+02:00'. For 'today' without a time, use the current "
                "time."
            ),
        ],
        exercises: Annotated[
            list[LoggedExercise],
            Field(
                max_length=MAX_EXERCISES,
                description="In the order done; each with its sets, one entry per set.",
            ),
        ],
        ended_at: Annotated[
            Instant | None, Field(description="When it ended (not before started_at).")
        ] = None,
        notes: Annotated[Notes | None, Field(description="Free text about the workout.")] = None,
        client_id: Annotated[
            UUID | None,
            Field(
                description="Optional UUID you choose: calling again with the same one "
                "returns the workout already logged (status 200) instead of a duplicate."
            ),
        ] = None,
    ) -> ToolResult:
        """Log a workout you did, with its exercises and sets, like POST /workouts.

        "3x5 squats at 100 kg and 3x8 bench at 70" is one call with exercises
        [{"name": "Back Squat", "sets": [{"reps": 5, "weight_kg": 100}] x3},
        {"name": "Bench Press", "sets": [{"reps": 8, "weight_kg": 70}] x3}]: one set object
        per set. Name an exercise by "template_id" or by "name" (its library name or an
        alias, any case); an unknown name is refused with close names, so use
        search-exercise-templates when unsure. Weights are kilograms (convert pounds:
        lb x 0.45359237). A set needs reps, duration_s or distance_m; "type" is normal
        (default), warmup, failure or dropset; rpe 1-10 in steps of 0.5.
        Returns {"status": 201, ...the stored workout as get-workout shows it}; status 400
        with a detail naming the field when something is wrong; 403 for a read-only account.
        """
        body = {
            "title": title,
            "started_at": started_at,
            "ended_at": ended_at,
            "notes": notes,
            "client_id": client_id,
        }
        return _result(await log_tools.log_workout(context, body=body, exercises=exercises))

    @server.tool(
        name="get-exercise-history",
        title="My history of an exercise",
        annotations=READS_OWN_LOG,
        output_schema=_schema(HistoryPageResult),
    )
    async def get_exercise_history(
        template_id: TemplateId,
        from_: Annotated[From, Field(alias="from")] = None,
        to: To = None,
        page: Page = 1,
        page_size: PageSize = 20,
    ) -> ToolResult:
        """Your workouts with this exercise and the sets done in each, newest first, like
        GET /exercise-templates/{id}/history. page_size 1 is "last time". Returns
        {"status": 200, "page", "page_size", "total", "items": [{"workout_id", "title",
        "started_at", "sets"}]}; 404 for an exercise not in your library."""
        return _result(
            await log_tools.exercise_history(
                context,
                template_id=template_id,
                window=Window(from_, to),
                page=page,
                page_size=page_size,
            )
        )

    @server.tool(
        name="get-progress",
        title="My progress on an exercise",
        annotations=READS_OWN_LOG,
        output_schema=_schema(ProgressResult),
    )
    async def get_progress(
        template_id: TemplateId,
        metric: Annotated[
            Metric,
            Field(description="e1rm: estimated one-rep max (Epley, default); volume: kg x reps."),
        ] = "e1rm",
        bucket: Annotated[
            Bucket, Field(description="One point per workout (default), ISO week or month.")
        ] = "workout",
        from_: Annotated[From, Field(alias="from")] = None,
        to: To = None,
    ) -> ToolResult:
        """Your progress on one exercise, oldest first, like GET
        /exercise-templates/{id}/progress: {"status": 200, "metric", "bucket", "unit",
        "points": [{"date", "value", "workout_id"}]}, each point the bucket's best (volume:
        its sum). 404 for an exercise not in your library."""
        return _result(
            await log_tools.progress(
                context,
                template_id=template_id,
                metric=metric,
                bucket=bucket,
                window=Window(from_, to),
            )
        )

    @server.tool(
        name="get-personal-records",
        title="My personal records",
        annotations=READS_OWN_LOG,
        output_schema=_schema(RecordListResult),
    )
    async def get_personal_records(
        template_id: Annotated[
            int | None, Field(ge=1, le=MAX_ID, description="Only this exercise's records.")
        ] = None,
    ) -> ToolResult:
        """Your personal records per exercise you have done, like GET /records:
        {"status": 200, "items": [{"template_id", "name", "heaviest_weight", "best_e1rm",
        "best_set_volume", "most_reps", "rep_maxes": {"1", "3", "5", "10"}}]}, each record
        {"value", "workout_id", "achieved_at"} or null. Only completed, non-warm-up sets
        count."""
        return _result(await log_tools.personal_records(context, template_id=template_id))

    @server.tool(
        name="get-training-stats",
        title="My training statistics",
        annotations=READS_OWN_LOG,
        output_schema=_schema(StatsResult),
    )
    async def get_training_stats(
        from_: Annotated[From, Field(alias="from")] = None, to: To = None
    ) -> ToolResult:
        """Your training statistics over a period (all history without from/to), like
        GET /stats: {"status": 200, "workouts", "sets", "volume_kg", "duration_s",
        "by_muscle": [{"muscle", "sets", "volume_kg"}], "weekly": [{"week", "workouts",
        "sets", "volume_kg"}], "streak_weeks"}."""
        return _result(await log_tools.training_stats(context, window=Window(from_, to)))

    @server.tool(
        name="import-workouts",
        title="Import a Strong, Hevy or JSON export",
        annotations=WRITES_OWN_LOG,
        output_schema=_schema(ImportSummaryResult),
    )
    async def import_workouts(
        content: Annotated[
            str,
            Field(
                min_length=1,
                max_length=MAX_IMPORT_CHARS,
                description="The whole text of the export file (up to 1,000,000 characters).",
            ),
        ],
        source: Annotated[
            Literal["auto", "strong", "hevy", "json"],
            Field(description="The file's format; auto detects it from the first line."),
        ] = "auto",
        dry_run: Annotated[
            bool, Field(description="true: report what would be imported, write nothing.")
        ] = False,
        on_error: Annotated[
            Literal["fail", "skip"],
            Field(description="fail: a bad row imports nothing; skip: import the readable rows."),
        ] = "fail",
        weight_unit: Annotated[
            WeightUnit | None,
            Field(description="Unit of a Strong file without a unit column (default: yours)."),
        ] = None,
        timezone: Annotated[
            str,
            Field(max_length=64, description="IANA zone the CSV times were logged in."),
        ] = "UTC",
    ) -> ToolResult:
        """Import workouts from the text of a Strong CSV, Hevy CSV or Workout Tracker JSON
        export into your log, like POST /imports: one transaction, workouts already in the
        log (same start and title) are skipped, unknown exercise names become your own
        exercises. Call with dry_run true first to show the lifter what would change.
        Returns {"status": 200, "source", "dry_run", "workouts_found", "workouts_created",
        "duplicates_skipped", "sets_created", "rows_skipped": [{"line", "reason"}],
        "templates_created", "unmatched_names"}; status 400 with "detail" (and
        "rows_skipped") when the file or rows cannot be read, nothing imported; 403 for a
        read-only account. Files over 1,000,000 characters: use POST /imports."""
        return _result(
            await log_tools.import_export(
                context,
                content=content,
                source=source,
                weight_unit=weight_unit,
                timezone=timezone,
                dry_run=dry_run,
                on_error=on_error,
            )
        )
