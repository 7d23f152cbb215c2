"""Tables of the training log (SQLAlchemy Core on the shared metadata).

``workout_exercise_summary`` holds one row per workout and exercise with that
exercise's figures in the workout (sets, volume, best weight, e1RM, rep maxes...);
``personal_record`` the user's best per exercise and kind. Both are rewritten on every
write that touches the exercise, so records, progress and statistics read a few rows
whatever the length of the history (see docs/decisions.md).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from workout_api.metadata import metadata
from workout_api.training.columns import UTCDateTime
from workout_api.users import models as _users  # noqa: F401  (app_user is referenced)

exercise_template = Table(
    "exercise_template",
    metadata,
    Column("id", Integer, primary_key=True),
    # NULL for the built-in library, the user's id for a custom exercise.
    Column("owner_id", Integer, ForeignKey("app_user.id", ondelete="CASCADE"), nullable=True),
    # Built-ins only: the stable key of the data file, so later migrations update by key.
    Column("key", String(100), nullable=True),
    Column("name", String(100), nullable=False),
    Column("name_key", String(100), nullable=False),  # lower-cased name, unique per owner
    Column("type", String(30), nullable=False),
    Column("primary_muscle", String(20), nullable=False),
    Column("secondary_muscles", JSON, nullable=False),
    Column("equipment", String(20), nullable=False),
    Column("aliases", JSON, nullable=False),
    Column("search_text", Text, nullable=False),  # lower-cased name and aliases, for ``q``
    UniqueConstraint("key", name="uq_exercise_template_key"),
    Index("ix_exercise_template_owner_id_name_key", "owner_id", "name_key", unique=True),
)

workout = Table(
    "workout",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(100), nullable=False),
    Column("notes", Text, nullable=True),
    Column("started_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime, nullable=True),
    Column("source", String(10), nullable=False),
    Column("client_id", String(36), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # Kept with the workout so list items and statistics read no sets.
    Column("week_start", Date, nullable=False),  # Monday (UTC) of started_at's ISO week
    Column("exercise_count", Integer, nullable=False),
    Column("set_count", Integer, nullable=False),
    Column("working_set_count", Integer, nullable=False),
    Column("volume_kg", Float, nullable=False),
    Column("duration_s", Integer, nullable=True),
    UniqueConstraint("user_id", "client_id", name="uq_workout_user_id_client_id"),
    Index("ix_workout_user_id_started_at", "user_id", "started_at", "id"),
)

workout_exercise = Table(
    "workout_exercise",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workout_id", Integer, ForeignKey("workout.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    # No cascade: an exercise in use cannot be deleted.
    Column("template_id", Integer, ForeignKey("exercise_template.id"), nullable=False),
    Column("notes", Text, nullable=True),
    Column("superset", Integer, nullable=True),
    Index("ix_workout_exercise_workout_id", "workout_id", "position"),
    Index("ix_workout_exercise_template_id", "template_id"),
)

workout_set = Table(
    "workout_set",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "workout_exercise_id",
        Integer,
        ForeignKey("workout_exercise.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("position", Integer, nullable=False),
    Column("type", String(10), nullable=False),
    Column("weight_kg", Float, nullable=True),
    Column("reps", Integer, nullable=True),
    Column("duration_s", Integer, nullable=True),
    Column("distance_m", Float, nullable=True),
    Column("rpe", Float, nullable=True),
    Column("completed", Boolean, nullable=False),
    Index("ix_workout_set_workout_exercise_id", "workout_exercise_id", "position"),
)

workout_exercise_summary = Table(
    "workout_exercise_summary",
    metadata,
    Column(
        "workout_id",
        Integer,
        ForeignKey("workout.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("template_id", Integer, ForeignKey("exercise_template.id"), primary_key=True),
    Column("user_id", Integer, ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("first_position", Integer, nullable=False),
    Column("set_count", Integer, nullable=False),
    Column("working_sets", Integer, nullable=False),
    Column("volume_kg", Float, nullable=False),
    Column("max_weight", Float, nullable=True),
    Column("best_e1rm", Float, nullable=True),
    Column("best_set_volume", Float, nullable=True),
    Column("max_reps", Integer, nullable=True),
    Column("rep_max_1", Float, nullable=True),
    Column("rep_max_3", Float, nullable=True),
    Column("rep_max_5", Float, nullable=True),
    Column("rep_max_10", Float, nullable=True),
    # How many records this workout set first for this exercise (follows earlier edits).
    Column("record_count", Integer, nullable=False),
    Index(
        "ix_workout_exercise_summary_user_template",
        "user_id",
        "template_id",
        "started_at",
        "workout_id",
    ),
    Index("ix_workout_exercise_summary_user_started_at", "user_id", "started_at"),
)

personal_record = Table(
    "personal_record",
    metadata,
    Column("user_id", Integer, ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True),
    Column("template_id", Integer, ForeignKey("exercise_template.id"), primary_key=True),
    Column("kind", String(20), primary_key=True),
    Column("value", Float, nullable=False),
    Column("workout_id", Integer, ForeignKey("workout.id", ondelete="CASCADE"), nullable=False),
    Column("achieved_at", UTCDateTime, nullable=False),
    Index("ix_personal_record_workout_id", "workout_id"),
)

training_log_version = Table(
    "training_log_version",
    metadata,
    # Bumped in the transaction of every change to a user's log: the list ETag's source.
    Column("user_id", Integer, ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True),
    Column("version", BigInteger, nullable=False),
    # The user's workouts, kept by triggers on ``workout`` (migration 0007): the list's total.
    Column("workout_count", Integer, nullable=False, server_default="0"),
)
