"""Alembic is the schema's author: upgrade, downgrade and the models agree with it."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, create_engine, inspect, text
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


def _add_workouts(connection: Connection, user_id: int, count: int) -> None:
    connection.execute(
        text(
            "INSERT INTO workout (user_id, title, started_at, source, created_at, updated_at, "
            "week_start, exercise_count, set_count, working_set_count, volume_kg) VALUES "
            + ", ".join(
                f"(:user, 'W', '2025-01-0{day}', 'manual', '2025-01-01', '2025-01-01', "
                "'2024-12-30', 0, 0, 0, 0)"
                for day in range(1, count + 1)
            )
        ),
        {"user": user_id},
    )


def test_workout_counts_are_counted_at_upgrade_then_kept_by_triggers(
    empty_database: str,
) -> None:
    migrations.upgrade(empty_database, "0006")
    engine = create_engine(sync_database_url(empty_database), poolclass=NullPool)
    counts = text("SELECT user_id, workout_count FROM training_log_version ORDER BY user_id")
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO app_user (id, username, role, disabled, hashed_password, "
                    "created_at) VALUES (1, 'a', 'user', false, 'x', '2025-01-01'), "
                    "(2, 'b', 'user', false, 'x', '2025-01-01'), "
                    "(3, 'c', 'user', false, 'x', '2025-01-01')"
                )
            )
            connection.execute(
                text("INSERT INTO training_log_version (user_id, version) VALUES (1, 7), (3, 2)")
            )
            _add_workouts(connection, 1, 3)
            _add_workouts(connection, 2, 2)  # stored before any version row
        migrations.upgrade(empty_database)
        with engine.begin() as connection:
            at_upgrade = connection.execute(counts).all()
            _add_workouts(connection, 1, 2)  # one statement, two workouts
            _add_workouts(connection, 3, 1)
            connection.execute(
                text(
                    "DELETE FROM workout WHERE id = (SELECT min(id) FROM workout WHERE user_id = 2)"
                )
            )
            after_writes = connection.execute(counts).all()
            versions = connection.execute(
                text("SELECT user_id, version FROM training_log_version ORDER BY user_id")
            ).all()
    finally:
        engine.dispose()
    assert at_upgrade == [(1, 3), (2, 2), (3, 0)]
    assert after_writes == [(1, 5), (2, 1), (3, 1)]
    assert versions == [(1, 7), (2, 1), (3, 2)]  # the API bumps versions; triggers only count
