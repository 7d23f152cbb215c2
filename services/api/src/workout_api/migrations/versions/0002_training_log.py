"""Training log: exercise library (loaded from the data file), workouts, sets, summaries,
personal records, the per-user log version and the user's weight unit.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from workout_api.training.columns import UTCDateTime
from workout_api.training.library_sync import sync_builtin_exercises

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(
            sa.Column("weight_unit", sa.String(length=2), nullable=False, server_default="kg")
        )

    op.create_table(
        "exercise_template",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("app_user.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("key", sa.String(length=100), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("primary_muscle", sa.String(length=20), nullable=False),
        sa.Column("secondary_muscles", sa.JSON(), nullable=False),
        sa.Column("equipment", sa.String(length=20), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.UniqueConstraint("key", name="uq_exercise_template_key"),
    )
    op.create_index(
        "ix_exercise_template_owner_id_name_key",
        "exercise_template",
        ["owner_id", "name_key"],
        unique=True,
    )

    op.create_table(
        "workout",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("app_user.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("exercise_count", sa.Integer(), nullable=False),
        sa.Column("set_count", sa.Integer(), nullable=False),
        sa.Column("working_set_count", sa.Integer(), nullable=False),
        sa.Column("volume_kg", sa.Float(), nullable=False),
        sa.Column("duration_s", sa.Integer(), nullable=True),
        sa.UniqueConstraint("user_id", "client_id", name="uq_workout_user_id_client_id"),
    )
    op.create_index("ix_workout_user_id_started_at", "workout", ["user_id", "started_at", "id"])

    op.create_table(
        "workout_exercise",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "workout_id",
            sa.Integer(),
            sa.ForeignKey("workout.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "template_id", sa.Integer(), sa.ForeignKey("exercise_template.id"), nullable=False
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("superset", sa.Integer(), nullable=True),
    )
    op.create_index(
        "ix_workout_exercise_workout_id", "workout_exercise", ["workout_id", "position"]
    )
    op.create_index("ix_workout_exercise_template_id", "workout_exercise", ["template_id"])

    op.create_table(
        "workout_set",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "workout_exercise_id",
            sa.Integer(),
            sa.ForeignKey("workout_exercise.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=10), nullable=False),
        sa.Column("weight_kg", sa.Float(), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=True),
        sa.Column("duration_s", sa.Integer(), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("rpe", sa.Float(), nullable=True),
        sa.Column("completed", sa.Boolean(), nullable=False),
    )
    op.create_index(
        "ix_workout_set_workout_exercise_id", "workout_set", ["workout_exercise_id", "position"]
    )

    op.create_table(
        "workout_exercise_summary",
        sa.Column(
            "workout_id",
            sa.Integer(),
            sa.ForeignKey("workout.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "template_id",
            sa.Integer(),
            sa.ForeignKey("exercise_template.id"),
            primary_key=True,
        ),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("app_user.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("first_position", sa.Integer(), nullable=False),
        sa.Column("set_count", sa.Integer(), nullable=False),
        sa.Column("working_sets", sa.Integer(), nullable=False),
        sa.Column("volume_kg", sa.Float(), nullable=False),
        sa.Column("max_weight", sa.Float(), nullable=True),
        sa.Column("best_e1rm", sa.Float(), nullable=True),
        sa.Column("best_set_volume", sa.Float(), nullable=True),
        sa.Column("max_reps", sa.Integer(), nullable=True),
        sa.Column("rep_max_1", sa.Float(), nullable=True),
        sa.Column("rep_max_3", sa.Float(), nullable=True),
        sa.Column("rep_max_5", sa.Float(), nullable=True),
        sa.Column("rep_max_10", sa.Float(), nullable=True),
        sa.Column("record_count", sa.Integer(), nullable=False),
    )
    op.create_index(
        "ix_workout_exercise_summary_user_template",
        "workout_exercise_summary",
        ["user_id", "template_id", "started_at", "workout_id"],
    )
    op.create_index(
        "ix_workout_exercise_summary_user_started_at",
        "workout_exercise_summary",
        ["user_id", "started_at"],
    )

    op.create_table(
        "personal_record",
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("app_user.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "template_id",
            sa.Integer(),
            sa.ForeignKey("exercise_template.id"),
            primary_key=True,
        ),
        sa.Column("kind", sa.String(length=20), primary_key=True),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column(
            "workout_id",
            sa.Integer(),
            sa.ForeignKey("workout.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("achieved_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_personal_record_workout_id", "personal_record", ["workout_id"])

    op.create_table(
        "training_log_version",
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("app_user.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("version", sa.BigInteger(), nullable=False),
    )

    sync_builtin_exercises(op.get_bind())


def downgrade() -> None:
    op.drop_table("training_log_version")
    op.drop_index("ix_personal_record_workout_id", table_name="personal_record")
    op.drop_table("personal_record")
    op.drop_table("workout_exercise_summary")
    op.drop_table("workout_set")
    op.drop_table("workout_exercise")
    op.drop_table("workout")
    op.drop_table("exercise_template")
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("weight_unit")
