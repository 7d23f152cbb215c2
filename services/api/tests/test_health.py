"""GET /health: the contract body, 503 when the database is down, Redis state beside it."""

from __future__ import annotations

import asyncio
import re
import socket
from typing import Any

import httpx
import psycopg

from workout_api.main import create_app
from workout_common.redis_support import free_port

Headers = dict[str, str]


async def test_healthy_body_matches_the_contract(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    await client.post(
        "/exercises", json={"name": "Squat", "sets": 1, "reps": 1}, headers=user_headers
    )
    response = await client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "healthy"
    assert body["version"] == "0.1.0"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["timestamp"])
    assert body["database"] == {"status": "connected", "message": "Connected", "exercise_count": 1}
    assert body["redis"] == {"status": "connected", "rate_limit_storage": "redis"}


async def test_database_down_is_503_unhealthy_and_reads_are_503(
    make_settings: Any, client_for: Any
) -> None:
    dead = f"postgresql://postgres@127.0.0.1:{free_port()}/workout_tracker"
    async with client_for(create_app(make_settings(dead))) as client:
        health = await client.get("/health")
        listing = await client.get("/exercises")
        conditional = await client.get("/exercises", headers={"If-None-Match": 'W/"old"'})
        login = await client.post("/auth/login", json={"username": "admin", "password": "admin123"})
        metrics = (await client.get("/metrics")).text
    assert health.status_code == 503
    body = health.json()
    assert body["status"] == "unhealthy"
    assert body["database"]["status"] == "disconnected"
    assert body["database"]["exercise_count"] is None
    assert body["database"]["message"].startswith("Database unavailable")
    assert listing.status_code == 503
    assert listing.json() == {"detail": "Database unavailable, try again shortly"}
    assert (conditional.status_code, conditional.json()) == (503, listing.json())
    assert login.status_code == 503
    assert 'workout_dependency_up{dependency="database",service="api"} 0.0' in metrics


async def test_sqlite_default_location_is_created(
    make_settings: Any, client_for: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = make_settings("sqlite:///data/workout_tracker.db", auto_migrate=True)
    async with client_for(create_app(settings)) as client:
        health = await client.get("/health")
    assert health.status_code == 200
    assert (tmp_path / "data" / "workout_tracker.db").exists()


async def test_a_dropped_database_connection_costs_one_503_then_reads_recover(
    make_settings: Any, client_for: Any, migrated_postgres_url: str
) -> None:
    async with client_for(create_app(make_settings(migrated_postgres_url))) as client:
        # Concurrent reads leave several idle connections in the pools.
        warm = await asyncio.gather(*(client.get("/exercises") for _ in range(4)))
        assert [response.status_code for response in warm] == [200] * 4
        # A server restart or an idle-timeout kill: every pooled connection is cut.
        with psycopg.connect(migrated_postgres_url, autocommit=True) as admin:
            cut = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
        assert len(cut) >= 3
        answers = [(await client.get(path)).status_code for path in ("/exercises",) * 5]
        by_id = await client.get("/exercises/1")
    assert answers == [503, 200, 200, 200, 200]
    assert by_id.status_code == 404


async def test_a_stalled_database_is_reported_within_the_check_timeout(
    make_settings: Any, client_for: Any
) -> None:
    # A server that accepts connections and never says a word: the check must give up by
    # itself (2 s), below the probes' timeout, and say so.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    try:
        stalled = f"postgresql://postgres@127.0.0.1:{silent.getsockname()[1]}/workout_tracker"
        async with client_for(create_app(make_settings(stalled))) as client:
            health = await client.get("/health")
    finally:
        silent.close()
    assert health.status_code == 503
    assert health.json()["database"]["message"] == "Database did not answer within 2 s"
