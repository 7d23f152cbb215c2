"""KeptConnections: read connections lent without a pool checkout, discarded after errors."""

from __future__ import annotations

import contextlib

import pytest

from workout_api.database import create_engine_for, create_read_engine_for
from workout_api.fastpath.driver_reads import DriverConnection, KeptConnections


async def _backend_pid(kept: DriverConnection) -> int:
    cursor = await kept.driver.execute("SELECT pg_backend_pid()")
    row = await cursor.fetchone()
    await cursor.close()
    return int(row[0])


async def test_a_connection_is_lent_again_and_dropped_after_an_error(
    migrated_postgres_url: str,
) -> None:
    engine = create_read_engine_for(migrated_postgres_url)
    connections = KeptConnections(engine, keep=4, recycle=60)
    try:
        async with connections.connection() as kept:
            first = await _backend_pid(kept)
        async with connections.connection() as kept:
            assert await _backend_pid(kept) == first  # kept, not checked out anew
        with pytest.raises(RuntimeError):
            async with connections.connection() as kept:
                raise RuntimeError("request failed half-way")
        async with connections.connection() as kept:
            assert await _backend_pid(kept) != first  # a connection in an unknown state is gone
    finally:
        await connections.aclose()
        await engine.dispose()


async def test_old_connections_go_back_to_the_engine(migrated_postgres_url: str) -> None:
    engine = create_read_engine_for(migrated_postgres_url)
    connections = KeptConnections(engine, keep=4, recycle=0)
    try:
        async with connections.connection():
            assert engine.pool.checkedout() == 1  # type: ignore[attr-defined]
        assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    finally:
        await connections.aclose()
        await engine.dispose()


async def test_idle_connections_beyond_the_engine_pool_size_go_back(
    migrated_postgres_url: str,
) -> None:
    engine = create_engine_for(
        migrated_postgres_url, isolation_level="AUTOCOMMIT", pool_size=2, max_overflow=4
    )
    connections = KeptConnections(engine, recycle=60)
    try:
        async with contextlib.AsyncExitStack() as stack:
            for _ in range(4):  # four concurrent reads
                await stack.enter_async_context(connections.connection())
            assert engine.pool.checkedout() == 4  # type: ignore[attr-defined]
        assert engine.pool.checkedout() == 2  # type: ignore[attr-defined]
    finally:
        await connections.aclose()
        await engine.dispose()
