"""login rate-limit counters shared by every worker

Revision ID: b7e1c2d3a4f5
Revises: fdfbb2e8f2a0
Create Date: 2026-12-01 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7e1c2d3a4f5"
down_revision: str | Sequence[str] | None = "fdfbb2e8f2a0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limit",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limit")),
    )


def downgrade() -> None:
    op.drop_table("rate_limit")
