"""Per-caller limits of the coach: each answer may cost API reads and model calls.

Signed-in callers count by account (the service identity, which the worker's warm-up uses,
has its own high limit); others by address (behind the trusted proxies of
``FORWARDED_ALLOW_IPS``). Counted in the coach's Redis database, in memory while Redis is
down. The ``/exercises`` proxy has the API's own anonymous read limit, so it cannot be used to
read more than the API would allow.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal

from fastapi import Depends, Request

from workout_coach.callers import Caller, current_caller
from workout_common.rate_limits import MovingWindowCounter

KEY_PREFIX = "workout-coach"
Kind = Literal["coaching", "exercises"]


def _limit(request: Request, kind: Kind, caller: Caller) -> str:
    settings = request.app.state.settings
    if caller.role == "service":
        limit: str = settings.coach_ratelimit_service
    elif kind == "coaching":
        limit = settings.coach_ratelimit
    else:
        limit = settings.coach_ratelimit_exercises
    return limit


def rate_limited(kind: Kind) -> Any:
    async def check(request: Request) -> None:
        counter: MovingWindowCounter = request.app.state.rate_limits
        caller = await current_caller(request)
        await counter.hit(counter.item(_limit(request, kind, caller)), kind, caller.key)

    check.__name__ = f"coach_rate_limit_{kind}"
    dependency: Callable[[Request], Awaitable[None]] = check
    return Depends(dependency)
