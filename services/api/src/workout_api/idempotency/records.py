"""The stored answers of keyed writes."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Index, Integer, String, Text
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from workout_api import metadata as _metadata  # noqa: F401  (naming convention first)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_record"
    __table_args__ = (Index("ix_idempotency_record_created_at", "created_at"),)

    owner: str = SQLField(sa_column=Column(String(100), primary_key=True))
    key: str = SQLField(sa_column=Column(String(255), primary_key=True))
    fingerprint: str = SQLField(sa_column=Column(String(64), nullable=False))
    status_code: int = SQLField(sa_column=Column(Integer, nullable=False))
    body: str = SQLField(sa_column=Column(Text, nullable=False))
    location: str | None = SQLField(default=None, sa_column=Column(String(255), nullable=True))
    created_at: datetime = SQLField(
        default_factory=_utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
