"""Reading and writing ``import_job`` rows; each call is one short transaction of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from workout_api.imports.schemas import ImportJob, ImportResult, UnreadableRows
from workout_api.imports.tables import import_job
from workout_api.training import sql

STOPPED = (
    "The import stopped before it finished (the server restarted or lost the job); "
    "nothing was imported: upload the file again"
)


@dataclass
class JobProgress:
    """What a running job has done; the reader thread and the batches update it."""

    bytes_total: int
    bytes_done: int = 0
    rows_total: int | None = None
    rows_done: int = 0

    @property
    def read_whole(self) -> bool:
        return self.bytes_done >= self.bytes_total


async def create(
    session: AsyncSession, *, job_id: str, user_id: int, dry_run: bool, size: int, now: datetime
) -> ImportJob:
    values: dict[str, Any] = {
        "id": job_id,
        "user_id": user_id,
        "status": "running",
        "dry_run": dry_run,
        "bytes_total": size,
        "bytes_done": 0,
        "rows_total": None,
        "rows_done": 0,
        "result": None,
        "error": None,
        "created_at": now,
        "heartbeat_at": now,
        "finished_at": None,
    }
    await sql.execute(session, insert(import_job).values(**values))
    await session.commit()
    return ImportJob.model_validate(values)


def _progress_values(progress: JobProgress) -> dict[str, Any]:
    return {
        "bytes_done": progress.bytes_done,
        "rows_total": progress.rows_total,
        "rows_done": progress.rows_done,
    }


async def save_progress(
    session: AsyncSession, job_id: str, progress: JobProgress, now: datetime
) -> None:
    """The progress and the heartbeat of a job still running."""
    await sql.execute(
        session,
        update(import_job)
        .where(import_job.c.id == job_id, import_job.c.status == "running")
        .values(**_progress_values(progress), heartbeat_at=now),
    )
    await session.commit()


async def finish(
    session: AsyncSession,
    job_id: str,
    progress: JobProgress,
    now: datetime,
    *,
    result: ImportResult | None = None,
    error: UnreadableRows | None = None,
) -> None:
    """The outcome; written even over a job marked stale, since it is what happened."""
    await sql.execute(
        session,
        update(import_job)
        .where(import_job.c.id == job_id)
        .values(
            **_progress_values(progress),
            status="failed" if result is None else "succeeded",
            result=None if result is None else result.model_dump(mode="json"),
            error=None if error is None else error.model_dump(mode="json"),
            heartbeat_at=now,
            finished_at=now,
        ),
    )
    await session.commit()


async def read(session: AsyncSession, *, user_id: int, job_id: str) -> ImportJob | None:
    row = (
        await sql.execute(
            session,
            select(import_job).where(import_job.c.id == job_id, import_job.c.user_id == user_id),
        )
    ).first()
    return None if row is None else ImportJob.model_validate(row._asdict())


async def fail_stale(
    session: AsyncSession, *, heartbeat_before: datetime, now: datetime, job_id: str | None = None
) -> int:
    """Mark failed the running jobs (or the one job) whose process stopped beating."""
    stale = update(import_job).where(
        import_job.c.status == "running", import_job.c.heartbeat_at < heartbeat_before
    )
    if job_id is not None:
        stale = stale.where(import_job.c.id == job_id)
    marked = await sql.execute(
        session,
        stale.values(
            status="failed",
            error=UnreadableRows(detail=STOPPED).model_dump(mode="json"),
            finished_at=now,
        ),
    )
    await session.commit()
    return int(getattr(marked, "rowcount", 0) or 0)
