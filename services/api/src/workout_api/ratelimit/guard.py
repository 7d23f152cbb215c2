"""Applies the per-role limits to a request: moving windows in Redis (DB 2), in memory while
Redis is down (``workout_common.rate_limits``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import redis.asyncio as aioredis
from fastapi import Depends, Request

from workout_api.ratelimit.identity import identity_key, role_of_key
from workout_api.ratelimit.policy import Category, limit_for
from workout_api.settings import Settings
from workout_common.rate_limits import MovingWindowCounter, RateLimitExceededError

KEY_PREFIX = "workout-api"


class RateLimitGuard:
    """One per app: per-category, per-caller limits from the §7.1 table, plus sign-in attempts
    per account. The caller's role comes from the token, without a database look-up."""

    def __init__(self, settings: Settings, redis: aioredis.Redis) -> None:
        self.settings = settings
        self.enabled = settings.ratelimit_enabled
        self._counter = MovingWindowCounter(redis, key_prefix=KEY_PREFIX)

    @property
    def using_fallback(self) -> bool:
        return self._counter.using_fallback

    async def check(self, request: Request, category: Category) -> None:
        """Count the request; raises ``RateLimitExceededError`` when over the caller's limit."""
        key = identity_key(request, self.settings.signing_key)
        limit = limit_for(self.settings, category, role_of_key(key))
        await self._counter.hit(self._counter.item(limit), category.value, key)

    async def check_login_account(self, username: str) -> None:
        """Count a sign-in attempt against the account, whichever address it comes from.

        Beside the per-address limit: many addresses (or one proxy for everyone) cannot try
        more than ``RATELIMIT_LOGIN_ACCOUNT`` passwords a window on one account.
        """
        item = self._counter.item(self.settings.ratelimit_login_account)
        await self._counter.hit(item, "login-account", username.lower())


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
