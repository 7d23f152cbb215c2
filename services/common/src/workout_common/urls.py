"""Normalise the connection URLs users paste into the forms the async drivers need."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

_ASYNC_DRIVERS = {
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "postgresql+psycopg2": "postgresql+psycopg",
    "postgresql+asyncpg": "postgresql+psycopg",
    "sqlite": "sqlite+aiosqlite",
}


class InvalidURLError(ValueError):
    """A connection URL that no driver of the platform can use."""


def async_database_url(url: str) -> str:
    """Return ``url`` with the async driver the platform uses for its scheme.

    ``sqlite:///data/x.db`` becomes ``sqlite+aiosqlite:///data/x.db`` and
    ``postgresql://u:p@h/db`` becomes ``postgresql+psycopg://u:p@h/db``; URLs that
    already name an async driver are returned unchanged.
    """
    url = url.strip()
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise InvalidURLError(
            f"DATABASE_URL {url!r} is not a URL; expected e.g. "
            "'sqlite:///data/workout_tracker.db' or 'postgresql://user:pw@host:5432/db'"
        )
    scheme = scheme.lower()
    if scheme in ("sqlite+aiosqlite", "postgresql+psycopg"):
        return url
    if scheme not in _ASYNC_DRIVERS:
        raise InvalidURLError(
            f"DATABASE_URL scheme {scheme!r} is not supported; use sqlite:// or postgresql://"
        )
    return f"{_ASYNC_DRIVERS[scheme]}://{rest}"


def sync_database_url(url: str) -> str:
    """The synchronous-driver form of ``url`` (psycopg 3 in sync mode, pysqlite)."""
    async_url = async_database_url(url)
    if async_url.startswith("sqlite+aiosqlite://"):
        return "sqlite://" + async_url.removeprefix("sqlite+aiosqlite://")
    return async_url


def redis_url_with_db(url: str, db: int) -> str:
    """Return ``url`` pointing at logical database ``db`` (the path of a redis URL)."""
    if not 0 <= db <= 15:
        raise InvalidURLError(f"Redis database number must be 0-15, got {db}")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("redis", "rediss", "unix"):
        raise InvalidURLError(f"REDIS_URL {url!r} must start with redis://, rediss:// or unix://")
    if parts.scheme == "unix":
        query = "&".join(p for p in parts.query.split("&") if p and not p.startswith("db="))
        query = f"{query}&db={db}" if query else f"db={db}"
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, ""))


def redis_db_of(url: str, default: int = 0) -> int:
    """The logical database a redis URL names, or ``default`` when it names none."""
    parts = urlsplit(url)
    for param in parts.query.split("&"):
        if param.startswith("db="):
            return int(param.removeprefix("db="))
    path = parts.path.strip("/") if parts.scheme != "unix" else ""
    return int(path) if path.isdigit() else default
