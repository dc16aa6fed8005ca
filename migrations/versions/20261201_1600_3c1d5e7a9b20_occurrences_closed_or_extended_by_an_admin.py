"""occurrences closed early or extended by an admin

Revision ID: 3c1d5e7a9b20
Revises: 3c1d7a9e5b20
Create Date: 2026-12-01 16:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3c1d5e7a9b20"
down_revision: str | Sequence[str] | None = "3c1d7a9e5b20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("quiz_occurrence", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("scheduled_closes_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("quiz_occurrence", schema=None) as batch_op:
        batch_op.drop_column("scheduled_closes_at")
