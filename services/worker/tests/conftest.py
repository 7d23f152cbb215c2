"""Fixtures for the worker's tests: two leased Redis DBs, live HTTP servers on free ports."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from workout_common.redis_support import free_port
from workout_common.urls import redis_db_of, redis_url_with_db
from workout_testkit.asgi_server import serve_asgi
from workout_testkit.servers import leased_redis_db
from workout_worker.settings import Settings


def dead_url() -> str:
    """An http URL nothing listens on."""
    return f"http://127.0.0.1:{free_port()}"


@dataclass(frozen=True)
class WorkerRedis:
    server_url: str
    queue_db: int
    cache_db: int

    def url(self, db: int) -> str:
        return redis_url_with_db(self.server_url, db)

    def client(self, db: int) -> redis.Redis:
        return redis.Redis.from_url(self.url(db), decode_responses=True)

    @property
    def cache(self) -> redis.Redis:
        return self.client(self.cache_db)

    @property
    def queue(self) -> redis.Redis:
        return self.client(self.queue_db)


@pytest.fixture
def worker_redis(redis_server: str) -> Iterator[WorkerRedis]:
    """Two leased databases: one for the Arq queue, one for the cache and idempotency keys."""
    with leased_redis_db(redis_server) as queue_url, leased_redis_db(redis_server) as cache_url:
        yield WorkerRedis(redis_server, redis_db_of(queue_url), redis_db_of(cache_url))


SettingsFactory = Callable[..., Settings]


@pytest.fixture
def make_settings(worker_redis: WorkerRedis) -> SettingsFactory:
    """Settings on the leased databases with fast retries; keyword groups override sections."""

    def factory(**sections: dict[str, Any]) -> Settings:
        values: dict[str, dict[str, Any]] = {
            "redis": {
                "url": worker_redis.server_url,
                "database": worker_redis.queue_db,
                "cache_database": worker_redis.cache_db,
            },
            "api_client": {
                "workout_api_url": dead_url(),
                "ai_coach_url": dead_url(),
                "timeout": 10,
            },
            "worker": {"health_port": free_port()},
            "refresh": {"retry_delay": 0.01},
            "warmup": {"delay_seconds": 0},
        }
        for name, overrides in sections.items():
            values[name] = {**values.get(name, {}), **overrides}
        return Settings(**values)  # type: ignore[arg-type]

    return factory


WORKER_BIN = Path(sys.executable).parent / "workout-worker"
WorkerCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def worker_cli(worker_redis: WorkerRedis) -> WorkerCli:
    """``worker_cli("run-task", "cleanup", WORKER_X="y")`` runs the worker's command line as a
    CronJob pod does, on the leased databases; keyword arguments add environment variables."""

    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        base = {k: v for k, v in os.environ.items() if not k.startswith("WORKER_")}
        settings = {
            "WORKER_REDIS__URL": worker_redis.server_url,
            "WORKER_REDIS__DATABASE": str(worker_redis.queue_db),
            "WORKER_REDIS__CACHE_DATABASE": str(worker_redis.cache_db),
            "WORKER_REFRESH__RETRY_DELAY": "0.01",
        }
        return subprocess.run(
            [str(WORKER_BIN), *args],
            env={**base, **settings, **env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run


@pytest.fixture
def asgi_server() -> Callable[[Any], contextlib.AbstractContextManager[str]]:
    """``with asgi_server(app) as url:`` serves ``app`` on a free port."""
    return serve_asgi


@pytest.fixture
def unused_url() -> Callable[[], str]:
    """A factory of http URLs nothing listens on (a service that is down)."""
    return dead_url


@pytest.fixture
def down_redis_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"


@dataclass
class LiveApi:
    """The real Workout API app on a free port, with its own PostgreSQL database."""

    url: str
    database_url: str
    _admin_token: str | None = None

    def admin_headers(self) -> dict[str, str]:
        if self._admin_token is None:
            response = httpx.post(
                f"{self.url}/auth/login",
                json={"username": "admin", "password": "admin123"},
                timeout=30,
            )
            response.raise_for_status()
            self._admin_token = response.json()["access_token"]
        return {"Authorization": f"Bearer {self._admin_token}"}

    def create(self, **exercise: Any) -> dict[str, Any]:
        body = {"sets": 3, "reps": 10, "weight": 50.0, "workout_day": "A", **exercise}
        response = httpx.post(
            f"{self.url}/exercises", json=body, headers=self.admin_headers(), timeout=30
        )
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    def create_many(self, count: int, prefix: str = "Exercise") -> None:
        """``count`` exercises written straight into the API's table in one statement.

        Creating thousands through ``POST /exercises`` takes minutes; the API's own
        triggers keep its list version (ETag, counts) right for writes made this way.
        """
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            conn.execute(
                "INSERT INTO exercise (name, sets, reps, weight, workout_day) "
                "SELECT %s || ' ' || i, 1 + i %% 5, 5 + i %% 10, "
                "CASE WHEN i %% 7 = 0 THEN NULL ELSE (i %% 100)::float END, "
                "(ARRAY['A','B','C'])[1 + i %% 3] FROM generate_series(1, %s::int) AS i",
                (prefix, count),
            )

    def update(self, exercise_id: int, **changes: Any) -> None:
        response = httpx.patch(
            f"{self.url}/exercises/{exercise_id}",
            json=changes,
            headers=self.admin_headers(),
            timeout=30,
        )
        assert response.status_code == 200, response.text

    def delete(self, exercise_id: int) -> None:
        response = httpx.delete(
            f"{self.url}/exercises/{exercise_id}", headers=self.admin_headers(), timeout=30
        )
        assert response.status_code in (200, 204), response.text


def api_settings(database_url: str, redis_url: str, **overrides: Any) -> Any:
    from workout_api.settings import Settings as ApiSettings

    return ApiSettings(
        database_url=database_url,
        redis_url=redis_url,
        environment="development",
        bcrypt_rounds=4,
        ratelimit_write_admin="100000/minute",
        **overrides,
    )


@pytest.fixture
def live_api(postgres_url: str, redis_server: str) -> Iterator[LiveApi]:
    from workout_api.main import create_app as create_api

    with leased_redis_db(redis_server) as limits_url:
        app = create_api(api_settings(postgres_url, limits_url))
        with serve_asgi(app) as url:
            yield LiveApi(url, postgres_url)


@pytest.fixture
def live_coach(live_api: LiveApi, worker_redis: WorkerRedis) -> Iterator[str]:
    """The real AI coach (built-in offline model) reading the live API, caching in the cache DB."""
    from workout_coach.main import create_app as create_coach
    from workout_coach.settings import CoachSettings

    settings = CoachSettings(
        workout_api_url=live_api.url,
        redis_url=worker_redis.url(worker_redis.cache_db),
        ai_model=None,
        anthropic_api_key=None,
    )
    with serve_asgi(create_coach(settings)) as url:
        yield url


@dataclass
class SeenRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


class RecordingProxy:
    """Forwards to a live service, records every request, and can fail or slow some of them.

    It stands between the worker and a real API or coach so tests can see the headers the
    worker sends and inject the faults a network gives (5xx answers, slow answers).
    """

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.seen: list[SeenRequest] = []
        self.fail_next = 0
        self.fail_path_prefix = "/"
        self.fail_query_contains = ""
        self.fail_status = 503
        self.delay_seconds = 0.0
        self.in_flight = 0
        self.max_in_flight = 0
        self._http: httpx.AsyncClient | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            if self._http is not None:
                await self._http.aclose()
            await send({"type": "lifespan.shutdown.complete"})
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        path, query = scope["path"], scope["query_string"].decode()
        self.seen.append(SeenRequest(scope["method"], path, query, headers, body))
        if (
            self.fail_next > 0
            and path.startswith(self.fail_path_prefix)
            and self.fail_query_contains in query
        ):
            self.fail_next -= 1
            await self._answer(send, self.fail_status, b'{"detail":"injected failure"}', [])
            return
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay_seconds:
                await asyncio.sleep(self.delay_seconds)
            forwarded = {k: v for k, v in headers.items() if k not in ("host", "content-length")}
            if self._http is None:
                self._http = httpx.AsyncClient(base_url=self.upstream, timeout=60)
            response = await self._http.request(
                scope["method"], path, params=query or None, content=body, headers=forwarded
            )
        finally:
            self.in_flight -= 1
        passed = [
            (k.encode(), v.encode())
            for k, v in response.headers.items()
            if k.lower() not in ("content-length", "transfer-encoding", "content-encoding")
        ]
        await self._answer(send, response.status_code, response.content, passed)

    @staticmethod
    async def _answer(send: Any, status: int, body: bytes, headers: list[Any]) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [*headers, (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def requests_to(self, path: str, method: str = "GET") -> list[SeenRequest]:
        return [r for r in self.seen if r.path == path and r.method == method]


@pytest.fixture
def proxy() -> Callable[[str], contextlib.AbstractContextManager[tuple[str, RecordingProxy]]]:
    """``with proxy(upstream_url) as (url, recorder):`` a recording, fault-injecting proxy."""

    @contextlib.contextmanager
    def start(upstream: str) -> Iterator[tuple[str, RecordingProxy]]:
        recorder = RecordingProxy(upstream)
        with serve_asgi(recorder) as url:
            yield url, recorder

    return start
