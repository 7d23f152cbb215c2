"""The coach's and worker's way in (delta 9): ServiceTokenAuth against the real API."""

from __future__ import annotations

from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from workout_api.exercises.models import Exercise
from workout_api.main import create_app
from workout_api.users.repository import UserRepository
from workout_common.service_identity import ServiceCredentials, ServiceTokenAuth
from workout_common.workout_api_client import WorkoutApiClient


async def _seed(app: Any, count: int) -> None:
    async with app.state.resources.session_factory() as session:
        session.add_all(
            Exercise(name=f"Exercise {i}", sets=3, reps=10, weight=float(i % 7) or None)
            for i in range(count)
        )
        await session.commit()


async def test_service_signs_in_and_pages_through_every_exercise(
    make_settings: Any, database_url: str
) -> None:
    settings = make_settings(
        database_url, ratelimit_read_anonymous="1/minute", ratelimit_auth_anonymous="3/minute"
    )
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        await _seed(app, 450)
        credentials = ServiceCredentials(
            settings.service_account_username, settings.service_account_password
        )
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app),
            base_url="http://testserver",
            auth=ServiceTokenAuth(credentials),
        ) as http:
            api = WorkoutApiClient(http)
            exercises = await api.all_exercises()
            me = await http.get("/auth/me")
            write = await http.post("/exercises", json={"name": "x", "sets": 1, "reps": 1})
    assert len(exercises) == 450
    assert len({e["id"] for e in exercises}) == 450
    assert me.json()["role"] == "service"
    assert write.status_code == 403


async def test_service_account_is_realigned_with_the_configuration(
    make_settings: Any, migrated_sqlite_url: str, client_for: Any
) -> None:
    first = make_settings(migrated_sqlite_url, service_account_password="first-password")
    async with client_for(create_app(first)) as client:
        assert (
            await client.post(
                "/auth/login", json={"username": "workout-service", "password": "first-password"}
            )
        ).status_code == 200
    second = make_settings(
        migrated_sqlite_url,
        service_account_password="second-password",
        service_account_username="workout-service",
    )
    app = create_app(second)
    async with client_for(app) as client:
        old = await client.post(
            "/auth/login", json={"username": "workout-service", "password": "first-password"}
        )
        new = await client.post(
            "/auth/login", json={"username": "workout-service", "password": "second-password"}
        )
        async with app.state.resources.session_factory() as session:
            account = await UserRepository(session).by_username(username="workout-service")
    assert (old.status_code, new.status_code) == (401, 200)
    assert account is not None
    assert account.role == "service"
