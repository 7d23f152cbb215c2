"""Imports run in the background of the API process, for files too large to wait for.

The job's state is its ``import_job`` row; this process adds the live progress of the jobs
it runs. The import itself is the synchronous one (one transaction, all or nothing). A
heartbeat task writes the progress every few seconds from a transaction of its own; on
PostgreSQL each batch of sets written does too. SQLite allows one writer at a time, so
there the row is not written while the import's transaction is open and the answers of
this process (the only one a SQLite file has) carry the live figures instead.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import IO
from uuid import uuid4

from sqlalchemy.exc import SQLAlchemyError

from workout_api.database import SessionFactory
from workout_api.imports import job_rows, run
from workout_api.imports.job_rows import JobProgress
from workout_api.imports.run import ImportOptions, ImportRefusedError
from workout_api.imports.schemas import ImportJob, ImportResult, UnreadableRows
from workout_api.imports.service import RowsProgress

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5.0
# A running job whose row has not been written for this long belongs to a dead process.
STALE_AFTER = timedelta(minutes=1)
FAILED = "The import failed on the server; nothing was imported: upload the file again"


def system_clock() -> datetime:
    return datetime.now(UTC)


class CountingReader(io.RawIOBase):
    """The uploaded file, counting the bytes read into the job's progress."""

    def __init__(self, inner: IO[bytes], progress: JobProgress) -> None:
        super().__init__()
        self._inner = inner
        self._progress = progress

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        position = self._inner.seek(offset, whence)
        self._progress.bytes_done = position
        return position

    def tell(self) -> int:
        return self._inner.tell()

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        self._progress.bytes_done += len(data)
        return len(data)


class ImportJobs:
    """The background imports of this process (one per app, closed with it)."""

    def __init__(
        self,
        session_factory: SessionFactory,
        *,
        concurrent_writers: bool,
        clock: Callable[[], datetime] = system_clock,
    ) -> None:
        self._sessions = session_factory
        self._concurrent_writers = concurrent_writers
        self._clock = clock
        self._running: dict[str, tuple[asyncio.Task[None], JobProgress]] = {}

    async def start(
        self,
        *,
        user_id: int,
        upload: IO[bytes],
        size: int,
        options: ImportOptions,
        import_time: datetime,
    ) -> ImportJob:
        """Record the job and start it; the job closes ``upload`` when done."""
        job_id = str(uuid4())
        progress = JobProgress(bytes_total=size)
        try:
            async with self._sessions() as session:
                job = await job_rows.create(
                    session,
                    job_id=job_id,
                    user_id=user_id,
                    dry_run=options.dry_run,
                    size=size,
                    now=self._clock(),
                )
        except BaseException:
            upload.close()
            raise
        task = asyncio.create_task(
            self._run(job_id, user_id, upload, options, progress, import_time),
            name=f"import {job_id}",
        )
        self._running[job_id] = (task, progress)
        task.add_done_callback(lambda _: self._running.pop(job_id, None))
        return job

    async def find(self, *, user_id: int, job_id: str) -> ImportJob | None:
        """The user's job with its latest progress; a job nobody runs any more is failed."""
        async with self._sessions() as session:
            job = await job_rows.read(session, user_id=user_id, job_id=job_id)
            if job is None or job.status != "running":
                return job
            here = self._running.get(job_id)
            if here is not None:
                live = here[1]
                return job.model_copy(
                    update={
                        "bytes_done": live.bytes_done,
                        "rows_done": live.rows_done,
                        "rows_total": live.rows_total,
                    }
                )
            now = self._clock()
            if await job_rows.fail_stale(
                session, heartbeat_before=now - STALE_AFTER, now=now, job_id=job_id
            ):
                return await job_rows.read(session, user_id=user_id, job_id=job_id)
            return job

    async def fail_abandoned(self) -> int:
        """At start-up: jobs left running by a process that stopped are failed."""
        now = self._clock()
        # A SQLite file has this process alone: whatever still runs there was left behind.
        before = now - STALE_AFTER if self._concurrent_writers else now
        async with self._sessions() as session:
            return await job_rows.fail_stale(session, heartbeat_before=before, now=now)

    async def aclose(self) -> None:
        """Stop the jobs still running; each marks itself failed (nothing is written)."""
        tasks = [task for task, _ in self._running.values()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _save(self, job_id: str, progress: JobProgress) -> None:
        try:
            async with self._sessions() as session:
                await job_rows.save_progress(session, job_id, progress, self._clock())
        except SQLAlchemyError:
            logger.warning("could not record the progress of import %s", job_id, exc_info=True)

    async def _heartbeat(self, job_id: str, progress: JobProgress) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            # On SQLite the import's transaction starts once the file is read.
            if progress.read_whole and not self._concurrent_writers:
                continue
            await self._save(job_id, progress)

    def _rows(self, job_id: str, progress: JobProgress) -> RowsProgress:
        async def written(done: int, total: int) -> None:
            progress.rows_done, progress.rows_total = done, total
            if self._concurrent_writers:
                await self._save(job_id, progress)

        return written

    async def _run(
        self,
        job_id: str,
        user_id: int,
        upload: IO[bytes],
        options: ImportOptions,
        progress: JobProgress,
        import_time: datetime,
    ) -> None:
        beat = asyncio.create_task(self._heartbeat(job_id, progress))
        result: ImportResult | None = None
        error: UnreadableRows | None = None
        try:
            async with self._sessions() as session:
                outcome = await run.read_and_import(
                    session,
                    user_id=user_id,
                    binary=io.BufferedReader(CountingReader(upload, progress)),
                    options=options,
                    now=import_time,
                    progress=self._rows(job_id, progress),
                )
            result = ImportResult.model_validate(asdict(outcome))
            progress.rows_total = progress.rows_done = outcome.sets_created
        except ImportRefusedError as exc:
            error = exc.body
        except asyncio.CancelledError:
            error = UnreadableRows(detail=job_rows.STOPPED)
            raise
        except Exception:
            logger.exception("import %s failed", job_id)
            error = UnreadableRows(detail=FAILED)
        finally:
            beat.cancel()
            await asyncio.gather(beat, return_exceptions=True)
            upload.close()
            await self._finish(job_id, progress, result, error)

    async def _finish(
        self,
        job_id: str,
        progress: JobProgress,
        result: ImportResult | None,
        error: UnreadableRows | None,
    ) -> None:
        try:
            async with self._sessions() as session:
                await job_rows.finish(
                    session, job_id, progress, self._clock(), result=result, error=error
                )
        except SQLAlchemyError:  # the heartbeat stops: the job is failed once it is stale
            logger.exception("could not record the outcome of import %s", job_id)
