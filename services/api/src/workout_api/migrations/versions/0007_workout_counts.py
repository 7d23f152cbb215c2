"""Each lifter's workout count, kept beside the log version by triggers.

``GET /workouts`` answers ``X-Total-Count`` on every page. Counting a lifter's workouts per
request read their whole history's index (a sequential scan when the lifter holds much of
the table), so the cost of the list grew with the length of the history; the count is now
kept on write, the way ``exercise_data_version`` keeps the contract's exercise count.
Filtered pages (``from``, ``to``, ``template_id``) still count what matches.

Triggers, not the API's writers, keep it: every path that adds or removes workouts (the
create statement, imports, deletions, an account's deletion) is counted alike. On
PostgreSQL one statement-level trigger per kind of change updates each lifter's row once
per statement; an insert creates the row when a lifter has none yet.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from workout_api.migrations.triggers import Triggers

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSTGRES_TRIGGERS = """
CREATE FUNCTION workout_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO training_log_version AS kept (user_id, version, workout_count)
  SELECT user_id, 1, count(*) FROM new_rows GROUP BY user_id
  ON CONFLICT (user_id) DO UPDATE SET workout_count = kept.workout_count + excluded.workout_count;
  RETURN NULL;
END $$;
CREATE FUNCTION workout_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE training_log_version AS kept SET workout_count = kept.workout_count - gone.n
    FROM (SELECT user_id, count(*) AS n FROM old_rows GROUP BY user_id) AS gone
   WHERE kept.user_id = gone.user_id;
  RETURN NULL;
END $$;
CREATE TRIGGER workout_inserted AFTER INSERT ON workout
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION workout_count_inserted();
CREATE TRIGGER workout_deleted AFTER DELETE ON workout
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION workout_count_deleted();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS workout_inserted ON workout;
DROP TRIGGER IF EXISTS workout_deleted ON workout;
DROP FUNCTION IF EXISTS workout_count_inserted();
DROP FUNCTION IF EXISTS workout_count_deleted();
"""
SQLITE_TRIGGERS = (
    """CREATE TRIGGER workout_inserted AFTER INSERT ON workout BEGIN
         INSERT INTO training_log_version (user_id, version, workout_count)
         VALUES (NEW.user_id, 1, 1)
         ON CONFLICT (user_id) DO UPDATE SET workout_count = workout_count + 1;
       END""",
    """CREATE TRIGGER workout_deleted AFTER DELETE ON workout BEGIN
         UPDATE training_log_version SET workout_count = workout_count - 1
          WHERE user_id = OLD.user_id;
       END""",
)
SQLITE_DROP = ("workout_inserted", "workout_deleted")
COUNT_TRIGGERS = Triggers(
    postgresql=POSTGRES_TRIGGERS,
    postgresql_drop=POSTGRES_DROP,
    sqlite=SQLITE_TRIGGERS,
    sqlite_names=SQLITE_DROP,
)

# Lifters whose workouts were stored before any version row (none through the API).
MISSING_ROWS = """
INSERT INTO training_log_version (user_id, version)
SELECT DISTINCT user_id, 1 FROM workout
WHERE user_id NOT IN (SELECT user_id FROM training_log_version)
"""
COUNTS = """
UPDATE training_log_version SET workout_count = (
    SELECT count(*) FROM workout WHERE workout.user_id = training_log_version.user_id
)
"""


def upgrade() -> None:
    op.add_column(
        "training_log_version",
        sa.Column("workout_count", sa.Integer(), server_default="0", nullable=False),
    )
    # Triggers first: on PostgreSQL creating them locks out writes to ``workout`` until
    # this transaction commits, so no workout is stored between the count and the triggers.
    COUNT_TRIGGERS.create()
    op.execute(MISSING_ROWS)
    op.execute(COUNTS)


def downgrade() -> None:
    COUNT_TRIGGERS.drop()
    with op.batch_alter_table("training_log_version") as batch:
        batch.drop_column("workout_count")
