"""``workout-api`` (serve on :8000) and ``workout-api migrate`` (alembic upgrade head)."""

from __future__ import annotations

import argparse
import os
import sys

from pydantic import ValidationError
from sqlalchemy.exc import OperationalError

from workout_api.settings import Settings, UnsafeConfigurationError
from workout_common.logging_setup import configure_logging

DEFAULT_PORT = 8000


def _load_settings() -> Settings:
    try:
        settings = Settings()
        settings.check_production_safety()
    except ValidationError as exc:
        sys.exit(f"workout-api: invalid configuration:\n{exc}")
    except UnsafeConfigurationError as exc:
        sys.exit(f"workout-api: {exc}")
    return settings


def migrate(settings: Settings) -> int:
    from workout_api import migrations

    target = migrations.head_revision()
    try:
        before = migrations.current_revision(settings.database_url)
        migrations.upgrade(settings.database_url)
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        print(f"workout-api migrate: cannot reach the database: {reason}", file=sys.stderr)
        return 1
    if before == target:
        print(f"Database already at revision {target}; nothing to do.")
    else:
        print(f"Database migrated from revision {before or '(empty)'} to {target}.")
    return 0


def serve(settings: Settings, host: str, port: int) -> int:
    import uvicorn

    from workout_api.main import create_app

    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        proxy_headers=True,
        server_header=False,  # no "server: uvicorn" banner
        log_config=None,  # our logging setup: one access line per request from the middleware
        access_log=False,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="workout-api", description=__doc__)
    parser.add_argument("--host", default=os.environ.get("HOST", "0.0.0.0"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", DEFAULT_PORT)))
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("migrate", help="upgrade the database schema to the latest revision")
    sub.add_parser("serve", help="serve the API (the default)")
    args = parser.parse_args(argv)
    configure_logging("workout-api")
    settings = _load_settings()
    if args.command == "migrate":
        return migrate(settings)
    return serve(settings, args.host, args.port)


if __name__ == "__main__":
    sys.exit(main())
