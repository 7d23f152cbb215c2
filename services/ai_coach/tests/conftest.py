"""Fixtures: the live Workout API app on real PostgreSQL/Redis, and the coach in front of it.

Model requests are refused everywhere (``ALLOW_MODEL_REQUESTS = False``); the tests of the
Claude path opt in around calls to the local Anthropic-speaking server only.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pydantic import SecretStr
from pydantic_ai import models
from starlette.types import ASGIApp, Receive, Scope, Send

from workout_api.main import create_app as create_api_app
from workout_api.settings import Settings as ApiSettings
from workout_coach.main import create_app
from workout_coach.settings import CoachSettings
from workout_common.redis_support import free_port
from workout_testkit.fake_anthropic import FakeAnthropic, fake_anthropic_server, serve_app
from workout_testkit.servers import leased_redis_db
from workout_testkit.training_logs import (
    TwoLifters,
    log_deadlifter,
    log_squatter,
    sign_in,
)

API_TEST_SECRET = "coach-tests-secret-key-for-the-workout-api-0123456789"
ADMIN = {"username": "admin", "password": "admin123"}


@pytest.fixture(autouse=True)
def _no_model_requests() -> Iterator[None]:
    previous = models.ALLOW_MODEL_REQUESTS
    models.ALLOW_MODEL_REQUESTS = False
    yield
    models.ALLOW_MODEL_REQUESTS = previous


@dataclass
class SeenRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]


class RequestRecorder:
    """ASGI wrapper noting every HTTP request the Workout API receives."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.seen: list[SeenRequest] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.seen.append(
                SeenRequest(
                    scope["method"],
                    scope["path"],
                    scope.get("query_string", b"").decode(),
                    {k.decode().lower(): v.decode() for k, v in scope["headers"]},
                )
            )
        await self.app(scope, receive, send)

    def exercise_reads(self) -> list[SeenRequest]:
        return [r for r in self.seen if r.method == "GET" and r.path == "/exercises"]


@dataclass
class LiveApi:
    url: str
    recorder: RequestRecorder
    _token: str | None = field(default=None, repr=False)

    async def admin_headers(self, client: httpx.AsyncClient) -> dict[str, str]:
        if self._token is None:
            response = await client.post(f"{self.url}/auth/login", json=ADMIN)
            response.raise_for_status()
            self._token = response.json()["access_token"]
        return {"Authorization": f"Bearer {self._token}"}

    async def seed(self, exercises: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Create exercises through the API's own endpoint, as the admin."""
        created = []
        async with httpx.AsyncClient(timeout=30) as client:
            headers = await self.admin_headers(client)
            for exercise in exercises:
                response = await client.post(
                    f"{self.url}/exercises", json=exercise, headers=headers
                )
                assert response.status_code == 201, response.text
                created.append(response.json())
        return created


@contextlib.asynccontextmanager
async def live_api(postgres_url: str, redis_url: str, **overrides: Any) -> AsyncIterator[LiveApi]:
    settings = ApiSettings(
        environment="test",
        database_url=postgres_url,
        redis_url=redis_url,
        secret_key=API_TEST_SECRET,
        bcrypt_rounds=4,
        seed_dev_users=True,
        auto_migrate=True,
        **overrides,
    )
    recorder = RequestRecorder(create_api_app(settings))
    async with serve_app(recorder) as url:
        yield LiveApi(url, recorder)


ApiFactory = Callable[..., contextlib.AbstractAsyncContextManager[LiveApi]]


@pytest.fixture
def make_api(postgres_url: str, redis_url: str) -> ApiFactory:
    """Start the real Workout API app (settings overridable) on this test's databases."""

    def factory(**overrides: Any) -> contextlib.AbstractAsyncContextManager[LiveApi]:
        return live_api(postgres_url, redis_url, **overrides)

    return factory


@pytest.fixture
async def workout_api(make_api: ApiFactory) -> AsyncIterator[LiveApi]:
    """The real Workout API app, served on a free port, on a fresh PostgreSQL database."""
    async with make_api() as api:
        yield api


@pytest.fixture
def coach_redis_url(redis_server: str) -> Iterator[str]:
    """A Redis database of the coach's own (DB 0 in production)."""
    with leased_redis_db(redis_server) as url:
        yield url


@pytest.fixture
def unreachable_url() -> str:
    return f"http://127.0.0.1:{free_port()}"


CoachFactory = Callable[..., contextlib.AbstractAsyncContextManager[httpx.AsyncClient]]


def coach_settings(**values: Any) -> CoachSettings:
    base: dict[str, Any] = {
        "ai_model": "offline",
        "anthropic_api_key": None,
        "anthropic_base_url": None,
        "ai_max_retries": 0,
    }
    return CoachSettings.model_validate({**base, **values})


@contextlib.asynccontextmanager
async def running_coach(
    settings: CoachSettings, clock: Callable[[], datetime] | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, clock=clock) if clock else create_app(settings)
    async with (
        LifespanManager(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://coach", timeout=30
        ) as client,
    ):
        yield client


@pytest.fixture
def make_coach(coach_redis_url: str, unreachable_url: str) -> CoachFactory:
    """Start a coach; by default on the offline coach, its own Redis DB and no Workout API."""

    def factory(
        clock: Callable[[], datetime] | None = None, **values: Any
    ) -> contextlib.AbstractAsyncContextManager[httpx.AsyncClient]:
        defaults = {"workout_api_url": unreachable_url, "redis_url": coach_redis_url}
        return running_coach(coach_settings(**{**defaults, **values}), clock)

    return factory


# --- the Claude path: a local server speaking the Anthropic Messages API -------------------

CLAUDE = "anthropic:claude-3-5-haiku-latest"


@pytest.fixture
async def claude() -> AsyncIterator[FakeAnthropic]:
    async with fake_anthropic_server() as fake:
        with models.override_allow_model_requests(True):
            yield fake


@pytest.fixture
def claude_coach(make_coach: Any, claude: FakeAnthropic) -> Any:
    def factory(**values: Any) -> contextlib.AbstractAsyncContextManager[Any]:
        settings: dict[str, Any] = {
            "ai_model": CLAUDE,
            "anthropic_api_key": SecretStr("sk-ant-test"),
            "anthropic_base_url": claude.base_url,
            **values,
        }
        return make_coach(**settings)

    return factory


# --- signed-in lifters' own training logs --------------------------------------------------


@pytest.fixture
async def two_lifters(workout_api: LiveApi) -> TwoLifters:
    """The seeded "user" (a squatter) and "admin" (a deadlifter), each with their own log."""
    squatter = await sign_in(workout_api.url, "user", "user123")
    deadlifter = await sign_in(workout_api.url, "admin", "admin123")
    await log_squatter(squatter)
    await log_deadlifter(deadlifter)
    return TwoLifters(workout_api.url, squatter, deadlifter)
