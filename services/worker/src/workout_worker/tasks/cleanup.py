"""``cleanup_stale_data``: delete orphaned idempotency keys (no TTL, or under 60 s left).

Keys are found with SCAN (never KEYS, which blocks Redis on a large keyspace) and
checked and deleted in pipelined batches.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aioredis

from workout_worker.keys import IDEMPOTENCY_PATTERN
from workout_worker.resources import Resources

STALE_TTL_SECONDS = 60
SCAN_BATCH = 500
NO_EXPIRY = -1
MISSING = -2


@dataclass
class CleanupResult:
    deleted_idempotency_keys: int = 0
    cleanup_time_ms: int = 0
    all_failed = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "deleted_idempotency_keys": self.deleted_idempotency_keys,
            "cleanup_time_ms": self.cleanup_time_ms,
        }


def is_stale(ttl: int) -> bool:
    return ttl == NO_EXPIRY or 0 <= ttl < STALE_TTL_SECONDS


async def _delete_stale(cache: aioredis.Redis, keys: list[str]) -> int:
    async with cache.pipeline(transaction=False) as pipe:
        for key in keys:
            pipe.ttl(key)
        ttls: list[int] = await pipe.execute()
    stale = [key for key, ttl in zip(keys, ttls, strict=True) if is_stale(int(ttl))]
    if not stale:
        return 0
    return int(await cache.delete(*stale))


async def cleanup_stale_data(resources: Resources) -> CleanupResult:
    started = time.perf_counter()
    cache = resources.cache
    deleted = 0
    batch: list[str] = []
    async for key in cache.scan_iter(match=IDEMPOTENCY_PATTERN, count=SCAN_BATCH):
        batch.append(key)
        if len(batch) >= SCAN_BATCH:
            deleted += await _delete_stale(cache, batch)
            batch = []
    if batch:
        deleted += await _delete_stale(cache, batch)
    elapsed_ms = round((time.perf_counter() - started) * 1000)
    return CleanupResult(deleted_idempotency_keys=deleted, cleanup_time_ms=elapsed_ms)
