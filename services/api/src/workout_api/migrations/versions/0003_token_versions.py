"""Accounts: a token version per user, refresh tokens ended by logout, names unique in any case.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # On SQLite the table is rebuilt with AUTOINCREMENT: ids of deleted accounts are never
    # given again, so a token naming an old id cannot fit a new account (PostgreSQL's
    # sequence already behaves so).
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table(
        "app_user",
        recreate="always" if sqlite else "auto",
        table_kwargs={"sqlite_autoincrement": True},
    ) as batch:
        batch.add_column(
            sa.Column("token_version", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_index(
        "uq_app_user_username_lower", "app_user", [sa.text("lower(username)")], unique=True
    )
    op.create_table(
        "revoked_token",
        sa.Column("token_id", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_id", name=op.f("pk_revoked_token")),
    )


def downgrade() -> None:
    op.drop_table("revoked_token")
    op.drop_index("uq_app_user_username_lower", table_name="app_user")
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("token_version")
