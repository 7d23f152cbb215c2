"""Reading an uploaded file and writing it: the one path of ``POST /imports`` (answered
at once or in the background) and of the MCP import tool."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import IO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import HTTPException, status
from fastapi.concurrency import run_in_threadpool
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.imports import readers, service
from workout_api.imports.readers import RowError
from workout_api.imports.schemas import RowSkipped, UnreadableRows
from workout_api.imports.service import ImportOutcome, RowsProgress

ERRORS_IN_DETAIL = 20


def time_zone(name: str) -> ZoneInfo:
    """The IANA zone of the local times in a CSV file, or a 400 naming the parameter."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: a folder
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            f"timezone: {name!r} is not an IANA time zone (for example Europe/Berlin)",
        ) from exc


@dataclass(frozen=True)
class ImportOptions:
    source: str  # auto, strong, hevy or json
    weight_unit: str  # of a Strong file without a unit column
    zone: tzinfo  # of the local times in CSV files
    dry_run: bool
    on_error: str  # fail or skip


class ImportRefusedError(Exception):
    """The file, or some of its rows with on_error=fail, cannot be read: nothing was written."""

    def __init__(self, detail: str, rows: list[RowError] | None = None) -> None:
        super().__init__(detail)
        self.body = UnreadableRows(
            detail=detail,
            rows_skipped=[RowSkipped(line=e.line, reason=e.reason) for e in rows or []],
        )


def _bad_rows_detail(errors: list[RowError]) -> str:
    shown = "; ".join(f"line {e.line}: {e.reason}" for e in errors[:ERRORS_IN_DETAIL])
    more = len(errors) - ERRORS_IN_DETAIL
    return (
        f"{len(errors)} row(s) cannot be read, nothing was imported "
        f"(on_error=skip imports the others): {shown}" + (f"; and {more} more" if more > 0 else "")
    )


async def read_and_import(
    session: AsyncSession,
    *,
    user_id: int,
    binary: IO[bytes],
    options: ImportOptions,
    now: datetime,
    progress: RowsProgress | None = None,
) -> ImportOutcome:
    """Read the whole file (in a thread), then write it in one transaction."""
    try:
        parsed = await run_in_threadpool(
            readers.read,
            binary,
            source=options.source,
            weight_unit=options.weight_unit,
            zone=options.zone,
        )
    except readers.UnreadableFileError as exc:
        raise ImportRefusedError(str(exc)) from exc
    if parsed.errors and options.on_error == "fail":
        raise ImportRefusedError(_bad_rows_detail(parsed.errors), parsed.errors)
    return await service.import_file(
        session,
        user_id=user_id,
        parsed=parsed,
        dry_run=options.dry_run,
        now=now,
        progress=progress,
    )
