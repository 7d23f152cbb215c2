"""Bodies of the import answers: the result, the refusal and the background job."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

JobStatus = Literal["running", "succeeded", "failed"]


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


class ImportJob(BaseModel):
    """An import running in the background (``202 Accepted``), polled at ``/imports/{id}``."""

    id: str
    status: JobStatus
    dry_run: bool
    bytes_done: int = Field(description="Bytes of the file read so far")
    bytes_total: int = Field(description="Size of the uploaded file")
    rows_done: int = Field(description="Sets written so far (all of them at the end of a dry run)")
    rows_total: int | None = Field(
        description="Sets to write; null while the file is still being read"
    )
    created_at: datetime
    finished_at: datetime | None
    result: ImportResult | None = Field(
        description="When succeeded: the body the synchronous answer (200) gives"
    )
    error: UnreadableRows | None = Field(
        description="When failed: the body the synchronous refusal (400) gives, or why it stopped"
    )
