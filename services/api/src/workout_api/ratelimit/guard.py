"""Applies the per-role limits to a request, through a slowapi ``Limiter`` owned by the app."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any, cast

from fastapi import Depends, Request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter
from slowapi import Limiter
from slowapi.errors import RateLimitExceeded
from slowapi.wrappers import Limit

from workout_api.ratelimit.identity import identity_key, role_of_key
from workout_api.ratelimit.policy import Category, limit_for
from workout_api.settings import Settings

logger = logging.getLogger(__name__)

KEY_PREFIX = "workout-api"
STORAGE_TIMEOUT_SECONDS = 0.5
STORAGE_RETRY_SECONDS = 5.0


class RateLimitGuard:
    """One per app: the app's slowapi ``Limiter`` (Redis storage from ``REDIS_URL``, DB 2)
    applied per category and per caller, with in-memory counting while Redis is down.

    The check runs inline, as slowapi's own route decorator does: one sub-millisecond Redis
    round trip with short socket timeouts, cheaper than a thread hop per request. Parsed
    limits are cached, so a request costs one token decode and one counter increment.
    """

    def __init__(self, settings: Settings, storage_uri: str) -> None:
        self.settings = settings
        self.limiter = Limiter(
            key_func=self._key,
            storage_uri=storage_uri,
            storage_options=cast(
                dict[str, str],
                {
                    "socket_timeout": STORAGE_TIMEOUT_SECONDS,
                    "socket_connect_timeout": STORAGE_TIMEOUT_SECONDS,
                },
            ),
            strategy="fixed-window",
            key_prefix=KEY_PREFIX,
            headers_enabled=False,
            swallow_errors=True,
            enabled=settings.ratelimit_enabled,
        )
        # slowapi also reads RATELIMIT_ENABLED itself, as a raw string ("false" is truthy);
        # the validated setting is the one that counts.
        self.limiter.enabled = settings.ratelimit_enabled
        self._memory = FixedWindowRateLimiter(MemoryStorage())
        self._storage_down = False
        self._next_probe = 0.0
        self._items: dict[tuple[Category, str | None], RateLimitItem] = {}

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

    def _hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        if self._storage_down and time.monotonic() < self._next_probe:
            return self._memory.hit(item, *identifiers)
        try:
            allowed = self.limiter.limiter.hit(item, *identifiers)
        except Exception as exc:  # Redis unreachable or failing: count in memory
            if not self._storage_down:
                logger.warning(
                    "rate-limit storage (Redis) unreachable (%s): limits are counted in memory "
                    "per process until it is back",
                    exc.__class__.__name__,
                )
                self._storage_down = True
            self._next_probe = time.monotonic() + STORAGE_RETRY_SECONDS
            return self._memory.hit(item, *identifiers)
        if self._storage_down:
            logger.info("rate-limit storage (Redis) reachable again")
            self._storage_down = False
        return bool(allowed)

    def check(self, request: Request, category: Category) -> None:
        """Count the request; raises ``RateLimitExceeded`` when over the caller's limit."""
        key = self._key(request)
        item = self._item(category, role_of_key(key))
        identifiers = (KEY_PREFIX, key, category.value)
        if not self._hit(item, *identifiers):
            request.state.view_rate_limit = (item, identifiers)
            raise RateLimitExceeded(
                Limit(item, self._key, category.value, False, None, None, None, 1, False)
            )

    def retry_after_seconds(self, request: Request) -> int:
        """Seconds until the window of the limit this request exceeded resets."""
        current = getattr(request.state, "view_rate_limit", None)
        if not current:
            return 60
        item, identifiers = current
        strategy = self._memory if self._storage_down else self.limiter.limiter
        try:
            reset_at = strategy.get_window_stats(item, *identifiers).reset_time
        except Exception:  # storage gone between the hit and now: a whole window is safe
            return int(item.get_expiry())
        return max(1, math.ceil(reset_at - time.time()))


def rate_limit(category: Category) -> Callable[[Request], Awaitable[None]]:
    """A route dependency counting the request in ``category`` (runs before auth and body checks)."""

    async def check(request: Request) -> None:
        guard: RateLimitGuard = request.app.state.resources.rate_limits
        if guard.limiter.enabled:
            guard.check(request, category)

    check.__name__ = f"rate_limit_{category.value}"
    return check


def RateLimit(category: Category) -> Any:  # noqa: N802  (reads like the dependency it is)
    return Depends(rate_limit(category))


__all__ = ["RateLimit", "RateLimitExceeded", "RateLimitGuard", "rate_limit"]
