"""``POST /imports``, ``GET /imports/{id}`` and ``GET /workouts/export``: thin; the rules
live in ``run`` (with ``readers`` and ``service``), ``jobs`` and ``export``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, HTTPException, Path, Query, Request, status
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.types import Message, Receive

from workout_api.database import SessionDep
from workout_api.imports import export, run
from workout_api.imports.run import ImportOptions, ImportRefusedError
from workout_api.imports.schemas import ImportJob, ImportResult, UnreadableRows
from workout_api.ratelimit.guard import RateLimit
from workout_api.ratelimit.policy import Category
from workout_api.resources import ResourcesDep
from workout_api.schemas import error_responses
from workout_api.training.dependencies import ClockDep, LogWriter, ReadingLifter, user_id_of
from workout_api.training.router import From, To
from workout_api.training.schemas import WeightUnit
from workout_api.training.workouts import Window

MAX_FILE_BYTES = 20 * 1024 * 1024
# The multipart framing around the file (boundaries, part headers) is allowed on top.
MAX_BODY_BYTES = MAX_FILE_BYTES + 64 * 1024
# Larger files are imported in the background: 202 Accepted, progress at /imports/{id}.
ANSWER_AT_ONCE_BYTES = 5 * 1024 * 1024
RESPOND_ASYNC = "respond-async"

router = APIRouter(tags=["imports"])


class UploadTooLargeError(HTTPException):
    def __init__(self) -> None:
        super().__init__(
            status_code=status.HTTP_413_CONTENT_TOO_LARGE,
            detail="file: at most 20 MB can be imported at once; split the export by date",
        )


def _limited(receive: Receive) -> Receive:
    """The request's body, refused as soon as it passes the limit (never read whole)."""
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_BODY_BYTES:
                raise UploadTooLargeError
        return message

    return counted


async def _uploaded_file(request: Request) -> UploadFile:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise UploadTooLargeError
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST, "Send the export as multipart/form-data, field file"
        )
    # Starlette spools the file part to disk past 1 MB: memory holds one chunk at a time.
    limited = Request(request.scope, receive=_limited(request.receive))
    try:
        form = await limited.form(max_files=1, max_fields=20)
    except MultiPartException as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"file: {exc.message}") from exc
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "file: the multipart field is missing")
    return upload


UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


def _prefers_async(prefer: str | None) -> bool:
    """``Prefer: respond-async`` (RFC 7240), among other preferences or not."""
    if prefer is None:
        return False
    return any(
        part.split(";")[0].split("=")[0].strip().lower() == RESPOND_ASYNC
        for part in prefer.split(",")
    )


def _size(upload: UploadFile) -> int:
    if upload.size is not None:
        return upload.size
    upload.file.seek(0, 2)
    size = upload.file.tell()
    upload.file.seek(0)
    return size


@router.post(
    "/imports",
    response_model=ImportResult,
    responses={
        200: {"description": "Imported (or previewed, dry_run) at once: files up to 5 MB"},
        202: {
            "model": ImportJob,
            "description": (
                "Larger files, or Prefer: respond-async: the import runs in the background; "
                "poll the Location (GET /imports/{id}) for its progress and result"
            ),
            "headers": {
                "Location": {
                    "description": "/imports/{id} of the job",
                    "schema": {"type": "string"},
                },
                "Preference-Applied": {
                    "description": "respond-async when it was asked for",
                    "schema": {"type": "string"},
                },
            },
        },
        400: {"model": UnreadableRows, "description": "The file or some rows cannot be read"},
        **error_responses(401, 403, 429),
        413: {"description": "The file is larger than 20 MB"},
    },
    dependencies=[RateLimit(Category.IMPORT)],
    openapi_extra=UPLOAD_BODY,
    summary="Import a Strong, Hevy or JSON export into your log (one transaction)",
)
async def import_history(
    request: Request,
    user: LogWriter,
    session: SessionDep,
    resources: ResourcesDep,
    clock: ClockDep,
    source: Literal["auto", "strong", "hevy", "json"] = "auto",
    weight_unit: Annotated[
        WeightUnit | None, Query(description="Unit of a Strong file without a unit column")
    ] = None,
    timezone: Annotated[str, Query(max_length=64)] = "UTC",
    dry_run: bool = False,
    on_error: Annotated[
        Literal["fail", "skip"],
        Query(description="fail: a bad row imports nothing; skip: import the readable rows"),
    ] = "fail",
    prefer: Annotated[
        str | None,
        Header(
            max_length=200,
            description="respond-async: answer 202 and import in the background whatever "
            "the size (files over 5 MB always are)",
        ),
    ] = None,
) -> Any:
    options = ImportOptions(
        source=source,
        weight_unit=weight_unit or user.weight_unit,
        zone=run.time_zone(timezone),
        dry_run=dry_run,
        on_error=on_error,
    )
    upload = await _uploaded_file(request)
    size = _size(upload)
    asked = _prefers_async(prefer)
    if asked or size > ANSWER_AT_ONCE_BYTES:
        job = await resources.import_jobs.start(
            user_id=user_id_of(user),
            upload=upload.file,
            size=size,
            options=options,
            import_time=clock(),
        )
        headers = {"Location": f"/imports/{job.id}"}
        if asked:
            headers["Preference-Applied"] = RESPOND_ASYNC
        return JSONResponse(
            job.model_dump(mode="json"), status_code=status.HTTP_202_ACCEPTED, headers=headers
        )
    try:
        outcome = await run.read_and_import(
            session, user_id=user_id_of(user), binary=upload.file, options=options, now=clock()
        )
    except ImportRefusedError as exc:
        if not exc.body.rows_skipped:  # the file itself
            raise HTTPException(status.HTTP_400_BAD_REQUEST, exc.body.detail) from exc
        return JSONResponse(exc.body.model_dump(), status_code=status.HTTP_400_BAD_REQUEST)
    finally:
        await upload.close()
    return ImportResult.model_validate(asdict(outcome))


@router.get(
    "/imports/{job_id}",
    response_model=ImportJob,
    responses=error_responses(401, 403, 404, 429),
    dependencies=[RateLimit(Category.READ)],
    summary="Progress and result of an import answered with 202 Accepted",
)
async def import_progress(
    user: ReadingLifter,
    resources: ResourcesDep,
    job_id: Annotated[str, Path(max_length=36, description="The id of the 202 answer")],
) -> ImportJob:
    job = await resources.import_jobs.find(user_id=user_id_of(user), job_id=job_id)
    if job is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Import not found")
    return job


@router.get(
    "/workouts/export",
    responses={
        200: {
            "content": {"application/json": {}, "text/csv": {}},
            "description": "A download of your workouts, oldest first",
        },
        **error_responses(401, 403, 429),
    },
    response_class=StreamingResponse,
    dependencies=[RateLimit(Category.READ)],
    summary="Download your log as JSON (backup), Strong CSV or Hevy CSV",
)
async def export_workouts(
    request: Request,
    user: ReadingLifter,
    clock: ClockDep,
    format: export.ExportFormat = "json",
    from_: From = None,
    to: To = None,
) -> StreamingResponse:
    now = clock()
    extension = "json" if format == "json" else "csv"
    filename = f"workouts-{format}-{now:%Y%m%d}.{extension}"
    chunks = export.export_chunks(
        request.app.state.resources.read_session_factory,
        user_id=user_id_of(user),
        export_format=format,
        unit=user.weight_unit,
        window=Window(from_, to),
        now=now,
    )
    return StreamingResponse(
        chunks,
        media_type=export.MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
