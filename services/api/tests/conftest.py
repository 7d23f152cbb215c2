"""Apps under test on real PostgreSQL (from a migrated template) and SQLite, with real Redis."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from workout_api import migrations
from workout_api.main import create_app
from workout_api.settings import Settings
from workout_testkit.servers import fresh_postgres_database

TEST_SECRET = "test-secret-key-for-the-workout-api-tests-0123456789"
FAST_BCRYPT_ROUNDS = 4

SettingsFactory = Callable[..., Settings]


@pytest.fixture(scope="session")
def postgres_template(postgres_server: str) -> Iterator[str]:
    """A migrated database that each test's PostgreSQL database is cloned from."""
    with fresh_postgres_database(postgres_server) as url:
        migrations.upgrade(url)
        yield url.rsplit("/", 1)[1]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    migrations.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def migrated_postgres_url(postgres_server: str, postgres_template: str) -> Iterator[str]:
    with fresh_postgres_database(postgres_server, template=postgres_template) as url:
        yield url


@pytest.fixture
def migrated_sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "workout_tracker.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=["postgresql", "sqlite"])
def database_url(request: pytest.FixtureRequest) -> str:
    """A migrated database: each test using it runs once on PostgreSQL and once on SQLite."""
    fixture = "migrated_postgres_url" if request.param == "postgresql" else "migrated_sqlite_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture
def make_settings(redis_url: str) -> SettingsFactory:
    def factory(database_url: str, **overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "environment": "test",
            "database_url": database_url,
            "redis_url": redis_url,
            "secret_key": TEST_SECRET,
            "bcrypt_rounds": FAST_BCRYPT_ROUNDS,
            "seed_dev_users": True,
            "auto_migrate": False,
        }
        values.update(overrides)
        return Settings(**values)

    return factory


@pytest.fixture
def settings(make_settings: SettingsFactory, database_url: str) -> Settings:
    return make_settings(database_url)


async def _client_for(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with LifespanManager(app, startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async for c in _client_for(app):
        yield c


async def login(client: httpx.AsyncClient, username: str, password: str) -> dict[str, str]:
    response = await client.post("/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


Login = Callable[[httpx.AsyncClient, str, str], Awaitable[dict[str, str]]]


@pytest.fixture(name="login")
def login_fixture() -> Login:
    """``await login(client, username, password)`` → Authorization headers."""
    return login


@pytest.fixture
def test_secret() -> str:
    return TEST_SECRET


@pytest.fixture
async def admin_headers(client: httpx.AsyncClient) -> dict[str, str]:
    return await login(client, "admin", "admin123")


@pytest.fixture
async def user_headers(client: httpx.AsyncClient) -> dict[str, str]:
    return await login(client, "user", "user123")


@pytest.fixture
def client_for() -> Callable[[FastAPI], Any]:
    """Start another app (other settings) inside a test: ``async with client_for(app) as c``."""
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def open_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
        async for c in _client_for(app):
            yield c

    return open_client


@pytest.fixture
def make_user(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> Any:
    """``await make_user("alice", role="user")`` → that new account's Authorization headers."""

    async def make(username: str, role: str = "user") -> dict[str, str]:
        password = f"{username}-password"
        response = await client.post(
            "/admin/users",
            json={"username": username, "password": password, "role": role},
            headers=admin_headers,
        )
        assert response.status_code == 201, response.text
        return await login(client, username, password)

    return make
