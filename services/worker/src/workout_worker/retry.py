"""Exponential-backoff retries for the worker's calls to Redis and the other services."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int
    base_delay: float

    def delay_before(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (1-based): base, 2x base, 4x base ..."""
        return self.base_delay * 2.0 ** (retry - 1)


async def with_retries(
    operation: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    retry_on: tuple[type[BaseException], ...],
    what: str,
) -> T:
    """Run ``operation``; on ``retry_on`` errors wait and try again, up to ``policy.max_retries`` times."""
    retry = 0
    while True:
        try:
            return await operation()
        except retry_on as exc:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                # A client library turned our cancellation into its own error: stop, not retry.
                raise asyncio.CancelledError from exc
            retry += 1
            if retry > policy.max_retries:
                raise
            delay = policy.delay_before(retry)
            logger.warning(
                "%s failed (%s); retry %d/%d in %.2fs",
                what,
                exc,
                retry,
                policy.max_retries,
                delay,
            )
            await asyncio.sleep(delay)
