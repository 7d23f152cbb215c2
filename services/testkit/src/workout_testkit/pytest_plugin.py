"""Pytest fixtures giving each test its own real PostgreSQL database and Redis database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from workout_testkit.servers import (
    fresh_postgres_database,
    leased_redis_db,
    postgres_server_url,
    redis_server_url,
)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """URL of the PostgreSQL server tests create their databases on."""
    return postgres_server_url()


@pytest.fixture(scope="session")
def redis_server() -> str:
    """URL (database 0) of the Redis server tests lease databases on."""
    return redis_server_url()


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test (plain ``postgresql://`` URL)."""
    with fresh_postgres_database(postgres_server) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite database file for this test (plain ``sqlite:///`` URL)."""
    return f"sqlite:///{tmp_path / 'workout_tracker.db'}"


@pytest.fixture
def redis_url(redis_server: str) -> Iterator[str]:
    """A flushed Redis logical database leased to this test alone."""
    with leased_redis_db(redis_server) as url:
        yield url
