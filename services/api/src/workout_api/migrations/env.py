"""Alembic environment: sync drivers (psycopg 3, pysqlite), URL passed in by the caller."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

import workout_api.auth.revocations
import workout_api.exercises.models
import workout_api.idempotency.records
import workout_api.imports.tables
import workout_api.training.tables
import workout_api.users.models  # noqa: F401  (tables register on the metadata)
from workout_api.metadata import metadata
from workout_api.settings import DEFAULT_DATABASE_URL
from workout_common.urls import sync_database_url

config = context.config
database_url = sync_database_url(
    config.attributes.get("database_url") or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
)


def run_offline() -> None:
    context.configure(
        url=database_url,
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=database_url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            compare_type=True,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
