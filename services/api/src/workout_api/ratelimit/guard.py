"""Applies the per-role limits to a request: fixed windows counted in Redis (DB 2), in memory
while Redis is down."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Request
from limits import RateLimitItem, parse
from slowapi.errors import RateLimitExceeded
from slowapi.wrappers import Limit

from workout_api.ratelimit.counters import RedisCounters
from workout_api.ratelimit.identity import identity_key, role_of_key
from workout_api.ratelimit.policy import Category, limit_for
from workout_api.settings import Settings

logger = logging.getLogger(__name__)

KEY_PREFIX = "workout-api"
STORAGE_TIMEOUT_SECONDS = 0.5
STORAGE_RETRY_SECONDS = 5.0


@dataclass(frozen=True)
class Window:
    """The fixed window a hit falls in: its counter key and when it resets (epoch seconds)."""

    key: str
    resets_at: int


def window_of(item: RateLimitItem, identity: str, category: Category, now: float) -> Window:
    """Windows are aligned on the epoch, so every process and replica counts in the same one."""
    length = int(item.get_expiry())
    start = int(now) // length * length
    key = f"{KEY_PREFIX}/{category.value}/{identity}/{item.amount}/{length}/{start}"
    return Window(key=key, resets_at=start + length)


class MemoryCounters:
    """Fixed-window counters of this process, used while Redis is unreachable."""

    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, int]] = {}

    def incr(self, window: Window, now: float) -> int:
        if len(self._counts) > 10_000:  # drop the windows that are over
            self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
        count, _ = self._counts.get(window.key, (0, window.resets_at))
        self._counts[window.key] = (count + 1, window.resets_at)
        return count + 1


class RateLimitGuard:
    """One per app: per-category, per-caller fixed windows in Redis (``REDIS_URL``, DB 2),
    counted in memory while Redis is down.

    A request costs one ``INCR`` + ``EXPIREAT`` pair pipelined with those of concurrent
    requests (:class:`RedisCounters`), so the event loop keeps serving while Redis answers;
    parsed limits are cached.
    """

    def __init__(self, settings: Settings, storage_uri: str) -> None:
        self.settings = settings
        self.enabled = settings.ratelimit_enabled
        self._redis = RedisCounters(storage_uri, timeout=STORAGE_TIMEOUT_SECONDS)
        self._memory = MemoryCounters()
        self._storage_down = False
        self._next_probe = 0.0
        self._items: dict[tuple[Category, str | None], RateLimitItem] = {}

    async def aclose(self) -> None:
        await self._redis.aclose()

    def _key(self, request: Request) -> str:
        return identity_key(request, self.settings.signing_key)

    def _item(self, category: Category, role: str | None) -> RateLimitItem:
        item = self._items.get((category, role))
        if item is None:
            item = parse(limit_for(self.settings, category, role))
            self._items[(category, role)] = item
        return item

    @property
    def using_fallback(self) -> bool:
        return self._storage_down

    async def _count(self, window: Window, now: float) -> int:
        if self._storage_down and time.monotonic() < self._next_probe:
            return self._memory.incr(window, now)
        try:
            count = await self._redis.incr(window.key, window.resets_at + 1)
        except Exception as exc:  # Redis unreachable or failing: count in memory
            if not self._storage_down:
                logger.warning(
                    "rate-limit storage (Redis) unreachable (%s): limits are counted in memory "
                    "per process until it is back",
                    exc.__class__.__name__,
                )
                self._storage_down = True
            self._next_probe = time.monotonic() + STORAGE_RETRY_SECONDS
            return self._memory.incr(window, now)
        if self._storage_down:
            logger.info("rate-limit storage (Redis) reachable again")
            self._storage_down = False
        return count

    async def check(self, request: Request, category: Category) -> None:
        """Count the request; raises ``RateLimitExceeded`` when over the caller's limit."""
        key = self._key(request)
        item = self._item(category, role_of_key(key))
        now = time.time()
        window = window_of(item, key, category, now)
        if await self._count(window, now) > item.amount:
            request.state.rate_limit_resets_at = window.resets_at
            raise RateLimitExceeded(
                Limit(item, self._key, category.value, False, None, None, None, 1, False)
            )

    def retry_after_seconds(self, request: Request) -> int:
        """Seconds until the window of the limit this request exceeded resets."""
        resets_at: int | None = getattr(request.state, "rate_limit_resets_at", None)
        if resets_at is None:
            return 60
        return max(1, math.ceil(resets_at - time.time()))


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


__all__ = ["RateLimit", "RateLimitExceeded", "RateLimitGuard", "rate_limit"]
