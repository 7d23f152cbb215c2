"""The rate limit's Redis counters: pipelined replies reach their own callers."""

from __future__ import annotations

import asyncio

import pytest
import redis

from workout_api.ratelimit.counters import CLIENT_NAME, CounterStoreError, RedisCounters
from workout_common.redis_support import free_port

EXPIRE_AT = 4_102_444_800  # 2100-01-01


async def test_concurrent_hits_each_get_their_own_count(redis_url: str) -> None:
    counters = RedisCounters(redis_url, timeout=2.0)
    try:
        keys = [f"workout-api/test/{i % 3}" for i in range(60)]
        counts = await asyncio.gather(*(counters.incr(key, EXPIRE_AT) for key in keys))
    finally:
        await counters.aclose()
    for name in {*keys}:
        mine = sorted(c for k, c in zip(keys, counts, strict=True) if k == name)
        assert mine == list(range(1, 21)), name
    stored = redis.Redis.from_url(redis_url)
    assert int(stored.get("workout-api/test/0") or 0) == 20
    assert stored.expiretime("workout-api/test/0") == EXPIRE_AT


async def test_a_closed_connection_is_opened_again(redis_url: str) -> None:
    counters = RedisCounters(redis_url, timeout=2.0)
    admin = redis.Redis.from_url(redis_url)
    db = redis_url.rsplit("/", 1)[1]
    try:
        assert await counters.incr("workout-api/test/again", EXPIRE_AT) == 1
        # the counters' connection on this test's own database, nothing else
        killed = [
            admin.client_kill_filter(_id=client["id"])
            for client in admin.client_list()
            if str(client["db"]) == db and client["name"] == CLIENT_NAME
        ]
        assert killed == [1]
        outcomes: list[int | None] = []
        for _ in range(3):
            try:
                outcomes.append(await counters.incr("workout-api/test/again", EXPIRE_AT))
            except CounterStoreError:  # the hit that finds the connection gone
                outcomes.append(None)
            await asyncio.sleep(0.05)
    finally:
        await counters.aclose()
    assert outcomes.count(None) <= 1
    assert outcomes[-1] is not None
    assert outcomes[-1] >= 3


async def test_an_unreachable_redis_is_an_error_of_its_own() -> None:
    counters = RedisCounters(f"redis://127.0.0.1:{free_port()}/2", timeout=0.5)
    with pytest.raises(CounterStoreError):
        await counters.incr("workout-api/test/nowhere", EXPIRE_AT)
    await counters.aclose()


async def test_a_redis_that_stops_answering_fails_every_waiting_hit() -> None:
    async def answer_setup_only(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while data := await reader.read(4096):
            if b"SETNAME" in data:  # the connection's set-up; hits are never answered
                writer.write(b"+OK\r\n")

    server = await asyncio.start_server(answer_setup_only, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    counters = RedisCounters(f"redis://127.0.0.1:{port}/0", timeout=0.2)
    try:
        hits = [asyncio.create_task(counters.incr(f"k{i}", EXPIRE_AT)) for i in range(3)]
        await asyncio.sleep(0.05)
        hits[-1].cancel()  # the last caller goes away: the others must still be told
        outcomes = await asyncio.wait_for(asyncio.gather(*hits, return_exceptions=True), 2)
    finally:
        await counters.aclose()
        server.close()
    assert [type(outcome) for outcome in outcomes] == [
        CounterStoreError,
        CounterStoreError,
        asyncio.CancelledError,
    ]
    assert str(outcomes[0]) == "timed out"
