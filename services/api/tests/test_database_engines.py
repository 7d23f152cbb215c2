"""The API's engines: sessions read times in UTC whatever the server's default zone."""

from __future__ import annotations

from datetime import UTC

import psycopg
from sqlalchemy import text

from workout_api.database import create_engine_for, create_read_engine_for


async def test_sessions_are_in_utc_on_a_server_set_to_another_zone(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        name = admin.info.dbname
        admin.execute(f"ALTER DATABASE \"{name}\" SET TimeZone = 'Asia/Tokyo'")
    for engine in (create_engine_for(postgres_url), create_read_engine_for(postgres_url)):
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
                await connection.rollback()  # the zone outlives a rolled-back transaction
                zone = (await connection.execute(text("SHOW TimeZone"))).scalar_one()
                day = await connection.execute(
                    text("SELECT date_trunc('day', TIMESTAMPTZ '2025-01-01 23:30+00')")
                )
                midnight = day.scalar_one()
        finally:
            await engine.dispose()
        assert zone == "UTC"
        assert midnight.isoformat() == "2025-01-01T00:00:00+00:00"
        assert midnight.tzinfo is UTC  # the driver's cheap zone, not a named one
