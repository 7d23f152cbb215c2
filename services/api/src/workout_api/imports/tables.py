"""The import jobs table: one row per import answered with 202, its progress and outcome.

The row, not the process, is the job's state, so any API replica answers
``GET /imports/{id}`` and a job whose process died is found by its old heartbeat.
"""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Boolean, Column, ForeignKey, Index, Integer, String, Table

from workout_api.metadata import metadata
from workout_api.training.columns import UTCDateTime
from workout_api.users import models as _users  # noqa: F401  (app_user is referenced)

import_job = Table(
    "import_job",
    metadata,
    Column("id", String(36), primary_key=True),  # a random UUID: ids say nothing of others
    Column("user_id", Integer, ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(10), nullable=False),  # running, succeeded, failed
    Column("dry_run", Boolean, nullable=False),
    Column("bytes_total", BigInteger, nullable=False),
    Column("bytes_done", BigInteger, nullable=False),
    Column("rows_total", Integer, nullable=True),  # sets to write, known once the file is read
    Column("rows_done", Integer, nullable=False),
    Column("result", JSON, nullable=True),  # the body of the synchronous 200
    Column("error", JSON, nullable=True),  # the body of the synchronous 400, or why it stopped
    Column("created_at", UTCDateTime, nullable=False),
    Column("heartbeat_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=True),
    Index("ix_import_job_user_id", "user_id"),
    Index("ix_import_job_status_heartbeat_at", "status", "heartbeat_at"),
)
