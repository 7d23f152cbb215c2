"""Alembic is the schema's author: upgrade, downgrade and the models agree with it."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool

import workout_api.exercises.models
import workout_api.imports.tables
import workout_api.training.tables
import workout_api.users.models  # noqa: F401
from workout_api import migrations
from workout_api.metadata import metadata
from workout_common.urls import sync_database_url


@pytest.fixture(params=["postgresql", "sqlite"])
def empty_database(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(
        "postgres_url" if request.param == "postgresql" else "sqlite_url"
    )
    return url


def _tables(url: str) -> set[str]:
    engine = create_engine(sync_database_url(url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(empty_database: str) -> None:
    migrations.upgrade(empty_database)
    assert {"exercise", "exercise_data_version", "app_user"} <= _tables(empty_database)
    assert migrations.current_revision(empty_database) == migrations.head_revision()
    migrations.downgrade(empty_database, "base")
    assert _tables(empty_database) <= {"alembic_version"}
    migrations.upgrade(empty_database)
    assert migrations.current_revision(empty_database) == migrations.head_revision()


def test_models_match_the_migrations(empty_database: str) -> None:
    migrations.upgrade(empty_database)
    engine = create_engine(sync_database_url(empty_database), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_triggers_keep_the_data_version(empty_database: str) -> None:
    migrations.upgrade(empty_database)
    engine = create_engine(sync_database_url(empty_database), poolclass=NullPool)
    read = text("SELECT version, exercise_count FROM exercise_data_version WHERE id = 1")
    try:
        with engine.begin() as connection:
            start_version, start_count = connection.execute(read).one()
            connection.execute(
                text(
                    "INSERT INTO exercise (name, sets, reps, workout_day) "
                    "VALUES ('a', 1, 1, 'A'), ('b', 1, 1, 'A')"
                )
            )
            after_insert = connection.execute(read).one()
            connection.execute(text("UPDATE exercise SET reps = 2 WHERE name = 'a'"))
            after_update = connection.execute(read).one()
            connection.execute(text("DELETE FROM exercise WHERE name = 'b'"))
            after_delete = connection.execute(read).one()
    finally:
        engine.dispose()
    assert start_count == 0
    assert after_insert[1] == 2
    assert after_insert[0] > start_version
    assert after_update == (after_update[0], 2)
    assert after_update[0] > after_insert[0]
    assert after_delete[1] == 1
    assert after_delete[0] > after_update[0]


def test_weights_stored_before_the_bound_are_cleared(empty_database: str) -> None:
    migrations.upgrade(empty_database, "0004")
    engine = create_engine(sync_database_url(empty_database), poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO exercise (name, sets, reps, weight, workout_day) VALUES "
                    "('huge', 1, 1, 1e308, 'A'), ('heavy', 1, 1, 10001, 'A'), "
                    "('negative', 1, 1, -5, 'A'), ('squat', 5, 5, 10000, 'A'), "
                    "('pull up', 3, 8, NULL, 'A')"
                )
            )
        migrations.upgrade(empty_database)
        with engine.connect() as connection:
            weights = dict(connection.execute(text("SELECT name, weight FROM exercise")).all())
            volume = connection.execute(text("SELECT SUM(weight * sets * reps) FROM exercise"))
            total = volume.scalar_one()
    finally:
        engine.dispose()
    assert weights == {
        "huge": None,
        "heavy": None,
        "negative": None,
        "squat": 10000,
        "pull up": None,
    }
    assert total == 250_000
