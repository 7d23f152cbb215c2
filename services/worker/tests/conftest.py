"""Fixtures for the worker's tests: two leased Redis DBs, live HTTP servers on free ports."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import redis
import uvicorn

from workout_common.redis_support import free_port
from workout_common.testing.servers import leased_redis_db
from workout_common.urls import redis_db_of, redis_url_with_db
from workout_worker.settings import Settings


class _ThreadServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.contextmanager
def serve_asgi(app: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread on a free loopback port; yield its base URL."""
    port = free_port()
    server = _ThreadServer(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


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
