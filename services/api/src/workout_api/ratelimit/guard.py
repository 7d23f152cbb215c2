"""Applies the per-role limits to a request, through a slowapi ``Limiter`` owned by the app."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any, cast

import anyio
from fastapi import Depends, Request
from slowapi import Limiter
from slowapi.errors import RateLimitExceeded

from workout_api.ratelimit.identity import identity_key, role_of_key
from workout_api.ratelimit.policy import Category, limit_for
from workout_api.settings import Settings

logger = logging.getLogger(__name__)

KEY_PREFIX = "workout-api"
STORAGE_TIMEOUT_SECONDS = 0.5


class RateLimitGuard:
    """One per app. Checks run in a worker thread: slowapi's Redis storage is synchronous."""

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
            key_style="endpoint",
            headers_enabled=False,
            in_memory_fallback_enabled=True,
            swallow_errors=True,
            enabled=settings.ratelimit_enabled,
        )
        # slowapi also reads RATELIMIT_ENABLED itself, as a raw string ("false" is truthy);
        # the validated setting is the one that counts.
        self.limiter.enabled = settings.ratelimit_enabled
        self._markers: dict[Category, Callable[..., Any]] = {
            category: self._register(category) for category in Category
        }
        self._warned_fallback = False

    def _key(self, request: Request) -> str:
        return identity_key(request, self.settings.signing_key)

    def _register(self, category: Category) -> Callable[..., Any]:
        settings = self.settings

        def limit_provider(key: str) -> str:
            return limit_for(settings, category, role_of_key(key))

        def marker(request: Request) -> None:  # identifies the category to slowapi
            return None

        marker.__name__ = marker.__qualname__ = f"rate_limit_{category.value}"
        self.limiter.shared_limit(limit_provider, scope=category.value, key_func=self._key)(marker)
        return marker

    @property
    def using_fallback(self) -> bool:
        return bool(getattr(self.limiter, "_storage_dead", False))

    def check(self, request: Request, category: Category) -> None:
        """Count the request; raises ``RateLimitExceeded`` when over the caller's limit."""
        self.limiter._check_request_limit(request, self._markers[category], False)
        if self.using_fallback and not self._warned_fallback:
            logger.warning(
                "rate-limit storage (Redis) unreachable: limits are counted in memory per "
                "process until it is back"
            )
            self._warned_fallback = True
        elif not self.using_fallback and self._warned_fallback:
            logger.info("rate-limit storage (Redis) reachable again")
            self._warned_fallback = False

    def retry_after_seconds(self, request: Request) -> int:
        """Seconds until the window of the limit this request exceeded resets."""
        current = getattr(request.state, "view_rate_limit", None)
        if not current:
            return 60
        item, args = current
        try:
            reset_at = self.limiter.limiter.get_window_stats(item, *args).reset_time
        except Exception:  # storage gone between the hit and now: a whole window is safe
            return int(item.get_expiry())
        return max(1, math.ceil(reset_at - time.time()))


def rate_limit(category: Category) -> Callable[[Request], Awaitable[None]]:
    """A route dependency counting the request in ``category`` (runs before auth and body checks)."""

    async def check(request: Request) -> None:
        guard: RateLimitGuard = request.app.state.resources.rate_limits
        if guard.limiter.enabled:
            await anyio.to_thread.run_sync(guard.check, request, category)

    check.__name__ = f"rate_limit_{category.value}"
    return check


def RateLimit(category: Category) -> Any:  # noqa: N802  (reads like the dependency it is)
    return Depends(rate_limit(category))


__all__ = ["RateLimit", "RateLimitExceeded", "RateLimitGuard", "rate_limit"]
