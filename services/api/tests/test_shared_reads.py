"""SharedFreshRead: callers share reads, but never one that started before they asked."""

from __future__ import annotations

import asyncio

import pytest

from workout_api.fastpath.shared_reads import SharedFreshRead


async def reads_started(source: Source, count: int) -> None:
    while source.reads < count:
        source.started.clear()
        await source.started.wait()


class Source:
    """A value that writes change; each read reports the value when it started."""

    def __init__(self) -> None:
        self.value = 0
        self.reads = 0
        self.release = asyncio.Event()
        self.started = asyncio.Event()
        self.failing = False

    async def read(self) -> int:
        self.reads += 1
        self.started.set()
        seen = self.value
        await self.release.wait()
        if self.failing:
            raise ConnectionError("database went away")
        return seen


async def test_a_lone_caller_gets_its_own_read_at_once() -> None:
    source = Source()
    source.release.set()
    shared = SharedFreshRead(source.read)
    assert await shared() == 0
    source.value = 1
    assert await shared() == 1
    assert source.reads == 2


async def test_callers_during_a_read_share_the_next_one_and_see_the_write() -> None:
    source = Source()
    shared = SharedFreshRead(source.read)
    first = asyncio.create_task(shared())
    await reads_started(source, 1)  # the first read is running with the old value
    source.value = 1  # a write lands while that read is in flight
    later = [asyncio.create_task(shared()) for _ in range(10)]
    for _ in range(5):
        await asyncio.sleep(0)
    assert source.reads == 1  # the others wait for the read in flight to end
    source.release.set()
    assert await first == 0
    assert await asyncio.gather(*later) == [1] * 10  # never the read that started before them
    assert source.reads == 2  # ten callers, one read


async def test_an_error_reaches_every_waiter_of_its_read_and_the_next_read_works() -> None:
    source = Source()
    shared = SharedFreshRead(source.read)
    source.failing = True
    waiters = [asyncio.create_task(shared()) for _ in range(3)]
    source.release.set()
    results = await asyncio.gather(*waiters, return_exceptions=True)
    assert [type(result) for result in results] == [ConnectionError] * 3
    source.failing = False
    assert await shared() == 0


async def test_a_caller_that_goes_away_leaves_the_read_to_the_others() -> None:
    source = Source()
    shared = SharedFreshRead(source.read)
    leaving = asyncio.create_task(shared())
    staying = asyncio.create_task(shared())
    await reads_started(source, 1)
    leaving.cancel()
    source.release.set()
    assert await staying == 0
    with pytest.raises(asyncio.CancelledError):
        await leaving
