"""CPU per rate-limit count against a real Redis, 16 callers at once.

Compares the API's counter (``MovingWindowCounter``: ``limits``' moving-window script, a loop
turn's counts in one redis-py pipeline) with ``limits``' own limiter (one script call per
count) and with a bare redis-py PING, the floor of one command. Figures are for
docs/benchmarks.md, "Workout API"; run with the workspace's Python:

    .venv/bin/python tests/bench/rate_limit_counts.py [REDIS_URL]
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable

import redis.asyncio as aioredis
from limits import parse
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter

from workout_common.rate_limits import MovingWindowCounter

COUNTS = 20_000
CALLERS = 16
LIMIT = parse("1000000/minute")


async def measure(name: str, count: Callable[[int], Awaitable[object]]) -> None:
    async def caller(index: int) -> None:
        for _ in range(COUNTS // CALLERS):
            await count(index)

    await count(0)
    wall, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(caller(index) for index in range(CALLERS)))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{name:48s} {COUNTS / wall:8.0f} counts/s {cpu / COUNTS * 1e6:6.1f} us CPU each")


async def main(url: str) -> None:
    redis = aioredis.Redis.from_url(url)
    counter = MovingWindowCounter(redis, key_prefix="bench-counter")
    storage = RedisStorage(
        "async+redis://",
        implementation="redispy",
        key_prefix="bench-limits",
        connection_pool=redis.connection_pool,
    )
    limiter = MovingWindowRateLimiter(storage)
    try:
        await measure(
            "API counter (pipelined limits scripts)", lambda i: counter.hit(LIMIT, f"{i}")
        )
        await measure(
            "limits' limiter, one script call per count", lambda i: limiter.hit(LIMIT, f"{i}")
        )
        await measure("redis-py PING", lambda _: redis.ping())
    finally:
        for pattern in ("bench-counter*", "bench-limits*"):
            async for key in redis.scan_iter(pattern):
                await redis.delete(key)
        await redis.aclose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "redis://127.0.0.1:6379/15"))
