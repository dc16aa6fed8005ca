"""branch_period: each branch's settled board figures per period, written by
the nightly settle so a county leaderboard reads one row per branch

Revision ID: 8d4a2c6e1f57
Revises: 5b1f0c2d7e93
Create Date: 2026-12-01 18:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8d4a2c6e1f57"
down_revision: str | Sequence[str] | None = "5b1f0c2d7e93"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Empty until the next settle; until then boards read branch_day as before.
    op.create_table(
        "branch_period",
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=5), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("now_settled", sa.Boolean(), nullable=False),
        sa.Column("rate", sa.Double(), nullable=True),
        sa.Column("avg_points", sa.Double(), nullable=True),
        sa.Column("avg_score", sa.Double(), nullable=True),
        sa.Column("prev_settled", sa.Boolean(), nullable=False),
        sa.Column("prev_rate", sa.Double(), nullable=True),
        sa.Column("prev_avg_points", sa.Double(), nullable=True),
        sa.Column("prev_avg_score", sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["org_unit.id"],
            name=op.f("fk_branch_period_branch_id_org_unit"), ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("as_of", "kind", "branch_id", name=op.f("pk_branch_period")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("branch_period")
