"""Applies the per-role limits to a request: moving windows kept by ``limits`` in Redis (DB 2),
in this process's memory while Redis is down.

Moving windows count the requests of the last window length, whenever they came: a burst at
the end of one minute and the start of the next counts as one burst, and a caller is never
let through twice its limit around a boundary, as fixed windows allow.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

import redis.asyncio as aioredis
from fastapi import Depends, Request
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter

from workout_api.ratelimit.identity import identity_key, role_of_key
from workout_api.ratelimit.policy import Category, limit_for
from workout_api.settings import Settings

logger = logging.getLogger(__name__)

KEY_PREFIX = "workout-api"
STORAGE_RETRY_SECONDS = 5.0


class RateLimitExceededError(Exception):
    """The caller is over ``limit``; ``retry_after`` seconds until one more request fits."""

    def __init__(self, limit: RateLimitItem, retry_after: int) -> None:
        super().__init__(str(limit))
        self.limit = limit
        self.retry_after = retry_after


class RateLimitGuard:
    """One per app: per-category, per-caller moving windows.

    Redis is the API's own client (one connection pool, one URL parser); a request costs one
    script call there. While Redis is unreachable the same limits are counted per process in
    memory (logged once), and Redis is tried again every few seconds.
    """

    def __init__(self, settings: Settings, redis: aioredis.Redis) -> None:
        self.settings = settings
        self.enabled = settings.ratelimit_enabled
        shared = RedisStorage(
            "async+redis://",
            implementation="redispy",
            key_prefix=KEY_PREFIX,
            connection_pool=redis.connection_pool,  # type: ignore[arg-type]
        )
        self._redis = MovingWindowRateLimiter(shared)
        self._memory = MovingWindowRateLimiter(MemoryStorage())
        self._storage_down = False
        self._next_probe = 0.0
        self._items: dict[tuple[Category, str | None], RateLimitItem] = {}
        self._login_item: RateLimitItem | None = None

    def _item(self, category: Category, role: str | None) -> RateLimitItem:
        item = self._items.get((category, role))
        if item is None:
            item = parse(limit_for(self.settings, category, role))
            self._items[(category, role)] = item
        return item

    @property
    def using_fallback(self) -> bool:
        return self._storage_down

    def _limiter(self) -> MovingWindowRateLimiter:
        if self._storage_down and time.monotonic() < self._next_probe:
            return self._memory
        return self._redis

    async def check(self, request: Request, category: Category) -> None:
        """Count the request; raises ``RateLimitExceededError`` when over the caller's limit."""
        key = identity_key(request, self.settings.signing_key)
        await self._check(self._item(category, role_of_key(key)), category.value, key)

    async def check_login_account(self, username: str) -> None:
        """Count a sign-in attempt against the account, whichever address it comes from.

        Beside the per-address limit: many addresses (or one proxy for everyone) cannot try
        more than ``RATELIMIT_LOGIN_ACCOUNT`` passwords a window on one account.
        """
        if self._login_item is None:
            self._login_item = parse(self.settings.ratelimit_login_account)
        await self._check(self._login_item, "login-account", username.lower())

    async def _check(self, item: RateLimitItem, *identifiers: str) -> None:
        limiter = self._limiter()
        fits, limiter = await self._count(limiter, item, *identifiers)
        if not fits:
            raise RateLimitExceededError(item, await self._retry_after(limiter, item, *identifiers))

    async def _count(
        self, limiter: MovingWindowRateLimiter, item: RateLimitItem, *identifiers: str
    ) -> tuple[bool, MovingWindowRateLimiter]:
        if limiter is self._memory:
            return await limiter.hit(item, *identifiers), limiter
        try:
            fits = await limiter.hit(item, *identifiers)
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


def rate_limit(category: Category) -> Callable[[Request], Awaitable[None]]:
    """A route dependency counting the request in ``category`` (runs before auth and body checks)."""

    async def check(request: Request) -> None:
        guard: RateLimitGuard = request.app.state.resources.rate_limits
        if guard.enabled:
            await guard.check(request, category)

    check.__name__ = f"rate_limit_{category.value}"
    return check


def RateLimit(category: Category) -> Any:  # noqa: N802  (reads like the dependency it is)
    return Depends(rate_limit(category))


__all__ = ["RateLimit", "RateLimitExceededError", "RateLimitGuard", "rate_limit"]
