"""attempts know whether their answers are in the review book

Revision ID: fdfbb2e8f2a0
Revises: 7223bf8d816f
Create Date: 2026-12-01 12:09:09.727290
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "fdfbb2e8f2a0"
down_revision: str | Sequence[str] | None = "7223bf8d816f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "in_review_book",
                sa.Boolean(),
                server_default=sa.false(),
                nullable=False,
            )
        )
    # Attempts graded before this release put their answers in the book at once.
    op.execute("UPDATE attempt SET in_review_book = (state = 'graded')")


def downgrade() -> None:
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.drop_column("in_review_book")
