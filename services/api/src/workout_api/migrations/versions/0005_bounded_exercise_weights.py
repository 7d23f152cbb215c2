"""Exercise weights stored before the 10,000 kg bound are cleared.

A weight above 10,000 kg (up to 1e308 was accepted once) is no lift anyone made, and it made
sums of weights overflow for every reader. Such weights, and negative ones, become ``null``
(no weight), as the API now refuses them; the count is logged.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MAX_WEIGHT_KG = 10_000  # as workout_api.exercises.models.MAX_WEIGHT_KG when this was written
logger = logging.getLogger("alembic.runtime.migration")


def upgrade() -> None:
    cleared = op.get_bind().execute(
        sa.text("UPDATE exercise SET weight = NULL WHERE weight > :most OR weight < 0"),
        {"most": MAX_WEIGHT_KG},
    )
    if cleared.rowcount:
        logger.warning(
            "Cleared the weight of %d exercise(s) outside 0-%d kg", cleared.rowcount, MAX_WEIGHT_KG
        )


def downgrade() -> None:
    # The cleared weights are not kept anywhere: nothing to restore.
    pass
