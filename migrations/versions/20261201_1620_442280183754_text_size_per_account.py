"""大字: each account keeps its text size

Revision ID: 442280183754
Revises: 3c1e9a7b2d40
Create Date: 2026-12-01 14:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "442280183754"
down_revision: str | Sequence[str] | None = "3c1e9a7b2d40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text_size", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("text_size")
