"""membership history, a phone per person, closed units

Revision ID: b7c1d2e3f4a5
Revises: b7e1c2d3a4f5
Create Date: 2026-12-01 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "b7c1d2e3f4a5"
down_revision: str | Sequence[str] | None = "b7e1c2d3a4f5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("branch_since", sa.Date(), nullable=True))
    with op.batch_alter_table("org_unit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "membership_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("start_day", sa.Date(), nullable=False),
        sa.Column("end_day", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["org_unit.id"],
            name=op.f("fk_membership_period_branch_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"],
            name=op.f("fk_membership_period_user_id_user"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership_period")),
    )
    with op.batch_alter_table("membership_period", schema=None) as batch_op:
        batch_op.create_index(
            "ix_membership_period_branch_end", ["branch_id", "end_day"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_membership_period_user_id"), ["user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("membership_period", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_membership_period_user_id"))
        batch_op.drop_index("ix_membership_period_branch_end")
    op.drop_table("membership_period")
    with op.batch_alter_table("org_unit", schema=None) as batch_op:
        batch_op.drop_column("closed_at")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("branch_since")
        batch_op.drop_column("phone")
