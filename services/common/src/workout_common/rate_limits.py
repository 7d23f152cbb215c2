"""Moving-window rate limits counted in Redis, in this process's memory while Redis is down.

Moving windows count the requests of the last window length, whenever they came: a burst at
the end of one minute and the start of the next counts as one burst, and a caller is never
let through twice its limit around a boundary, as fixed windows allow. The counting is the
``limits`` library's (its moving-window limiter and Redis storage, on the service's own
redis-py connection pool). Two things are added here:

- The counts of one event-loop turn leave as one redis-py pipeline, each running ``limits``'
  own moving-window script on ``limits``' own keys (so its limiter reads the same windows
  back for ``Retry-After``). One script call per request cost about as much CPU in redis-py's
  client as the rest of a cached list request; see docs/benchmarks.md, "Workout API".
- While Redis is unreachable the same limits are counted per process in memory (logged once),
  and Redis is tried again every few seconds.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from typing import Any

import redis.asyncio as aioredis
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.exceptions import NoScriptError
from starlette.responses import JSONResponse

logger = logging.getLogger(__name__)

STORAGE_RETRY_SECONDS = 5.0


class RateLimitExceededError(Exception):
    """The caller is over ``limit``; ``retry_after`` seconds until one more request fits."""

    def __init__(self, limit: RateLimitItem, retry_after: int) -> None:
        super().__init__(str(limit))
        self.limit = limit
        self.retry_after = retry_after


def too_many_requests(exc: RateLimitExceededError) -> JSONResponse:
    """The 429 answer: a JSON ``detail`` and ``Retry-After``."""
    return JSONResponse(
        {"detail": f"Rate limit exceeded: {exc.limit}. Try again in {exc.retry_after} seconds."},
        status_code=429,
        headers={"Retry-After": str(exc.retry_after)},
    )


# Pending hits: each with its Redis key, the script's arguments and the future of its answer.
_Batch = list[tuple[str, list[Any], asyncio.Future[bool]]]


class _PipelinedAcquisitions:
    """``MovingWindowRateLimiter.hit`` on Redis, the hits of a loop turn in one pipeline."""

    def __init__(self, redis: aioredis.Redis, storage: RedisStorage) -> None:
        self._redis = redis
        self._prefixed_key = storage.bridge.prefixed_key
        self._script = redis.register_script(storage.bridge.SCRIPT_ACQUIRE_MOVING_WINDOW)
        self._pending: _Batch = []
        self._sender: asyncio.Task[None] | None = None

    async def hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        key = self._prefixed_key(item.key_for(*identifiers))
        arguments = [time.time(), item.amount, item.get_expiry(), 1]
        fits: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pending.append((key, arguments, fits))
        if self._sender is None:
            self._sender = asyncio.create_task(self._send_all())
        return await fits

    async def _send_all(self) -> None:
        """One batch in flight at a time: hits that come meanwhile leave together next."""
        batch: _Batch = []
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                await self._send(batch)
        finally:
            self._sender = None
            for _, _, fits in [*batch, *self._pending]:  # left only when cancelled
                if not fits.done():
                    fits.cancel()
            self._pending = []

    async def _send(self, batch: _Batch) -> None:
        try:
            replies = await self._run(batch)
        except Exception as exc:
            for _, _, fits in batch:
                if not fits.done():
                    fits.set_exception(exc)
            return
        for (_, _, fits), reply in zip(batch, replies, strict=True):
            if not fits.done():
                fits.set_result(bool(reply))

    async def _run(self, batch: _Batch) -> list[Any]:
        try:
            return await self._execute(batch)
        except NoScriptError:  # a restarted Redis has forgotten the script
            await self._redis.script_load(self._script.script)
            return await self._execute(batch)

    async def _execute(self, batch: _Batch) -> list[Any]:
        async with self._redis.pipeline(transaction=False) as pipe:
            for key, arguments, _ in batch:
                pipe.evalsha(self._script.sha, 1, key, *arguments)
            return list(await pipe.execute())


class MovingWindowCounter:
    def __init__(self, redis: aioredis.Redis | None, *, key_prefix: str) -> None:
        self._redis: MovingWindowRateLimiter | None = None
        self._pipelined: _PipelinedAcquisitions | None = None
        if redis is not None:
            shared = RedisStorage(
                "async+redis://",
                implementation="redispy",
                key_prefix=key_prefix,
                connection_pool=redis.connection_pool,  # type: ignore[arg-type]
            )
            self._redis = MovingWindowRateLimiter(shared)
            self._pipelined = _PipelinedAcquisitions(redis, shared)
        self._memory = MovingWindowRateLimiter(MemoryStorage())
        self._storage_down = redis is None
        self._next_probe = math.inf if redis is None else 0.0
        self._items: dict[str, RateLimitItem] = {}

    @property
    def using_fallback(self) -> bool:
        return self._storage_down

    def item(self, limit: str) -> RateLimitItem:
        """``"10/minute"`` parsed once."""
        parsed = self._items.get(limit)
        if parsed is None:
            parsed = self._items[limit] = parse(limit)
        return parsed

    async def hit(self, item: RateLimitItem, *identifiers: str) -> None:
        """Counts one request; raises :class:`RateLimitExceededError` when it does not fit."""
        limiter = self._memory
        if self._redis is not None and (
            not self._storage_down or time.monotonic() >= self._next_probe
        ):
            limiter = self._redis
        fits, limiter = await self._count(limiter, item, *identifiers)
        if not fits:
            raise RateLimitExceededError(item, await self._retry_after(limiter, item, *identifiers))

    async def _count(
        self, limiter: MovingWindowRateLimiter, item: RateLimitItem, *identifiers: str
    ) -> tuple[bool, MovingWindowRateLimiter]:
        if limiter is self._memory or self._pipelined is None:
            return await limiter.hit(item, *identifiers), limiter
        try:
            fits = await self._pipelined.hit(item, *identifiers)
        except Exception as exc:  # Redis unreachable or failing: count in memory
            if not self._storage_down:
                logger.warning(
                    "rate-limit storage (Redis) unreachable (%s): limits are counted in memory "
                    "per process until it is back",
                    exc.__class__.__name__,
                )
                self._storage_down = True
            self._next_probe = time.monotonic() + STORAGE_RETRY_SECONDS
            return await self._memory.hit(item, *identifiers), self._memory
        if self._storage_down:
            logger.info("rate-limit storage (Redis) reachable again")
            self._storage_down = False
        return fits, limiter

    @staticmethod
    async def _retry_after(
        limiter: MovingWindowRateLimiter, item: RateLimitItem, *identifiers: str
    ) -> int:
        """Seconds until the oldest request in the caller's window leaves it."""
        try:
            stats = await limiter.get_window_stats(item, *identifiers)
        except Exception:  # the count came from Redis, which failed since: one whole window
            return int(item.get_expiry())
        return max(1, math.ceil(stats.reset_time - time.time()))
