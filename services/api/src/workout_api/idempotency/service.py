"""Runs a write once per key; see the package docstring for the rules."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import Header, HTTPException, status
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.responses import JSONResponse, Response

from workout_api.idempotency.records import IdempotencyRecord

KEEP_FOR = timedelta(hours=24)
_KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as header values go
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_REUSED = "Idempotency-Key was already used for a different request"


def _valid_key(value: str | None) -> str | None:
    if value is None:
        return None
    if not _KEY_PATTERN.fullmatch(value):
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            detail="Idempotency-Key must be 1-255 visible ASCII characters",
        )
    return value


IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="Makes retries of this POST safe: the same key and body replay the first "
        "answer instead of writing again (kept 24 hours; a different body is 422)",
    ),
]


@dataclass(frozen=True)
class Answer:
    status_code: int
    body: Any
    location: str | None = None

    def response(self, *, replayed: bool = False) -> Response:
        headers = {"Location": self.location} if self.location else {}
        if replayed:
            headers[REPLAYED_HEADER] = "true"
        return JSONResponse(self.body, status_code=self.status_code, headers=headers)


def fingerprint(operation: str, body: Any) -> str:
    """The request as the key stands for it: the operation and its validated body."""
    canonical = json.dumps([operation, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _answer_of(record: IdempotencyRecord, expected_fingerprint: str) -> Answer:
    if record.fingerprint != expected_fingerprint:
        # Worded as a validation error, the one shape the API gives its 422s.
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=[
                {
                    "loc": ["header", "Idempotency-Key"],
                    "msg": KEY_REUSED,
                    "type": "idempotency_key_reused",
                }
            ],
        )
    return Answer(record.status_code, json.loads(record.body), record.location)


async def run_once(
    session: AsyncSession,
    *,
    owner: str,
    key: str | None,
    request_fingerprint: str,
    write: Callable[[], Awaitable[Answer]],
) -> Response:
    """Runs ``write`` (which must not commit) and commits it with its answer under ``key``.

    Without a key, the write is simply committed. ``write`` may raise ``HTTPException``;
    nothing is stored then.
    """
    key = _valid_key(key)
    if key is None:
        answer = await write()
        await session.commit()
        return answer.response()

    stored = await session.get(IdempotencyRecord, (owner, key))
    if stored is not None and _as_utc(stored.created_at) > _cutoff():
        return _answer_of(stored, request_fingerprint).response(replayed=True)

    await session.exec(
        delete(IdempotencyRecord).where(
            col(IdempotencyRecord.owner) == owner, col(IdempotencyRecord.created_at) < _cutoff()
        )
    )
    answer = await write()
    session.add(
        IdempotencyRecord(
            owner=owner,
            key=key,
            fingerprint=request_fingerprint,
            status_code=answer.status_code,
            body=json.dumps(answer.body),
            location=answer.location,
        )
    )
    try:
        await session.commit()
    except IntegrityError:  # the same key won a race: this write is rolled back with it
        await session.rollback()
        winner = await session.get(IdempotencyRecord, (owner, key), populate_existing=True)
        if winner is None:
            raise
        return _answer_of(winner, request_fingerprint).response(replayed=True)
    return answer.response()


def _cutoff() -> datetime:
    return datetime.now(UTC) - KEEP_FOR


def _as_utc(moment: datetime) -> datetime:
    """SQLite gives the stored UTC time back without its zone; PostgreSQL with it."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
