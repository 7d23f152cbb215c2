"""``refresh_exercises``: read every exercise from the Workout API and refresh the cache DB.

For each exercise the run writes a summary (``workout:exercise:{id}``) guarded by an
idempotency key that names the exercise's content, so an unchanged exercise seen within
the TTL is skipped. A run that read every page also replaces the aggregate snapshot the
coach reads (``workout:context:v1``) in one atomic step and drops summaries of exercises
that no longer exist. Every write is idempotent, so an interrupted run can simply run again.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import math
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import redis.asyncio as aioredis
from pydantic import ValidationError
from redis.exceptions import RedisError

from workout_common.context_snapshot import CONTEXT_SNAPSHOT_KEY, ContextSnapshot
from workout_common.exercise_record import EXERCISE_FIELDS, ExerciseRecord
from workout_common.workout_api_client import MAX_PAGE_SIZE, WorkoutApiError
from workout_worker.errors import TaskUnavailableError
from workout_worker.keys import (
    EXERCISE_SUMMARY_PATTERN,
    exercise_summary_key,
    refresh_idempotency_key,
)
from workout_worker.resources import Resources
from workout_worker.retry import RetryPolicy, with_retries

logger = logging.getLogger(__name__)

CONTEXT_TEMP_TTL_SECONDS = 600
SCAN_BATCH = 1000

# For each exercise of a page, claim its idempotency key and write its summary, all in
# one atomic script: a run killed half-way never leaves a key without its summary (which
# would hide the exercise for a TTL), and a page costs one round trip. KEYS holds
# (idempotency key, summary key) pairs, ARGV the TTL then one summary per pair; the reply
# says, per exercise, whether it was claimed (1) or already there (0).
_CLAIM_AND_WRITE_PAGE = """
local claimed = {}
for i = 1, #KEYS, 2 do
  if redis.call('SET', KEYS[i], '1', 'NX', 'EX', ARGV[1]) then
    redis.call('SET', KEYS[i + 1], ARGV[(i + 1) / 2 + 1])
    claimed[#claimed + 1] = 1
  else
    claimed[#claimed + 1] = 0
  end
end
return claimed
"""


def content_hash(exercise: ExerciseRecord) -> str:
    """Names the exercise's content: its idempotency key changes whenever a field does."""
    canonical = "\x1f".join(str(getattr(exercise, name)) for name in EXERCISE_FIELDS)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


@dataclass
class RefreshResult:
    processed: int = 0
    skipped: int = 0
    failed: int = 0
    pages_failed: int = 0
    exercises: dict[int, ExerciseRecord] = field(default_factory=dict, repr=False)

    @property
    def total(self) -> int:
        return self.processed + self.skipped + self.failed

    @property
    def success_rate(self) -> float:
        if self.total == 0:
            return 100.0
        return round((self.processed + self.skipped) * 100.0 / self.total, 1)

    @property
    def all_failed(self) -> bool:
        return self.total > 0 and self.failed == self.total

    def as_dict(self) -> dict[str, Any]:
        return {
            "processed": self.processed,
            "skipped": self.skipped,
            "failed": self.failed,
            "total": self.total,
            "success_rate": self.success_rate,
        }


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ExerciseRefresher:
    def __init__(self, resources: Resources) -> None:
        self.resources = resources
        config = resources.settings.refresh
        self.policy = RetryPolicy(config.max_retries, config.retry_delay)
        self.ttl = config.idempotency_ttl
        self.concurrency = config.concurrency
        self.cache: aioredis.Redis = resources.cache
        self._claim_page = self.cache.register_script(_CLAIM_AND_WRITE_PAGE)
        self.result = RefreshResult()
        # Once a dependency has failed through all retries, the rest of the run fails fast
        # instead of waiting out the backoff for every remaining page or exercise.
        self._api_down = False
        self._redis_down = False
        # The first page's ETag, which the coach checks the snapshot against before use.
        self._list_etag: str | None = None

    async def run(self) -> RefreshResult:
        first = await self._first_page()
        reported_total = int(first.get("total", 0))
        page_count = max(1, math.ceil(reported_total / MAX_PAGE_SIZE))
        semaphore = asyncio.Semaphore(self.concurrency)

        async def one_page(page: int) -> None:
            async with semaphore:
                if page == 1:
                    await self._process_items(first.get("items", []))
                    return
                expected = min(MAX_PAGE_SIZE, reported_total - (page - 1) * MAX_PAGE_SIZE)
                try:
                    if self._api_down:
                        raise WorkoutApiError(
                            "the Workout API stopped answering earlier in this run"
                        )
                    body, _ = await self._fetch_page(page)
                except WorkoutApiError as exc:
                    self._api_down = True
                    logger.error("refresh: page %d unreadable: %s", page, exc)
                    self.result.failed += expected
                    self.result.pages_failed += 1
                    return
                await self._process_items(body.get("items", []))

        await asyncio.gather(*(one_page(page) for page in range(1, page_count + 1)))
        if self.result.pages_failed or self._redis_down:
            logger.warning(
                "refresh: incomplete run; keeping the previous %s snapshot", CONTEXT_SNAPSHOT_KEY
            )
        else:
            await self._publish_snapshot()
        return self.result

    async def _fetch_page(self, page: int) -> tuple[dict[str, Any], str | None]:
        return await with_retries(
            lambda: self.resources.api.exercise_page_and_etag(page, MAX_PAGE_SIZE),
            self.policy,
            retry_on=(WorkoutApiError,),
            what=f"GET /exercises page {page}",
        )

    async def _first_page(self) -> dict[str, Any]:
        try:
            body, self._list_etag = await self._fetch_page(1)
            return body
        except WorkoutApiError as exc:
            raise TaskUnavailableError(
                f"Workout API at {self.resources.settings.api_client.workout_api_url} "
                f"could not list exercises: {exc}"
            ) from exc

    async def _process_items(self, items: list[Any]) -> None:
        """Claim-and-write every usable exercise of a page in one atomic round trip."""
        keys: list[str] = []
        summaries: list[str] = []
        refreshed_at = _now_iso()
        for item in items:
            try:
                exercise = ExerciseRecord.model_validate(item)
            except ValidationError as exc:
                logger.error("refresh: unusable exercise %r: %s", item, exc.errors()[0]["msg"])
                self.result.failed += 1
                continue
            if exercise.id in self.result.exercises:
                continue  # listed twice because the list changed between pages
            self.result.exercises[exercise.id] = exercise
            fingerprint = content_hash(exercise)
            keys += [
                refresh_idempotency_key(exercise.id, fingerprint),
                exercise_summary_key(exercise.id),
            ]
            summaries.append(
                json.dumps(
                    {
                        **exercise.model_dump(),
                        "volume": exercise.volume(),
                        "content_hash": fingerprint,
                        "refreshed_at": refreshed_at,
                    }
                )
            )
        if not summaries:
            return
        if self._redis_down:
            self.result.failed += len(summaries)
            return
        try:
            claimed = await with_retries(
                lambda: self._claim_page(keys=keys, args=[self.ttl, *summaries]),
                self.policy,
                retry_on=(RedisError, OSError),
                what=f"refresh of {len(summaries)} exercises",
            )
        except (RedisError, OSError) as exc:
            logger.error("refresh: %d exercises failed after retries: %s", len(summaries), exc)
            self._redis_down = True
            self.result.failed += len(summaries)
            return
        fresh = sum(1 for value in claimed if int(value))
        self.result.processed += fresh
        self.result.skipped += len(claimed) - fresh

    async def _publish_snapshot(self) -> None:
        exercises = [self.result.exercises[i] for i in sorted(self.result.exercises)]
        snapshot = ContextSnapshot.taken_now(exercises, list_etag=self._list_etag).model_dump_json()
        temp_key = f"{CONTEXT_SNAPSHOT_KEY}:tmp:{uuid.uuid4().hex}"

        async def write() -> None:
            async with self.cache.pipeline(transaction=True) as pipe:
                pipe.set(temp_key, snapshot, ex=CONTEXT_TEMP_TTL_SECONDS)
                pipe.rename(temp_key, CONTEXT_SNAPSHOT_KEY)
                pipe.persist(CONTEXT_SNAPSHOT_KEY)
                await pipe.execute()

        try:
            await with_retries(
                write, self.policy, retry_on=(RedisError, OSError), what="snapshot write"
            )
            await self._drop_stale_summaries()
        except (RedisError, OSError) as exc:
            logger.error("refresh: could not publish %s: %s", CONTEXT_SNAPSHOT_KEY, exc)

    async def _drop_stale_summaries(self) -> None:
        live = {exercise_summary_key(i) for i in self.result.exercises}
        stale: list[str] = []
        async for key in self.cache.scan_iter(match=EXERCISE_SUMMARY_PATTERN, count=SCAN_BATCH):
            if key not in live:
                stale.append(key)
        for start in range(0, len(stale), SCAN_BATCH):
            await self.cache.delete(*stale[start : start + SCAN_BATCH])
        if stale:
            logger.info("refresh: dropped %d summaries of deleted exercises", len(stale))


async def refresh_exercises(resources: Resources) -> RefreshResult:
    return await ExerciseRefresher(resources).run()
