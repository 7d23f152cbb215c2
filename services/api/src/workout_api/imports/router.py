"""``POST /imports`` and ``GET /workouts/export``: thin; the rules live in ``readers``,
``service`` and ``export``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.types import Message, Receive

from workout_api.database import SessionDep
from workout_api.imports import export, readers, service
from workout_api.ratelimit.guard import RateLimit
from workout_api.ratelimit.policy import Category
from workout_api.schemas import error_responses
from workout_api.training.dependencies import ClockDep, LogWriter, ReadingLifter, user_id_of
from workout_api.training.router import From, To
from workout_api.training.schemas import WeightUnit
from workout_api.training.workouts import Window

MAX_FILE_BYTES = 20 * 1024 * 1024
# The multipart framing around the file (boundaries, part headers) is allowed on top.
MAX_BODY_BYTES = MAX_FILE_BYTES + 64 * 1024
ERRORS_IN_DETAIL = 20

router = APIRouter(tags=["imports"])


class RowSkipped(BaseModel):
    line: int
    reason: str


class ImportResult(BaseModel):
    source: Literal["strong", "hevy", "json"]
    dry_run: bool
    workouts_found: int
    workouts_created: int
    duplicates_skipped: int
    sets_created: int
    rows_skipped: list[RowSkipped]
    templates_created: list[str]
    unmatched_names: list[str]


class UnreadableRows(BaseModel):
    """A 400 of ``POST /imports``: ``rows_skipped`` when rows, not the file, are unreadable."""

    detail: str
    rows_skipped: list[RowSkipped] = []


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


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: a folder
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            f"timezone: {name!r} is not an IANA time zone (for example Europe/Berlin)",
        ) from exc


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


@router.post(
    "/imports",
    response_model=ImportResult,
    responses={
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
) -> Any:
    zone = _zone(timezone)
    upload = await _uploaded_file(request)
    try:
        parsed = await run_in_threadpool(
            readers.read,
            upload.file,
            source=source,
            weight_unit=weight_unit or user.weight_unit,
            zone=zone,
        )
    except readers.UnreadableFileError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(exc)) from exc
    finally:
        await upload.close()
    if parsed.errors and on_error == "fail":
        shown = "; ".join(f"line {e.line}: {e.reason}" for e in parsed.errors[:ERRORS_IN_DETAIL])
        more = len(parsed.errors) - ERRORS_IN_DETAIL
        body = UnreadableRows(
            detail=(
                f"{len(parsed.errors)} row(s) cannot be read, nothing was imported "
                f"(on_error=skip imports the others): {shown}"
                + (f"; and {more} more" if more > 0 else "")
            ),
            rows_skipped=[RowSkipped(line=e.line, reason=e.reason) for e in parsed.errors],
        )
        return JSONResponse(body.model_dump(), status_code=status.HTTP_400_BAD_REQUEST)
    outcome = await service.import_file(
        session, user_id=user_id_of(user), parsed=parsed, dry_run=dry_run, now=clock()
    )
    return ImportResult.model_validate(asdict(outcome))


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
