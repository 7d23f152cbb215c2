"""Exercises, their data version (kept by triggers) and user accounts.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from workout_api.migrations.triggers import Triggers

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SORT_COLUMNS = ("name", "sets", "reps", "weight", "workout_day")

# PostgreSQL: one statement-level trigger per kind of change, so bulk writes cost one
# update of the version row per statement rather than per row.
POSTGRES_TRIGGERS = """
CREATE FUNCTION exercise_data_version_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE exercise_data_version
     SET version = version + 1, exercise_count = exercise_count + (SELECT count(*) FROM new_rows)
   WHERE id = 1;
  RETURN NULL;
END $$;
CREATE FUNCTION exercise_data_version_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE exercise_data_version
     SET version = version + 1, exercise_count = exercise_count - (SELECT count(*) FROM old_rows)
   WHERE id = 1;
  RETURN NULL;
END $$;
CREATE FUNCTION exercise_data_version_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE exercise_data_version SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END $$;
CREATE FUNCTION exercise_data_version_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE exercise_data_version SET version = version + 1, exercise_count = 0 WHERE id = 1;
  RETURN NULL;
END $$;
CREATE TRIGGER exercise_inserted AFTER INSERT ON exercise
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION exercise_data_version_inserted();
CREATE TRIGGER exercise_deleted AFTER DELETE ON exercise
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION exercise_data_version_deleted();
CREATE TRIGGER exercise_changed AFTER UPDATE ON exercise
  FOR EACH STATEMENT EXECUTE FUNCTION exercise_data_version_changed();
CREATE TRIGGER exercise_truncated AFTER TRUNCATE ON exercise
  FOR EACH STATEMENT EXECUTE FUNCTION exercise_data_version_truncated();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS exercise_inserted ON exercise;
DROP TRIGGER IF EXISTS exercise_deleted ON exercise;
DROP TRIGGER IF EXISTS exercise_changed ON exercise;
DROP TRIGGER IF EXISTS exercise_truncated ON exercise;
DROP FUNCTION IF EXISTS exercise_data_version_inserted();
DROP FUNCTION IF EXISTS exercise_data_version_deleted();
DROP FUNCTION IF EXISTS exercise_data_version_changed();
DROP FUNCTION IF EXISTS exercise_data_version_truncated();
"""
SQLITE_TRIGGERS = (
    """CREATE TRIGGER exercise_inserted AFTER INSERT ON exercise BEGIN
         UPDATE exercise_data_version
            SET version = version + 1, exercise_count = exercise_count + 1 WHERE id = 1;
       END""",
    """CREATE TRIGGER exercise_deleted AFTER DELETE ON exercise BEGIN
         UPDATE exercise_data_version
            SET version = version + 1, exercise_count = exercise_count - 1 WHERE id = 1;
       END""",
    """CREATE TRIGGER exercise_changed AFTER UPDATE ON exercise BEGIN
         UPDATE exercise_data_version SET version = version + 1 WHERE id = 1;
       END""",
)
SQLITE_DROP = ("exercise_inserted", "exercise_deleted", "exercise_changed")
DATA_VERSION_TRIGGERS = Triggers(
    postgresql=POSTGRES_TRIGGERS,
    postgresql_drop=POSTGRES_DROP,
    sqlite=SQLITE_TRIGGERS,
    sqlite_names=SQLITE_DROP,
)


def upgrade() -> None:
    op.create_table(
        "exercise",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("sets", sa.Integer(), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=True),
        sa.Column("workout_day", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise")),
    )
    for column in SORT_COLUMNS:
        op.create_index(op.f(f"ix_exercise_{column}"), "exercise", [column])

    op.create_table(
        "exercise_data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("exercise_count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_data_version")),
    )
    op.execute(
        "INSERT INTO exercise_data_version (id, version, exercise_count) "
        "SELECT 1, 1, count(*) FROM exercise"
    )

    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=50), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("hashed_password", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )

    DATA_VERSION_TRIGGERS.create()


def downgrade() -> None:
    DATA_VERSION_TRIGGERS.drop()
    op.drop_table("app_user")
    op.drop_table("exercise_data_version")
    for column in SORT_COLUMNS:
        op.drop_index(op.f(f"ix_exercise_{column}"), table_name="exercise")
    op.drop_table("exercise")
