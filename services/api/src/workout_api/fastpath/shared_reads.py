"""One read serving every caller that asked while it was queued: fresh, yet shared.

Concurrent conditional GETs all need the same small fact (the data version). Instead of
one query each, callers wait for the next read, which starts once the read in flight (if
any) is over; everyone who asked before it started shares its result. A caller therefore
never sees a value read before it asked: a write that was answered before a request
arrived is always visible to that request, as it would be with a query of its own.
Under load one query serves a whole batch; a lone caller still gets its own at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def _consume_error(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()  # every waiter may have gone: keep asyncio from logging it


class SharedFreshRead(Generic[T]):
    """``await shared()`` runs ``read`` at most once at a time, batching the callers."""

    def __init__(self, read: Callable[[], Awaitable[T]]) -> None:
        self._read = read
        self._queued: asyncio.Future[T] | None = None  # the callers of the next read
        self._running: asyncio.Task[None] | None = None

    async def __call__(self) -> T:
        queued = self._queued
        if queued is None:
            queued = self._queued = asyncio.get_running_loop().create_future()
            queued.add_done_callback(_consume_error)
            if self._running is None:
                self._start()
        # A caller that goes away (a dropped request) leaves the read to the others.
        return await asyncio.shield(queued)

    def _start(self) -> None:
        batch, self._queued = self._queued, None
        assert batch is not None
        self._running = asyncio.get_running_loop().create_task(self._run(batch))

    async def _run(self, batch: asyncio.Future[T]) -> None:
        try:
            value = await self._read()
        except BaseException as error:  # every waiter of this batch gets the error
            if not batch.done():
                if isinstance(error, asyncio.CancelledError):
                    batch.cancel()
                else:
                    batch.set_exception(error)
            if not isinstance(error, Exception):
                raise
        else:
            if not batch.done():
                batch.set_result(value)
        finally:
            self._running = None
            if self._queued is not None:
                self._start()
